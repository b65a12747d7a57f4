public import FrontierCore
public import FrontierRouting

/// The live-signal drift detector (``QualityCUSUM``) measured on recorded outcomes: each model's graded answers
/// replayed as a stream of scores in a seeded random order, a drop of a known size injected at a known point
/// (a right answer turned wrong with the probability that lowers the model's mean by exactly that much), the
/// detection delay counted in that model's requests; and the false alarms counted on streams left unchanged.
public struct DriftSimulation: Sendable {
    public var settings: QualityCUSUM.Settings
    /// Scores watched after the baseline before the drop (an alarm before it is a false alarm, not a detection).
    public var changeAfter: Int
    /// Scores watched after the drop before the run counts as missed.
    public var horizon: Int

    public init(settings: QualityCUSUM.Settings, changeAfter: Int = 2000, horizon: Int = 10_000) {
        self.settings = settings
        self.changeAfter = changeAfter
        self.horizon = horizon
    }

    public struct Detection: Sendable, Equatable {
        public var drop: Double
        public var runs: Int
        /// Requests of the model from the drop to the alarm, in the runs that found it, sorted.
        public var delays: [Int]
        public var missed: Int
        /// Runs that alarmed before the drop (counted among the false alarms too).
        public var early: Int

        public init(drop: Double, runs: Int = 0, delays: [Int] = [], missed: Int = 0, early: Int = 0) {
            (self.drop, self.runs, self.delays, self.missed, self.early) = (drop, runs, delays, missed, early)
        }

        public func quantile(_ q: Double) -> Int? {
            delays.isEmpty ? nil : delays[min(delays.count - 1, Int((Double(delays.count) * q).rounded(.down)))]
        }

        public var mean: Double? { delays.isEmpty ? nil : Double(delays.reduce(0, +)) / Double(delays.count) }
    }

    public struct FalseAlarms: Sendable, Equatable {
        public var alarms: Int
        public var requests: Int

        public init(alarms: Int = 0, requests: Int = 0) {
            (self.alarms, self.requests) = (alarms, requests)
        }

        public var perHundredThousand: Double { requests == 0 ? 0 : Double(alarms) * 100_000 / Double(requests) }
    }

    /// Model -> its recorded scores, one per prompt (the models with at least `minimum` results).
    public static func scores(_ outcomes: OutcomeSet, minimum: Int = 100) -> [String: [Double]] {
        var byModel: [String: [Double]] = [:]
        for record in outcomes.records {
            for (model, outcome) in record.results { byModel[model, default: []].append(outcome.score) }
        }
        return byModel.filter { $0.value.count >= minimum }
    }

    /// Runs `runs` seeded streams of one model's scores with `drop` injected after ``changeAfter`` watched scores.
    public func detection(_ scores: [Double], drop: Double, runs: Int, seed: UInt64) -> Detection {
        var result = Detection(drop: drop, runs: runs, delays: [], missed: 0, early: 0)
        let mean = scores.reduce(0, +) / Double(max(1, scores.count))
        // A right answer turned wrong with probability drop / mean lowers the mean by `drop` (capped at all of it).
        let flip = mean > 0 ? min(1, drop / mean) : 0
        for run in 0..<runs {
            var random = SeededGenerator(seed: SeededHash.of("detection-\(run)", seed: seed))
            var detector = QualityCUSUM(settings: settings)
            var watched = 0
            var found: Int?
            while found == nil, watched < changeAfter + horizon {
                var x = scores[Int(random.next() % UInt64(scores.count))]
                let afterChange = watched >= changeAfter
                if afterChange, x > 0, Double(random.next() >> 11) / Double(1 << 53) < flip { x = 0 }
                let learning = if case .learning = detector.state { true } else { false }
                if detector.observe(x) != nil { found = watched }
                if !learning { watched += 1 }
            }
            guard let found else { result.missed += 1; continue }
            if found < changeAfter { result.early += 1 } else { result.delays.append(found - changeAfter + 1) }
        }
        result.delays.sort()
        return result
    }

    /// Alarms on `runs` unchanged streams of `length` watched scores each (after each alarm the detector learns
    /// its baseline again, as the gateway's does).
    public func falseAlarms(_ scores: [Double], runs: Int, length: Int, seed: UInt64) -> FalseAlarms {
        var result = FalseAlarms(alarms: 0, requests: 0)
        for run in 0..<runs {
            var random = SeededGenerator(seed: SeededHash.of("unchanged-\(run)", seed: seed))
            var detector = QualityCUSUM(settings: settings)
            var watched = 0
            while watched < length {
                let x = scores[Int(random.next() % UInt64(scores.count))]
                guard case .learning = detector.state else {
                    if detector.observe(x) != nil {
                        result.alarms += 1
                        // As the gateway does after an alarm: the baseline is learned again from what follows.
                        detector = QualityCUSUM(settings: settings)
                    }
                    watched += 1
                    continue
                }
                _ = detector.observe(x)
            }
            result.requests += watched
        }
        return result
    }
}
