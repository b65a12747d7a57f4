/// A named route from the config: clients send its name as `model`, and
/// the router chooses among its models under its default constraints.
public struct RouteDefinition: Sendable, Hashable {
    public var name: String
    /// The models the route may use; every model when empty.
    public var models: [String]
    /// Constraints a request inherits; its own headers and `frontier` object override them.
    public var constraints: Constraints
    /// Set for a cascade route: its tiers replace the router's choice.
    public var cascade: Cascade?
    /// The ledger durability of this route's requests (`strict` for regulated routes); the ledger's default when nil.
    public var durability: LedgerDurability?
    /// What the router may read of this route's prompts (`signals`); `router.signals` when nil.
    public var signals: Set<RouterSignal>?
    /// `on_violation` for this route's requests; `privacy.on_violation` when nil.
    public var onViolation: PIIViolationAction?

    public init(name: String, models: [String] = [], constraints: Constraints = Constraints(), cascade: Cascade? = nil) {
        self.name = name
        self.models = models
        self.constraints = constraints
        self.cascade = cascade
    }
}
