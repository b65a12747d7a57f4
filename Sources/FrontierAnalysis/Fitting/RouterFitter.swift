public import Foundation
import FrontierCore
public import FrontierRouting

/// `frontier fit`: learns a ``RouterFile`` from outcome data on a seeded split
/// by prompt id, and measures it on the held-out prompts against baselines.
///
/// Model selection never looks at the test prompts: the predictor's settings
/// and its blend with per-domain means are chosen by AIQ on a validation
/// split of the training prompts; then k-fold cross-validation over the
/// training prompts decides which signal the router may use at all — none
/// (the zero router: each model's overall quality, so every λ picks one
/// fixed model), per-domain means, or the per-prompt blend — keeping the
/// simpler one unless the richer wins by more than twice the standard error
/// of its gain across folds (one split of a few dozen prompts is noise). Everything
/// is then fitted again on all training prompts.
///
/// ```swift
/// let fit = RouterFitter().fit(try OutcomeReader().read(path: "outcomes.jsonl"), dataName: "outcomes.jsonl")
/// try fit.file.save(path: "router.json")
/// print(fit.report.table)
/// ```
public struct RouterFitter: Sendable {
    public var testPercent = 20
    public var seed: UInt64 = 1
    /// Shrinks a model's per-domain quality toward its overall quality by this many pseudo-prompts.
    public var smoothing = 5.0
    /// Predictor settings tried on the validation split, each with and without the difficulty features.
    public var predictorSettings: [QualityPredictorFitter] = [false, true].flatMap { difficulty in
        [
            QualityPredictorFitter(epochs: 3, learningRate: 0.02, l2: 1e-3, difficulty: difficulty),
            QualityPredictorFitter(epochs: 3, learningRate: 0.05, l2: 1e-4, difficulty: difficulty),
            QualityPredictorFitter(epochs: 6, learningRate: 0.2, l2: 1e-5, difficulty: difficulty),
        ]
    }
    public var blends: [Float] = [0, 0.25, 0.5, 0.75, 1]
    /// Folds of the cross-validation that picks the signal.
    public var folds = 3
    /// Prompt id -> unit-length sentence embedding (``EmbeddingReader``); with them the embedding signal is a candidate.
    public var embeddings: [String: [Float]] = [:]
    /// The embedder they came from; `serve` reads the same embedder's vectors (`router.embedder`).
    public var embedder = "all-minilm-l6-v2"
    /// The nearest-neighbour predictor's settings (the study's cross-validated choice on MMLU-Pro).
    public var neighbourCount = 25
    public var neighbourShrink: Float = 40
    public var neighbourTemperature: Float = 10
    /// The networks over embeddings tried beside the neighbours on the validation split: matrix factorisation (rank 16,
    /// RouteLLM's form) and a small MLP (64 tanh units), the study's settings.
    public var networkSettings = [EmbeddingNetworkFitter(hidden: 16, activation: .linear), EmbeddingNetworkFitter(hidden: 64, activation: .tanh)]
    /// The embedding signal costs every request an embedder call (p50 25 ms here): beyond twice its standard
    /// error, its mean AIQ gain must also exceed this to be kept.
    public var embeddingMinimumGain = 0.005
    /// A domain needs this many held-out prompts over the folds for a signal of its own (else its region's).
    public var minimumCellPrompts = 60
    /// Standard errors a cell's gain must reach to read a signal richer than the one kept over all prompts.
    public var planStrictZ = 4.0

    /// What the fitted router may read of a prompt: none, domain, prompt, embedding (simplest first).
    public typealias Signal = SignalPlan.Signal

    /// One signal's held-out AIQ in each fold.
    public struct SignalScore: Sendable {
        public var signal: Signal
        public var aiqByFold: [Double]
        public var mean: Double { aiqByFold.reduce(0, +) / Double(max(aiqByFold.count, 1)) }
    }

    public init() {}

    public struct Result: Sendable {
        public var file: RouterFile
        public var report: FitReport
        /// AIQ on the validation split for each (setting index, blend) tried.
        public var validation: [(setting: Int, blend: Float, aiq: Double)]
        /// The cross-validated AIQ of each signal, and the one chosen.
        public var signals: [SignalScore]
        /// The signal that wins over all prompts and costs (the report's; the file reads ``plan``).
        public var signal: Signal
        /// What the file reads, per domain and cost region.
        public var plan: SignalPlan
    }

    public func fit(_ data: OutcomeSet, dataName: String, now: Date = Date()) -> Result {
        let (train, test) = data.split(testPercent: testPercent, seed: seed)
        let (part, validation) = train.split(testPercent: 15, seed: seed &+ 7)
        var tried: [(setting: Int, blend: Float, aiq: Double)] = []
        var partFiles: [RouterFile] = []
        for (n, setting) in predictorSettings.enumerated() {
            var file = fitFile(part, predictorFitter: setting, blend: 1)
            partFiles.append(file)
            let range = Self.costRange(validation)
            for blend in blends {
                file.predictor?.blend = blend
                let aiq = RouterEvaluation(file: file, test: validation).curve().averageQuality(from: range.lowerBound, to: range.upperBound)
                tried.append((n, blend, aiq))
            }
        }
        // Ties go to the smaller blend (the simpler model).
        let chosen = tried.min { $0.aiq != $1.aiq ? $0.aiq > $1.aiq : $0.blend < $1.blend } ?? (0, 0, 0)
        let (network, networkScores) = partFiles.indices.contains(chosen.setting)
            ? chooseEmbeddingPredictor(partFiles[chosen.setting], part, validation) : (nil, [])
        let (signal, signals, plan) = chooseSignal(train, setting: predictorSettings[chosen.setting], blend: chosen.blend, network: network)
        let full = fitFile(train, predictorFitter: predictorSettings[chosen.setting], blend: chosen.blend, network: network)
        var file = Self.applying(plan, to: full)
        file.fittedAt = ISO8601DateFormatter().string(from: now)
        file.source = .init(data: dataName, trainPrompts: train.records.count, testPrompts: test.records.count, testPercent: testPercent, seed: seed)
        let evaluation = RouterEvaluation(file: file, test: test, embeddings: embeddings)
        file.tradeoff = evaluation.sweep()
        let domainOnly = Self.restricted(full, to: .domain)
        var report = FitReport(
            file: file, test: test, evaluation: evaluation, domainOnly: RouterEvaluation(file: domainOnly, test: test, embeddings: embeddings),
            setting: predictorSettings[chosen.setting], blend: plan.signals.contains(.prompt) ? chosen.blend : 0)
        report.signal = plan.summary
        report.overallSignal = signal.rawValue
        report.signalScores = signals.map { ($0.signal.rawValue, $0.mean) }
        report.plan = plan
        report.embeddingPredictorScores = networkScores
        return Result(file: file, report: report, validation: tried, signals: signals, signal: signal, plan: plan)
    }

    /// k-fold cross-validation over the training prompts: each signal's AIQ on every fold, fitted on the others,
    /// and the simplest signal that no richer one beats by more than the standard error of its per-fold gain (the
    /// report's); and from the same folds, the plan of signals per domain and cost region (the file's).
    func chooseSignal(
        _ train: OutcomeSet, setting: QualityPredictorFitter, blend: Float, network: EmbeddingNetworkFitter? = nil
    ) -> (Signal, [SignalScore], SignalPlan) {
        let signals = Signal.allCases.filter { $0 != .embedding || !embeddings.isEmpty }
        var scores = signals.map { SignalScore(signal: $0, aiqByFold: []) }
        var earnings = CellEarnings()
        let regions = Self.sweepByRegion
        for (part, held) in train.folds(folds, seed: seed &+ 11) where !held.records.isEmpty && !part.records.isEmpty {
            let fitted = fitFile(part, predictorFitter: setting, blend: blend, network: network)
            let range = Self.costRange(held)
            for n in scores.indices {
                let file = Self.restricted(fitted, to: scores[n].signal)
                scores[n].aiqByFold.append(crossFittedAIQ(file, held, range: range))
            }
            earnings.add(RouterEvaluation(file: fitted, test: held, embeddings: embeddings, signals: signals), regions: regions)
        }

        var chosen = 0
        for richer in scores.indices.dropFirst() {
            let gains = zip(scores[richer].aiqByFold, scores[chosen].aiqByFold).map { $0 - $1 }
            guard gains.count >= 2 else { continue }
            let mean = gains.reduce(0, +) / Double(gains.count)
            let variance = gains.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(gains.count - 1)
            // Twice the standard error: with a handful of folds one is too easily beaten by noise.
            let floor = scores[richer].signal == .embedding ? embeddingMinimumGain : 0
            // And the earnings must agree: a hull is the upper envelope of measured points, so noise in a noisy
            // signal's points lifts it (cross-fitting removes the choice of points, not that); a mean earning is not lifted.
            if mean > 2 * (variance / Double(gains.count)).squareRoot(), mean > floor,
               Self.combinedZ(earnings, richer, over: chosen, regions: regions.count) > 2 {
                chosen = richer
            }
        }
        let plan = plan(from: earnings, signals: signals, regions: regions.count, ceiling: scores[chosen].signal)
        return (scores[chosen].signal, scores, plan)
    }

    /// A fold's AIQ with the operating points chosen on one half of its prompts and measured on the other, both
    /// ways, averaged. The hull of a λ sweep picks the luckiest of 65 points, which flatters a noisy signal (random
    /// per-prompt estimates scatter points above the line between two fixed models); points picked on other prompts
    /// earn only what they really carry.
    func crossFittedAIQ(_ file: RouterFile, _ held: OutcomeSet, range: ClosedRange<Double>) -> Double {
        let halves = (0..<2).map { half in OutcomeSet(records: held.records.filter { OutcomeSet.bucket(of: $0.id, seed: seed &+ 13) % 2 == half }) }
        guard halves.allSatisfy({ !$0.records.isEmpty }) else {
            return RouterEvaluation(file: file, test: held, embeddings: embeddings).curve().averageQuality(from: range.lowerBound, to: range.upperBound)
        }
        let evaluations = halves.map { RouterEvaluation(file: file, test: $0, embeddings: embeddings) }
        let curves = evaluations.map { $0.curve() }
        let points = evaluations.map { evaluation in
            Dictionary(
                (evaluation.sweep().map { CostQualityPoint(label: "router λ=\(RouterEvaluation.format($0.lambda))", cost: $0.costUSD, quality: $0.quality) }
                    + evaluation.pinned()).map { ($0.label, $0) },
                uniquingKeysWith: { first, _ in first })
        }
        var total = 0.0
        for (chosen, measured) in [(0, 1), (1, 0)] {
            let picked = curves[chosen].vertices.compactMap { points[measured][$0.label] }
            total += FrontierCurve(hullOf: picked).averageQuality(from: range.lowerBound, to: range.upperBound)
        }
        return total / 2
    }

    /// The file as a router that reads only `signal`: without domain means and predictor for none, without the
    /// predictor for domain. What `serve` loads is what was measured.
    static func restricted(_ file: RouterFile, to signal: Signal) -> RouterFile {
        var file = file
        switch signal {
        case .none:
            file.models = file.models.map { model in
                var model = model
                model.qualityByDomain = [:]
                model.costByDomain = [:]
                return model
            }
            file.predictor = nil
            file.outputLengths = nil
            file.neighbours = nil
            file.network = nil
        case .domain:
            file.predictor = nil
            file.neighbours = nil
            file.network = nil
        case .prompt:
            file.neighbours = nil
            file.network = nil
        case .embedding:
            file.predictor = nil
        }
        return file
    }

    static func costRange(_ set: OutcomeSet) -> ClosedRange<Double> {
        let costs = set.modelPoints().map(\.cost)
        return (costs.min() ?? 0)...(costs.max() ?? 0)
    }

    /// The predictor over embeddings whose estimates come closest to the validation prompts' scores (Brier): the
    /// neighbours (nil) or one of ``networkSettings``; each one's Brier score, for the report. A proper score, not
    /// AIQ: a hull rises with the noise in a noisy predictor's points, so AIQ on a thousand prompts picks the noisiest.
    /// `fitted` is the validation loop's file fitted on `part` (its neighbours; the word predictor is left out).
    func chooseEmbeddingPredictor(
        _ fitted: RouterFile, _ part: OutcomeSet, _ validation: OutcomeSet
    ) -> (EmbeddingNetworkFitter?, [(name: String, brier: Double)]) {
        guard !embeddings.isEmpty, !networkSettings.isEmpty else { return (nil, []) }
        let base = Self.restricted(fitted, to: .embedding)
        let models = base.models.map(\.id), domains = base.classifier.domains
        let prior = Self.prior(base.models, domains: domains)
        func brier(_ file: RouterFile) -> Double { RouterEvaluation(file: file, test: validation, embeddings: embeddings).calibration().brier }
        var scores = [(name: "neighbours", brier: brier(base))]
        var best: (fitter: EmbeddingNetworkFitter?, brier: Double) = (nil, scores[0].brier)
        for var candidate in networkSettings {
            candidate.seed = seed
            var file = base
            file.neighbours = nil
            file.network = candidate.fit(part, embeddings: embeddings, embedder: embedder, models: models, domains: domains, prior: prior)
            guard file.network != nil else { continue }
            let score = brier(file)
            scores.append((candidate.name, score))
            // Ties stay with the neighbours, which have nothing to train.
            if score < best.brier { best = (candidate, score) }
        }
        return (best.fitter, scores)
    }

    func fitFile(_ train: OutcomeSet, predictorFitter: QualityPredictorFitter, blend: Float, network: EmbeddingNetworkFitter? = nil) -> RouterFile {
        let examples = train.records.compactMap { r in r.domain.map { (text: r.prompt, domain: $0) } }
        let classifier = DomainClassifier.train(examples: examples)
        let models = fittedModels(train)
        var fitter = predictorFitter
        fitter.seed = seed
        let prior = Self.prior(models, domains: classifier.domains)
        let predictor = fitter.fit(train, models: models.map(\.id), domains: classifier.domains, prior: prior, blend: blend)
        var networkFitter = network
        networkFitter?.seed = seed
        return RouterFile(
            fittedAt: "", source: .init(data: "", trainPrompts: train.records.count, testPrompts: 0, testPercent: testPercent, seed: seed),
            classifier: classifier, models: models, predictor: predictor,
            outputLengths: OutputLengthFitter().fit(train, models: models.map(\.id), domains: classifier.domains),
            neighbours: network == nil ? neighbours(train, models: models, domains: classifier.domains) : nil,
            network: networkFitter.flatMap { $0.fit(train, embeddings: embeddings, embedder: embedder, models: models.map(\.id), domains: classifier.domains, prior: prior) },
            tradeoff: [])
    }

    /// The training prompts that have embeddings, with every model's score (negative where not run).
    func neighbours(_ train: OutcomeSet, models: [FittedModel], domains: [String]) -> NeighbourPredictor? {
        guard let dimension = embeddings.first?.value.count else { return nil }
        var vectors: [Float] = [], scores: [Float] = []
        for record in train.records {
            guard let vector = embeddings[record.id], vector.count == dimension else { continue }
            vectors.append(contentsOf: vector)
            scores.append(contentsOf: models.map { model in record.results[model.id].map { Float($0.score) } ?? -1 })
        }
        guard !vectors.isEmpty else { return nil }
        let prior = Self.prior(models, domains: domains)
        let predictor = NeighbourPredictor(
            models: models.map(\.id), domains: domains, embedder: embedder, dimension: dimension, embeddings: vectors, scores: scores,
            prior: prior, k: neighbourCount, shrink: neighbourShrink, temperature: neighbourTemperature)
        return predictor.isConsistent ? predictor : nil
    }

    /// The predictors' prior: for each domain, then overall, each model's mean quality.
    static func prior(_ models: [FittedModel], domains: [String]) -> [Float] {
        (domains.map(Optional.some) + [nil]).flatMap { domain in models.map { Float($0.quality(for: domain)) } }
    }

    /// Each model's mean quality and cost per prompt, overall and per domain.
    func fittedModels(_ train: OutcomeSet) -> [FittedModel] {
        train.models.map { id in
            // Weighted means: an implicit signal's score (weight below 1) counts for less than a person's.
            var score = 0.0, weights = 0.0, cost = 0.0, n = 0, costed = 0
            var byDomain: [String: (score: Double, weights: Double, cost: Double, costed: Int)] = [:]
            for record in train.records {
                guard let outcome = record.results[id] else { continue }
                let domain = record.domain ?? OutcomeSet.unknownDomain
                score += outcome.score * outcome.weight
                weights += outcome.weight
                n += 1
                byDomain[domain, default: (0, 0, 0, 0)].score += outcome.score * outcome.weight
                byDomain[domain, default: (0, 0, 0, 0)].weights += outcome.weight
                if let c = outcome.costUSD {
                    cost += c
                    costed += 1
                    byDomain[domain, default: (0, 0, 0, 0)].cost += c
                    byDomain[domain, default: (0, 0, 0, 0)].costed += 1
                }
            }
            let quality = weights > 0 ? score / weights : 0
            let meanCost = costed > 0 ? cost / Double(costed) : 0
            return FittedModel(
                id: id, quality: quality,
                qualityByDomain: byDomain.mapValues { ($0.score + smoothing * quality) / ($0.weights + smoothing) },
                costUSD: meanCost,
                costByDomain: byDomain.filter { $0.value.costed > 0 }.mapValues { $0.cost / Double($0.costed) },
                prompts: n, price: OutputLengthFitter().price(of: id, in: train))
        }
    }
}
