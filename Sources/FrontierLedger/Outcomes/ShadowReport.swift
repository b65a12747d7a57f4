public import FrontierCore

/// What `router.shadow` would have done, from the ledger: how often it agreed
/// with the live router, what its choices would have cost and scored by the
/// live router's own estimates (one yardstick for both, so the shadow's
/// confidence in itself does not flatter it), and, where a score exists for
/// both choices on the same request (exploration, or both scored), the measured
/// difference with a 95 % interval. No model is called.
public struct ShadowReport: Sendable {
    public struct Row: Sendable, Equatable {
        /// A domain, or "all".
        public var domain: String
        public var requests = 0
        public var agreed = 0
        /// Requests where both choices have estimates.
        public var estimated = 0
        public var liveQuality = 0.0
        public var shadowQuality = 0.0
        public var liveCostUSD = 0.0
        public var shadowCostUSD = 0.0
        /// Paired measured differences (shadow − live) where both choices were scored.
        public var measured: [Double] = []

        public var agreement: Double { requests > 0 ? Double(agreed) / Double(requests) : 0 }
        public var qualityDelta: Double { estimated > 0 ? (shadowQuality - liveQuality) / Double(estimated) : 0 }
        public var costRatio: Double { liveCostUSD > 0 ? shadowCostUSD / liveCostUSD : 1 }

        /// The measured mean difference and its 95 % half-width (normal approximation), with at least two pairs.
        public var measuredDelta: (mean: Double, halfWidth: Double)? {
            guard measured.count >= 2 else { return nil }
            let n = Double(measured.count), mean = measured.reduce(0, +) / n
            let variance = measured.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)
            return (mean, 1.96 * (variance / n).squareRoot())
        }
    }

    public var rows: [Row]

    public init(records stored: [StoredRecord], fromMs: Int64? = nil) {
        var requests: [LedgerRecord] = []
        var scores: [String: [String: Double]] = [:]
        for s in stored.sorted(by: { $0.seq < $1.seq }) {
            guard let json = try? JSONParser.parse(s.body), let entry = try? LedgerEntry(json: json) else { continue }
            switch entry {
            case .request(let r) where r.kind == nil && r.shadowModel != nil && r.model != nil:
                if let fromMs, r.timeMs < fromMs { continue }
                requests.append(r)
            case .feedback(let f):
                scores[f.requestID, default: [:]][f.model] = f.score
            default:
                continue
            }
        }
        var byDomain: [String: Row] = [:]
        var all = Row(domain: "all")
        for r in requests {
            guard let served = r.model, let shadow = r.shadowModel else { continue }
            let domain = r.domain ?? "unknown"
            var row = byDomain[domain] ?? Row(domain: domain)
            for target in [0, 1] {
                var x = target == 0 ? row : all
                x.requests += 1
                if shadow == served { x.agreed += 1 }
                if let l = Self.estimate(r.decisionDetail, served), let s = Self.estimate(r.decisionDetail, shadow) {
                    x.estimated += 1
                    x.liveQuality += l.quality
                    x.shadowQuality += s.quality
                    x.liveCostUSD += l.cost
                    x.shadowCostUSD += s.cost
                }
                if shadow == served, scores[r.requestID]?[served] != nil {
                    x.measured.append(0)
                } else if let l = scores[r.requestID]?[served], let s = scores[r.requestID]?[shadow] {
                    x.measured.append(s - l)
                }
                if target == 0 { row = x } else { all = x }
            }
            byDomain[domain] = row
        }
        rows = byDomain.keys.sorted().compactMap { byDomain[$0] } + (requests.isEmpty ? [] : [all])
    }

    /// The live decision's estimate for `model`: quality and cost.
    static func estimate(_ detail: JSONValue?, _ model: String) -> (quality: Double, cost: Double)? {
        guard let candidates = detail?["candidates"]?.arrayValue,
              let c = candidates.first(where: { $0["model"]?.stringValue == model }),
              let quality = c["expected_quality"]?.doubleValue, let cost = c["expected_cost_usd"]?.doubleValue
        else { return nil }
        return (quality, cost)
    }

    public var table: String {
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
        var lines = [
            pad("domain", 16) + pad("requests", 10) + pad("agree", 8) + pad("est. quality Δ", 16) + pad("est. cost", 11) + "measured Δ (95 %)",
        ]
        for r in rows {
            let measured = r.measuredDelta.map { String(format: "%+.3f ± %.3f (%d pairs)", $0.mean, $0.halfWidth, r.measured.count) } ?? "\(r.measured.count) pairs: too few"
            lines.append(
                pad(r.domain, 16) + pad(String(r.requests), 10) + pad(String(format: "%.0f%%", r.agreement * 100), 8)
                    + pad(String(format: "%+.3f", r.qualityDelta), 16) + pad(String(format: "%.2fx", r.costRatio), 11) + measured)
        }
        return lines.joined(separator: "\n")
    }
}
