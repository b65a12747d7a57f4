public import FrontierCore

/// Turns the `model` a client named into the ordered list of catalog models
/// to try: the named model alone, or for `auto` the configured default order.
/// The efficiency-frontier router replaces the `auto` rule; the list it
/// returns is the fallback order the gateway walks.
public struct RoutePlanner: Sendable {
    public static let automatic = "auto"

    public let catalog: ModelCatalog
    /// The order `auto` tries; the catalog order when empty.
    public let defaultOrder: [String]

    public init(catalog: ModelCatalog, defaultOrder: [String]) {
        self.catalog = catalog
        self.defaultOrder = defaultOrder
    }

    public func candidates(for model: String) throws(APIError) -> [ModelEntry] {
        if model == Self.automatic {
            let ids = defaultOrder.isEmpty ? catalog.models.map(\.id) : defaultOrder
            let available = ids.compactMap { catalog[$0] }
            guard !available.isEmpty else {
                throw APIError.noModelAvailable(
                    reasons: ids.map { ($0, catalog.unavailableReason(for: $0) ?? "not in the catalog") })
            }
            return available
        }
        if let entry = catalog[model] { return [entry] }
        if let reason = catalog.unavailableReason(for: model) { throw APIError.modelUnavailable(model, reason: reason) }
        throw APIError.modelNotFound(model, known: catalog.models.map(\.id))
    }
}
