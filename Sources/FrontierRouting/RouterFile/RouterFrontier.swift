/// What a router file says about the efficiency frontier, kept beside the planner that serves it (a few dozen
/// numbers, not the file): each fitted model's mean cost and quality on the data it was fitted on, and the
/// fitted router's trade-off points. The dashboard draws it, with live figures placed on it.
public struct RouterFrontier: Sendable, Equatable {
    public struct Model: Sendable, Equatable {
        /// Its id in the router file (a catalog model's `router_id`, or its id).
        public var id: String
        public var costUSD: Double
        public var quality: Double
        public var prompts: Int
    }

    /// ``RouterFile/digest``.
    public var version: String?
    public var fittedAt: String
    public var models: [Model]
    public var tradeoff: [TradeoffPoint]

    public init(_ file: RouterFile) {
        version = file.digest
        fittedAt = file.fittedAt
        models = file.models.map { Model(id: $0.id, costUSD: $0.costUSD, quality: $0.quality, prompts: $0.prompts) }
        tradeoff = file.tradeoff.sorted { $0.costUSD < $1.costUSD }
    }
}
