import FrontierCore
import FrontierLedger

extension DashboardAPI {
    /// The routing page's counts beyond the usage sums (``RoutingRollup``): the requests per front door, the
    /// requests with sensitive data and where they were kept, each cascade tier's outcomes with the checks that
    /// failed, and the fallbacks, in total and per step of the page's series.
    /// - Parameter requests: the window's requests, the share's denominator.
    static func routingEvents(_ counts: [RoutingKey: Int], requests: Int) -> JSONObject {
        var categories: [String: [String: Int]] = [:]
        var tiers: [TierKey: TierCounts] = [:]
        var fallbacks: [FallbackKey: Int] = [:], fallbackSteps: [Int64: Int] = [:], doors: [String: Int] = [:]
        for (key, n) in counts {
            switch key.kind {
            case .sensitive:
                categories[key.name, default: [:]][key.detail, default: 0] += n
            case .tier:
                tiers[TierKey(route: key.route, tier: key.name), default: TierCounts()].outcomes[key.detail, default: 0] += n
            case .check:
                tiers[TierKey(route: key.route, tier: key.name), default: TierCounts()].checks[key.detail, default: 0] += n
            case .fallback:
                fallbacks[FallbackKey(model: key.name, reason: key.detail), default: 0] += n
                fallbackSteps[key.bucketMs, default: 0] += n
            case .door:
                doors[key.name, default: 0] += n
            }
        }
        let any = categories[RoutingKey.anyCategory] ?? [:]
        let sensitive = any.values.reduce(0, +)
        let share: JSONValue = requests > 0 ? .double(Double(sensitive) / Double(requests)) : .null
        let byCategory = categories.filter { $0.key != RoutingKey.anyCategory }.map(category).sorted(by: Self.descending)
        let sortedTiers = tiers.sorted { a, b in
            (a.key.route, a.key.number, a.key.model) < (b.key.route, b.key.number, b.key.model)
        }
        let sortedFallbacks = fallbacks.sorted { a, b in
            a.value != b.value ? a.value > b.value : (a.key.model, a.key.reason) < (b.key.model, b.key.reason)
        }
        return [
            "by_door": .array(doors.map { (name: $0.key, count: $0.value) }.sorted(by: Self.descending).map {
                ["name": .string($0.name), "requests": .int(Int64($0.count))]
            }),
            "sensitive": [
                "requests": .int(Int64(sensitive)), "kept_in_zone": .int(Int64(kept(any))), "share_of_requests": share,
                "by_category": .array(byCategory.map(\.json)),
            ],
            "tiers": .array(sortedTiers.map { tier($0.key, $0.value) }),
            "fallbacks": .array(sortedFallbacks.map { ["model": .string($0.key.model), "reason": .string($0.key.reason), "count": .int(Int64($0.value))] }),
            "fallback_series": .array(fallbackSteps.sorted { $0.key < $1.key }.map { ["t": .int($0.key), "count": .int(Int64($0.value))] }),
        ]
    }

    /// Kept in the zone the policy narrowed it to.
    private static func kept(_ handling: [String: Int]) -> Int { (handling["on-prem"] ?? 0) + (handling["local"] ?? 0) }

    private static func descending(_ a: (name: String, count: Int), _ b: (name: String, count: Int)) -> Bool {
        a.count != b.count ? a.count > b.count : a.name < b.name
    }

    private static func sortedCounts(_ d: [String: Int]) -> JSONValue {
        object(d.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.int(Int64($0.value))) })
    }

    private static func category(_ entry: (key: String, value: [String: Int])) -> (name: String, count: Int, json: JSONValue) {
        let requests = entry.value.values.reduce(0, +)
        let json: JSONValue = [
            "category": .string(entry.key), "requests": .int(Int64(requests)), "kept_in_zone": .int(Int64(kept(entry.value))),
            "by_handling": sortedCounts(entry.value),
        ]
        return (entry.key, requests, json)
    }

    private static func descending(_ a: (name: String, count: Int, json: JSONValue), _ b: (name: String, count: Int, json: JSONValue)) -> Bool {
        descending((a.name, a.count), (b.name, b.count))
    }

    private static func tier(_ key: TierKey, _ value: TierCounts) -> JSONValue {
        let attempts = value.outcomes.values.reduce(0, +)
        // An attempt that did not end the request: the next tier got it (rejected, failed or skipped).
        let passedOn = attempts - (value.outcomes["accepted"] ?? 0) - (value.outcomes["served"] ?? 0)
        let rate: JSONValue = attempts > 0 ? .double(Double(passedOn) / Double(attempts)) : .null
        let checks = value.checks.map { (name: $0.key, count: $0.value) }.sorted(by: descending)
        return [
            "route": .string(key.route), "tier": .int(Int64(key.number)), "model": .string(key.model),
            "attempts": .int(Int64(attempts)), "outcomes": sortedCounts(value.outcomes), "escalation_rate": rate,
            "failed_checks": .array(checks.map { ["check": .string($0.name), "count": .int(Int64($0.count))] }),
        ]
    }

    private struct TierCounts {
        var outcomes: [String: Int] = [:]
        var checks: [String: Int] = [:]
    }

    private struct TierKey: Hashable {
        var route: String
        /// "tier:model", as the rollup names it.
        var tier: String
        var number: Int { Int(tier.split(separator: ":", maxSplits: 1).first ?? "") ?? 0 }
        var model: String {
            let parts = tier.split(separator: ":", maxSplits: 1)
            return parts.count > 1 ? String(parts[1]) : tier
        }
    }

    private struct FallbackKey: Hashable {
        var model: String
        var reason: String
    }
}
