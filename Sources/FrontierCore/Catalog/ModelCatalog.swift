/// The models the gateway can serve from, and those it skipped at start-up with why.
public struct ModelCatalog: Sendable {
    public private(set) var models: [ModelEntry]
    /// Models named in the config that cannot be used, e.g. because their API key variable is unset.
    public private(set) var unavailable: [UnavailableModel]
    private var index: [String: Int]

    public init(models: [ModelEntry], unavailable: [UnavailableModel] = []) {
        self.models = models
        self.unavailable = unavailable
        var index: [String: Int] = [:]
        for (n, model) in models.enumerated() { index[model.id] = n }
        self.index = index
    }

    public subscript(id: String) -> ModelEntry? {
        index[id].map { models[$0] }
    }

    public func unavailableReason(for id: String) -> String? {
        unavailable.first { $0.id == id }?.reason
    }
}

/// A configured model that is switched off, and the reason.
public struct UnavailableModel: Sendable, Hashable {
    public var id: String
    public var reason: String

    public init(id: String, reason: String) {
        self.id = id
        self.reason = reason
    }
}
