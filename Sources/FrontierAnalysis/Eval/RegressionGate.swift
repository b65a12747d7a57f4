/// The regression gate before a model update reaches users: each model's
/// mean score per domain in a new run against a baseline run, on the prompts
/// both runs share. A drop larger than `threshold` on any domain fails.
public struct RegressionGate: Sendable {
    public var threshold: Double

    public init(threshold: Double = 0.05) {
        self.threshold = threshold
    }

    public struct Row: Sendable, Equatable {
        public var model: String
        public var domain: String
        public var baseline: Double
        public var current: Double
        public var prompts: Int
        public var failed: Bool
        public var change: Double { current - baseline }
    }

    public func compare(current: OutcomeSet, baseline: OutcomeSet) -> [Row] {
        let base = Dictionary(baseline.records.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var sums: [String: [String: (current: Double, baseline: Double, n: Int)]] = [:]
        for record in current.records {
            guard let old = base[record.id] else { continue }
            let domain = record.domain ?? old.domain ?? OutcomeSet.unknownDomain
            for (model, outcome) in record.results {
                guard let before = old.results[model] else { continue }
                var entry = sums[model, default: [:]][domain, default: (0, 0, 0)]
                entry.current += outcome.score
                entry.baseline += before.score
                entry.n += 1
                sums[model, default: [:]][domain] = entry
            }
        }
        var rows: [Row] = []
        for model in sums.keys.sorted() {
            for (domain, s) in (sums[model] ?? [:]).sorted(by: { $0.key < $1.key }) {
                let b = s.baseline / Double(s.n), c = s.current / Double(s.n)
                rows.append(Row(model: model, domain: domain, baseline: b, current: c, prompts: s.n, failed: b - c > threshold + 1e-12))
            }
        }
        return rows
    }

    public func table(_ rows: [Row]) -> String {
        var lines = [Fmt.row(["model", "domain", "baseline", "now", "change", "prompts", ""], [26, 18, 10, 10, 10, 9, 6])]
        for r in rows {
            lines.append(Fmt.row([
                r.model, r.domain, Fmt.q(r.baseline), Fmt.q(r.current), (r.change >= 0 ? "+" : "") + Fmt.q(r.change), String(r.prompts),
                r.failed ? "FAIL" : "ok",
            ], [26, 18, 10, 10, 10, 9, 6]))
        }
        return lines.joined(separator: "\n")
    }
}
