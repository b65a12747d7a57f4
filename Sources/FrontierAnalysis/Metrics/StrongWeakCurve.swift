/// A binary router between a strong and a weak model, as RouteLLM measures
/// it: prompts ranked by a router's score (higher = more in need of the
/// strong model), the top fraction sent to the strong one.
///
/// - PGR(k), performance gap recovered with a fraction k of calls to the
///   strong model: (quality(k) - quality(weak)) / (quality(strong) - quality(weak)).
/// - APGR: the area under PGR over k in [0, 1] (trapezoids at every prompt).
/// - CPT(x): the least fraction of calls to the strong model with PGR >= x.
///
/// A random router has APGR 0.5 in expectation.
public struct StrongWeakCurve: Sendable {
    public let strong: String
    public let weak: String
    /// PGR after sending the first k ranked prompts to the strong model, k = 0...n.
    public let pgr: [Double]
    public let qualityStrong: Double
    public let qualityWeak: Double

    /// - Parameter outcomes: per prompt, (router score, strong model's score, weak model's score).
    public init(strong: String, weak: String, outcomes: [(rank: Double, strong: Double, weak: Double)]) {
        self.strong = strong
        self.weak = weak
        let n = Double(max(outcomes.count, 1))
        let qs = outcomes.reduce(0) { $0 + $1.strong } / n
        let qw = outcomes.reduce(0) { $0 + $1.weak } / n
        qualityStrong = qs
        qualityWeak = qw
        // Stable: equal scores keep their given order.
        let ranked = outcomes.enumerated().sorted { $0.element.rank != $1.element.rank ? $0.element.rank > $1.element.rank : $0.offset < $1.offset }
        var total = qw * n
        var pgr = [0.0]
        let gap = qs - qw
        for (_, o) in ranked {
            total += o.strong - o.weak
            pgr.append(gap > 0 ? (total / n - qw) / gap : 0)
        }
        if gap > 0 { pgr[0] = 0 }
        self.pgr = pgr
    }

    public var apgr: Double {
        guard pgr.count >= 2 else { return 0 }
        let steps = Double(pgr.count - 1)
        return (pgr.reduce(0, +) - (pgr[0] + pgr[pgr.count - 1]) / 2) / steps
    }

    /// CPT(x) as a fraction of calls to the strong model; nil if PGR never reaches x.
    public func callsToStrong(toRecover fraction: Double) -> Double? {
        guard let k = pgr.firstIndex(where: { $0 >= fraction - 1e-12 }) else { return nil }
        return Double(k) / Double(max(pgr.count - 1, 1))
    }
}
