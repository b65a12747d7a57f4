/// Which deployments may see a request.
public enum PrivacyZone: String, Sendable, Hashable, CaseIterable, Comparable {
    case any
    case onPrem = "on-prem"
    case local

    /// Whether a model deployed in `deployment` may serve a request restricted to this zone.
    public func admits(_ deployment: Deployment) -> Bool {
        switch self {
        case .any: return true
        case .onPrem: return deployment != .cloud
        case .local: return deployment == .local
        }
    }

    /// The stricter of two zones.
    public func narrowed(to other: PrivacyZone) -> PrivacyZone { max(self, other) }

    private var rank: Int {
        switch self {
        case .any: return 0
        case .onPrem: return 1
        case .local: return 2
        }
    }

    public static func < (lhs: PrivacyZone, rhs: PrivacyZone) -> Bool { lhs.rank < rhs.rank }
}

/// What the router optimises once the hard constraints hold.
public enum Objective: String, Sendable, Hashable, CaseIterable {
    /// The cheapest model that meets the minimum quality.
    case cheapest
    /// The highest expected quality within the cost limit.
    case best
    /// Quality minus λ times cost.
    case balanced
}

/// A request's limits: from headers, the body's `frontier` object and route defaults.
public struct Constraints: Sendable, Hashable {
    public var maxCostUSD: Double?
    public var maxLatencyMs: Double?
    public var privacy: PrivacyZone
    public var minQuality: Double?
    public var objective: Objective

    public init(maxCostUSD: Double? = nil, maxLatencyMs: Double? = nil, privacy: PrivacyZone = .any, minQuality: Double? = nil, objective: Objective = .balanced) {
        self.maxCostUSD = maxCostUSD
        self.maxLatencyMs = maxLatencyMs
        self.privacy = privacy
        self.minQuality = minQuality
        self.objective = objective
    }
}

/// What a request that names a model outside the PII zone gets.
public enum PIIViolationAction: String, Sendable {
    /// 403, with the reason.
    case refuse
    /// Routed as `auto` within the zone instead.
    case reroute
    /// Sent to the model it names with every sensitive value replaced by a placeholder, the values restored in
    /// the answer (where the request can be masked safely; otherwise refused as `refuse` would).
    case pseudonymize
}
