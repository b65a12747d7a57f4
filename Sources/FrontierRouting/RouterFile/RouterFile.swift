public import FrontierCore

/// What `frontier fit` learns from outcome data and `frontier serve` routes
/// with: the domain classifier, each model's quality and cost per domain,
/// the per-prompt quality predictor, and the cost-quality trade-off measured
/// on the held-out prompts. Saved as versioned JSON (``RouterFile/load(path:)``).
public struct RouterFile: Sendable {
    public static let format = "frontier-router"
    public static let version = 1

    public var fittedAt: String
    public var source: Source
    public var classifier: DomainClassifier
    public var models: [FittedModel]
    public var predictor: QualityPredictor?
    /// Each model's expected answer length per prompt, when the data had output token counts.
    public var outputLengths: OutputLengthModel?
    /// The training prompts' embeddings and scores, when cross-validation kept the embedding signal.
    public var neighbours: NeighbourPredictor?
    /// The network over the same embeddings (matrix factorisation or a small MLP), when validation preferred it to the neighbours.
    public var network: EmbeddingNetwork?
    /// Which of those the router reads, per domain and cost region; every one it has when nil (files before plans).
    public var signalPlan: SignalPlan?
    /// The fitted router's points on the test split, one per trade-off setting.
    public var tradeoff: [TradeoffPoint]
    /// The router version: the first 16 hex digits of the SHA-256 of the bytes the file was read from (nil for a
    /// file not read from bytes). Every ledger record names the version that decided it.
    public var digest: String?

    public init(
        fittedAt: String, source: Source, classifier: DomainClassifier, models: [FittedModel], predictor: QualityPredictor?,
        outputLengths: OutputLengthModel? = nil, neighbours: NeighbourPredictor? = nil, network: EmbeddingNetwork? = nil, signalPlan: SignalPlan? = nil,
        tradeoff: [TradeoffPoint]
    ) {
        self.network = network
        self.signalPlan = signalPlan
        self.neighbours = neighbours
        self.fittedAt = fittedAt
        self.source = source
        self.classifier = classifier
        self.models = models
        self.predictor = predictor
        self.outputLengths = outputLengths
        self.tradeoff = tradeoff
    }

    /// Where the fit came from and how it was split.
    public struct Source: Sendable, Equatable {
        public var data: String
        public var trainPrompts: Int
        public var testPrompts: Int
        public var testPercent: Int
        public var seed: UInt64

        public init(data: String, trainPrompts: Int, testPrompts: Int, testPercent: Int, seed: UInt64) {
            self.data = data
            self.trainPrompts = trainPrompts
            self.testPrompts = testPrompts
            self.testPercent = testPercent
            self.seed = seed
        }
    }

    public func model(_ id: String) -> FittedModel? { models.first { $0.id == id } }

    /// Each model's overall quality: what a cell of the plan that reads no signal estimates.
    public var overallQuality: [String: Double] {
        Dictionary(models.map { ($0.id, $0.quality) }, uniquingKeysWith: { first, _ in first })
    }

    /// The plan's signal per domain at `lambda`, for the serve path's ``FeatureExtractor``.
    public func signalChoice(lambda: Double) -> SignalChoice? {
        signalPlan?.choice(lambda: lambda, overallQuality: overallQuality)
    }
}

/// One model's measured quality and cost per prompt, overall and per domain (training split).
public struct FittedModel: Sendable, Equatable {
    public var id: String
    public var quality: Double
    public var qualityByDomain: [String: Double]
    public var costUSD: Double
    public var costByDomain: [String: Double]
    public var prompts: Int
    /// Per-token prices that reproduce the data's costs from its token counts (least squares), when it has
    /// both: offline evaluation then prices each prompt as `serve` does, tokens × price.
    public var price: Price?

    public init(
        id: String, quality: Double, qualityByDomain: [String: Double], costUSD: Double, costByDomain: [String: Double], prompts: Int,
        price: Price? = nil
    ) {
        self.id = id
        self.quality = quality
        self.qualityByDomain = qualityByDomain
        self.costUSD = costUSD
        self.costByDomain = costByDomain
        self.prompts = prompts
        self.price = price
    }

    public func quality(for domain: String?) -> Double { domain.flatMap { qualityByDomain[$0] } ?? quality }
    public func cost(for domain: String?) -> Double { domain.flatMap { costByDomain[$0] } ?? costUSD }
}

/// The router with `balanced` at one λ (quality points per US dollar), measured on held-out prompts.
public struct TradeoffPoint: Sendable, Equatable {
    public var lambda: Double
    public var costUSD: Double
    public var quality: Double

    public init(lambda: Double, costUSD: Double, quality: Double) {
        self.lambda = lambda
        self.costUSD = costUSD
        self.quality = quality
    }
}
