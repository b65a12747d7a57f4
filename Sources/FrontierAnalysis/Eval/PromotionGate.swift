public import FrontierRouting

/// The gate before a candidate router file replaces the live one: both
/// replayed at the serving λ on held-out outcomes neither was fitted on, and
/// the candidate may be no worse than the live router by more than
/// `threshold` in any domain with enough prompts to tell, nor overall, nor in
/// AIQ over the whole cost range (a client may ask for `best` or `cheapest`,
/// which reads the rest of the curve). A prompt with one model's result cannot
/// tell two routers apart (both can only pick that model), and exported
/// traffic is mostly such prompts (the served model's score): the gate reads
/// only prompts with two results or more.
public struct PromotionGate: Sendable {
    public var threshold: Double
    /// Domains with fewer held-out prompts are shown but do not gate: their mean is mostly noise.
    public var minPrompts: Int

    public init(threshold: Double = 0.01, minPrompts: Int = 30) {
        self.threshold = threshold
        self.minPrompts = minPrompts
    }

    public struct Row: Sendable, Equatable {
        /// A domain, or "all".
        public var domain: String
        public var prompts: Int
        public var live: Double
        public var candidate: Double
        public var liveCostUSD: Double
        public var candidateCostUSD: Double
        /// Whether this row gates (enough prompts).
        public var gates: Bool
        public var failed: Bool
        public var change: Double { candidate - live }
    }

    /// The row of AIQ over the held-out set's whole cost range.
    public static let curveRow = "all λ (AIQ)"

    public func compare(live: RouterFile, candidate: RouterFile, heldOut: OutcomeSet, lambda: Double) -> [Row] {
        let heldOut = OutcomeSet(records: heldOut.records.filter { $0.results.count >= 2 })
        let a = RouterEvaluation(file: live, test: heldOut), b = RouterEvaluation(file: candidate, test: heldOut)
        let liveDomains = a.byDomain(lambda: lambda), candidateDomains = b.byDomain(lambda: lambda)
        var rows: [Row] = []
        for domain in liveDomains.keys.sorted() {
            guard let l = liveDomains[domain], let c = candidateDomains[domain] else { continue }
            rows.append(row(domain, prompts: l.prompts, live: (l.quality, l.costUSD), candidate: (c.quality, c.costUSD)))
        }
        let l = a.point(lambda: lambda), c = b.point(lambda: lambda)
        // Overall, every prompt that can tell the two apart counts: a small set gates conservatively, never vacuously.
        rows.append(row("all", prompts: heldOut.records.count, live: (l.quality, l.costUSD), candidate: (c.quality, c.costUSD), always: true))
        let costs = heldOut.modelPoints().map(\.cost)
        if let low = costs.min(), let high = costs.max(), high > low {
            let aiq = { (e: RouterEvaluation) in e.curve().averageQuality(from: low, to: high) }
            rows.append(row(Self.curveRow, prompts: heldOut.records.count, live: (aiq(a), .nan), candidate: (aiq(b), .nan), always: true))
        }
        return rows
    }

    /// No held-out prompt had two results: nothing tells the candidate from the live router, so it may not replace it.
    public static func inconclusive(_ rows: [Row]) -> Bool {
        (rows.first { $0.domain == "all" }?.prompts ?? 0) == 0
    }

    private func row(_ domain: String, prompts: Int, live: (Double, Double), candidate: (Double, Double), always: Bool = false) -> Row {
        let gates = prompts >= minPrompts || (always && prompts > 0)
        return Row(
            domain: domain, prompts: prompts, live: live.0, candidate: candidate.0, liveCostUSD: live.1, candidateCostUSD: candidate.1,
            gates: gates, failed: gates && live.0 - candidate.0 > threshold + 1e-12)
    }

    public func table(_ rows: [Row]) -> String {
        let widths = [18, 9, 9, 11, 9, 13, 13, 6]
        var lines = [Fmt.row(["domain", "prompts", "live", "candidate", "change", "live $/1k", "cand. $/1k", ""], widths)]
        for r in rows {
            lines.append(Fmt.row([
                r.domain, String(r.prompts), Fmt.q(r.live), Fmt.q(r.candidate), (r.change >= 0 ? "+" : "") + Fmt.q(r.change),
                r.liveCostUSD.isNaN ? "-" : Fmt.q(r.liveCostUSD * 1000), r.candidateCostUSD.isNaN ? "-" : Fmt.q(r.candidateCostUSD * 1000), r.failed ? "FAIL" : (r.gates ? "ok" : "few"),
            ], widths))
        }
        return lines.joined(separator: "\n")
    }
}
