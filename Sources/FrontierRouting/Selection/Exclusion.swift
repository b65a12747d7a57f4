public import FrontierCore

/// Why a model could not serve a request. Kept as values and rendered only
/// when someone reads them: most requests never print their exclusions.
public enum Exclusion: Sendable, Equatable, CustomStringConvertible {
    /// The model's deployment is outside the zone; `reason` says what the policy found, when it narrowed the zone.
    case privacy(deployment: Deployment, zone: PrivacyZone, reason: PrivacyReason?)
    case context(neededTokens: Int, window: Int)
    case health(String)
    /// The key's budget cannot cover the model's worst case for this request.
    case budget(worstCaseUSD: Double, remainingUSD: Double)
    case cost(expectedUSD: Double, maximumUSD: Double)
    case latency(expectedMs: Double, maximumMs: Double)
    case quality(expected: Double, minimum: Double)

    public var description: String {
        switch self {
        case .privacy(let deployment, let zone, let reason):
            let why = reason.map { "\($0) and policy sends such requests to \(zone.rawValue) models only" } ?? "the request asks for \(zone.rawValue)"
            return "privacy: a \(deployment.rawValue) model, and \(why)"
        case .context(let needed, let window):
            return "context: needs about \(needed) tokens, window is \(window)"
        case .health(let reason):
            return "health: \(reason)"
        case .budget(let worst, let remaining):
            return "budget: costs up to $\(Self.format(worst)), the key has $\(Self.format(remaining)) left"
        case .cost(let expected, let maximum):
            return "cost: expected $\(Self.format(expected)) over the maximum $\(Self.format(maximum))"
        case .latency(let expected, let maximum):
            return "latency: expected \(expected.wholeMilliseconds) ms over the maximum \(maximum.wholeMilliseconds) ms"
        case .quality(let expected, let minimum):
            return "quality: expected \(Self.format(expected)) below the minimum \(Self.format(minimum))"
        }
    }

    public var isHealth: Bool {
        if case .health = self { return true }
        return false
    }

    public var isBudget: Bool {
        if case .budget = self { return true }
        return false
    }

    public static func format(_ value: Double) -> String {
        String((value * 1_000_000).rounded() / 1_000_000)
    }
}

/// The rule that ordered the feasible models.
public enum SelectionRule: Sendable, Equatable, CustomStringConvertible {
    case cheapest(minQuality: Double?)
    case best(maxCostUSD: Double?)
    case balanced(lambda: Double)
    case noFeasibleModel

    public var description: String {
        switch self {
        case .cheapest(let min): min.map { "cheapest with quality >= \($0)" } ?? "cheapest"
        case .best(let max): max.map { "best within $\($0)" } ?? "best"
        case .balanced(let lambda): "balanced (quality - \(lambda) x cost)"
        case .noFeasibleModel: "no feasible model"
        }
    }
}
