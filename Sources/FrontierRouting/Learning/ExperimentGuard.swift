import Foundation

/// Watches an A/B experiment between the live router and a candidate, and
/// stops it when the candidate is worse than the guard allows, with
/// confidence, however often it is looked at.
///
/// The test is a confidence sequence per arm (Robbins' normal mixture, as in
/// Howard, Ramdas, McAuliffe and Sekhon, "Time-uniform, nonparametric,
/// nonasymptotic confidence sequences", 2021): a bound on the arm's mean that
/// holds at every sample size at once with probability 1 − α/2. Scores are in
/// [0, 1], so 1/2-sub-Gaussian, and the bound needs no variance estimate. It is
/// chosen over a fixed-sample test because the guard looks after every request
/// (a fixed-sample test looked at that often would stop a good candidate far
/// more than α of the time) and over SPRT because it needs no alternative
/// hypothesis: it bounds the difference itself, which is what the threshold is
/// stated in. The quality guard stops when the upper bound of
/// (candidate − live) falls below `minQualityDelta`; the cost guard when the
/// lower bound of the candidate's mean cost exceeds the live mean's upper
/// bound times (1 + `maxCostDelta`). Costs are not bounded in advance: they
/// are scaled by the largest seen so far, which makes the cost bound
/// approximate (costs are exact figures, not noisy judgements, so this only
/// keeps a few expensive prompts from stopping an experiment early).
public struct ExperimentGuard: Sendable, Equatable {
    public enum Arm: String, Sendable, CaseIterable {
        case live
        case candidate
    }

    public struct Thresholds: Sendable, Equatable {
        /// The worst mean quality difference (candidate − live) tolerated, e.g. −0.02.
        public var minQualityDelta: Double
        /// The most the candidate's mean cost may exceed the live one's, as a fraction (0: not at all).
        public var maxCostDelta: Double
        /// The chance of stopping an experiment whose candidate is within both limits, over its whole life.
        public var alpha: Double
        /// Requests (for cost) or scores (for quality) per arm before either guard may stop it.
        public var minSamples: Int

        public init(minQualityDelta: Double = -0.02, maxCostDelta: Double = 0, alpha: Double = 0.05, minSamples: Int = 20) {
            self.minQualityDelta = minQualityDelta
            self.maxCostDelta = maxCostDelta
            self.alpha = alpha
            self.minSamples = minSamples
        }
    }

    public struct ArmStats: Sendable, Equatable {
        public var requests = 0
        public var costSum = 0.0
        public var costMax = 0.0
        public var scores = 0
        public var scoreSum = 0.0

        public var meanCost: Double? { requests > 0 ? costSum / Double(requests) : nil }
        public var meanScore: Double? { scores > 0 ? scoreSum / Double(scores) : nil }
    }

    public enum State: Sendable, Equatable {
        case running
        /// Stopped by a guard: why, in words, once.
        case stopped(reason: String)
    }

    public let thresholds: Thresholds
    public private(set) var live = ArmStats()
    public private(set) var candidate = ArmStats()
    public private(set) var state = State.running

    public init(thresholds: Thresholds = Thresholds()) {
        self.thresholds = thresholds
    }

    public var isRunning: Bool { state == .running }

    /// A request served by `arm` at `costUSD`; returns the reason when this stops the experiment.
    public mutating func served(_ arm: Arm, costUSD: Double) -> String? {
        let cost = costUSD.isFinite ? max(0, costUSD) : 0
        update(arm) { s in
            s.requests += 1
            s.costSum += cost
            s.costMax = max(s.costMax, cost)
        }
        return check()
    }

    /// A score (feedback on an answer `arm` served); returns the reason when this stops the experiment.
    public mutating func scored(_ arm: Arm, score: Double) -> String? {
        guard score.isFinite else { return nil }
        update(arm) { s in
            s.scores += 1
            s.scoreSum += min(1, max(0, score))
        }
        return check()
    }

    /// The quality difference (candidate − live) and its bounds at the current sample sizes, when both arms have scores.
    public var qualityDelta: (estimate: Double, lower: Double, upper: Double)? {
        guard let c = candidate.meanScore, let l = live.meanScore else { return nil }
        let rc = Self.radius(samples: candidate.scores, sigma: 0.5, alpha: thresholds.alpha / 2)
        let rl = Self.radius(samples: live.scores, sigma: 0.5, alpha: thresholds.alpha / 2)
        return (c - l, c - rc - (l + rl), c + rc - (l - rl))
    }

    /// The candidate's mean cost over the live one's, with the conservative bounds the cost guard uses.
    public var costRatio: (estimate: Double, lower: Double)? {
        guard let c = candidate.meanCost, let l = live.meanCost, l > 0 else { return nil }
        let scale = max(candidate.costMax, live.costMax)
        let rc = Self.radius(samples: candidate.requests, sigma: scale / 2, alpha: thresholds.alpha / 2)
        let rl = Self.radius(samples: live.requests, sigma: scale / 2, alpha: thresholds.alpha / 2)
        return (c / l, max(0, c - rc) / (l + rl))
    }

    private mutating func check() -> String? {
        guard state == .running else { return nil }
        var reason: String?
        if candidate.scores >= thresholds.minSamples, live.scores >= thresholds.minSamples, let delta = qualityDelta,
           delta.upper < thresholds.minQualityDelta {
            reason = String(
                format: "quality: the candidate scores %.3f below the live router (at most %.3f below, with %.0f%% confidence, after %d and %d scores); the guard allows %.3f",
                -delta.estimate, -delta.upper, (1 - thresholds.alpha) * 100, candidate.scores, live.scores, -thresholds.minQualityDelta)
        } else if candidate.requests >= thresholds.minSamples, live.requests >= thresholds.minSamples, let ratio = costRatio,
                  ratio.lower > 1 + thresholds.maxCostDelta {
            reason = String(
                format: "cost: the candidate costs %.2fx the live router per request (at least %.2fx, with %.0f%% confidence, after %d and %d requests); the guard allows %.2fx",
                ratio.estimate, ratio.lower, (1 - thresholds.alpha) * 100, candidate.requests, live.requests, 1 + thresholds.maxCostDelta)
        }
        if let reason { state = .stopped(reason: reason) }
        return reason
    }

    private mutating func update(_ arm: Arm, _ body: (inout ArmStats) -> Void) {
        switch arm {
        case .live: body(&live)
        case .candidate: body(&candidate)
        }
    }

    /// The one-sided normal-mixture boundary on a mean of `samples` σ-sub-Gaussian values, valid at every
    /// sample size at once with probability 1 − `alpha`. The mixture's ρ is tuned for about a hundred samples.
    public static func radius(samples: Int, sigma: Double, alpha: Double) -> Double {
        guard samples > 0 else { return .infinity }
        guard sigma > 0 else { return 0 }
        let v = sigma * sigma * Double(samples)
        let rho = sigma * sigma * 100
        return ((v + rho) * log((v + rho) / (rho * alpha * alpha))).squareRoot() / Double(samples)
    }
}
