import Foundation

/// A sequential test for a drop in one model's success rate, as a plain state machine: scores in, an alarm out.
///
/// A Bernoulli CUSUM (Page 1954; Reynolds and Stoumbos 1999 for the Bernoulli case) rather than Page-Hinkley:
/// the signals it reads (a check passed, feedback, an answer graded) are scores in [0, 1] whose mean is the
/// quantity the router cares about, and a drop of a known size (`regression.max_quality_drop`) is the
/// alternative, so the likelihood-ratio CUSUM is the optimal detector for it (Lorden, Moustakides) and its false
/// alarm rate follows from its threshold alone: at least one alarm per e^h observations on an unchanged stream
/// (Wald), in practice fewer. Page-Hinkley needs a tolerance and a threshold in the data's units, tuned per model.
///
/// The baseline is the mean of the first `baselineCount` scores; the
/// statistic `S = max(0, S + log(p1/p0)·x + log((1-p1)/(1-p0))·(1-x))`, with `p1 = p0 - drop`, runs from there. A
/// score in between 0 and 1 enters as its fraction of each term (the quasi-likelihood of a [0, 1] mean). When
/// `S ≥ threshold` the detector alarms once and holds: `recent` says what the scores since the statistic last
/// left zero averaged, the evidence beside the baseline.
public struct QualityCUSUM: Sendable, Equatable {
    /// The defaults were chosen on the shared MMLU-Pro outcomes (`frontier drift simulate`, docs/drift.md): a design
    /// drop of 0.08 and h = 9 find a 0.10 drop in about 390 of the model's requests (p90 about 620) at under one
    /// false alarm per 200,000 requests; a baseline of 2,000 scores keeps its own error (±0.01) from raising alarms.
    public struct Settings: Sendable, Equatable {
        /// The drop in mean score the statistic is tuned to (the smaller drops are found later, the larger sooner).
        public var drop: Double
        /// The CUSUM's threshold h (nats).
        public var threshold: Double
        /// Scores that make the baseline.
        public var baselineCount: Int

        public init(drop: Double = 0.08, threshold: Double = 9, baselineCount: Int = 2000) {
            self.drop = min(max(drop, 0.005), 0.9)
            self.threshold = max(threshold, 0.1)
            self.baselineCount = max(10, baselineCount)
        }
    }

    public enum State: Sendable, Equatable {
        case learning(count: Int, sum: Double)
        case watching(baseline: Double)
        case alarmed(baseline: Double, recent: Double, after: Int)
    }

    public struct Alarm: Sendable, Equatable {
        public var baseline: Double
        /// The mean of the scores since the statistic last left zero: what the model scores now.
        public var recent: Double
        /// Scores watched before the alarm.
        public var after: Int
    }

    public let settings: Settings
    public private(set) var state: State = .learning(count: 0, sum: 0)
    public private(set) var statistic = 0.0
    private var gain = 0.0, loss = 0.0
    private var runCount = 0, runSum = 0.0
    private var watched = 0

    public init(settings: Settings) {
        self.settings = settings
    }

    /// A detector watching from a known baseline (a canary's, or the last one recorded), with no learning phase.
    public init(settings: Settings, baseline: Double) {
        self.settings = settings
        start(baseline)
    }

    /// One score in [0, 1] (clamped; a non-number is ignored). Returns the alarm at the score that raises it.
    public mutating func observe(_ score: Double) -> Alarm? {
        guard score.isFinite else { return nil }
        let x = min(max(score, 0), 1)
        switch state {
        case .learning(let count, let sum):
            if count + 1 >= settings.baselineCount { start((sum + x) / Double(count + 1)) } else { state = .learning(count: count + 1, sum: sum + x) }
            return nil
        case .alarmed:
            return nil
        case .watching(let baseline):
            watched += 1
            statistic = max(0, statistic + x * gain + (1 - x) * loss)
            if statistic == 0 {
                (runCount, runSum) = (0, 0)
            } else {
                runCount += 1
                runSum += x
            }
            guard statistic >= settings.threshold else { return nil }
            let alarm = Alarm(baseline: baseline, recent: runCount > 0 ? runSum / Double(runCount) : x, after: watched)
            state = .alarmed(baseline: baseline, recent: alarm.recent, after: watched)
            return alarm
        }
    }

    private mutating func start(_ baseline: Double) {
        // Keep both rates inside (0, 1): a model that never failed still has a finite likelihood ratio.
        let p0 = min(max(baseline, 0.01), 0.99)
        let p1 = max(p0 - settings.drop, 0.005)
        gain = log(p1 / p0)
        loss = log((1 - p1) / (1 - p0))
        state = .watching(baseline: baseline)
        (statistic, runCount, runSum, watched) = (0, 0, 0, 0)
    }
}
