/// Cascades replayed on outcome data, with a checker of stated error rates:
/// tier by tier, the checker accepts a right answer (score >= 0.5) with
/// probability 1 - falseReject and a wrong one with probability falseAccept;
/// a rejected answer goes to the next tier; the last tier is always
/// accepted. Every tier tried is paid for. The expectations are computed
/// exactly per prompt (no sampling), so the curves are reproducible.
///
/// The chains tried are every ordered pair and triple of models in order of
/// mean cost; the cascade curve is the NDCH of their points.
public struct CascadeSimulation: Sendable {
    public let falseAccept: Double
    public let falseReject: Double

    public init(falseAccept: Double, falseReject: Double) {
        self.falseAccept = falseAccept
        self.falseReject = falseReject
    }

    /// The expected mean cost and quality of one chain over the prompts every tier of it was run on.
    public func point(_ chain: [String], on set: OutcomeSet) -> CostQualityPoint? {
        var quality = 0.0, cost = 0.0, n = 0
        for record in set.records {
            let outcomes = chain.compactMap { record.results[$0] }
            guard outcomes.count == chain.count else { continue }
            var reach = 1.0
            for (k, outcome) in outcomes.enumerated() {
                cost += reach * (outcome.costUSD ?? 0)
                let accept = k == outcomes.count - 1 ? 1 : (outcome.score >= 0.5 ? 1 - falseReject : falseAccept)
                quality += reach * accept * outcome.score
                reach *= 1 - accept
            }
            n += 1
        }
        guard n > 0 else { return nil }
        return CostQualityPoint(label: chain.joined(separator: " > "), cost: cost / Double(n), quality: quality / Double(n), count: n)
    }

    /// Every pair and triple of models, cheapest first.
    public static func chains(_ models: [CostQualityPoint]) -> [[String]] {
        let sorted = models.sorted { $0.cost < $1.cost }.map(\.label)
        var chains: [[String]] = []
        for i in sorted.indices {
            for j in sorted.indices where j > i {
                chains.append([sorted[i], sorted[j]])
                for k in sorted.indices where k > j { chains.append([sorted[i], sorted[j], sorted[k]]) }
            }
        }
        return chains
    }

    public func curve(on set: OutcomeSet, models: [CostQualityPoint]) -> (curve: FrontierCurve, points: [CostQualityPoint]) {
        let points = Self.chains(models).compactMap { point($0, on: set) }
        return (FrontierCurve(hullOf: points), points)
    }
}
