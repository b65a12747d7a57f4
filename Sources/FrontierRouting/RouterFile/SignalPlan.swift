/// Which signal a fitted router reads, per predicted domain and per cost region. `frontier fit` chooses every
/// cell by cross-validation over the training prompts, and a richer signal only where it wins in that cell by
/// more than twice its standard error: a per-prompt predictor that helps on law and hurts on math, or pays at
/// one trade-off and not at another, is read only where it helps, and elsewhere the simpler estimate stands —
/// down to `none`, the zero router's (each model's overall quality).
///
/// A cost region is a decade of λ (quality points per dollar in `balanced`). `serve`'s λ is `router.lambda`,
/// fixed for the process, so one region applies to all its decisions (``choice(lambda:)``).
public struct SignalPlan: Sendable, Equatable {
    /// Simplest first: a richer one must earn its place.
    public enum Signal: String, Sendable, CaseIterable, Comparable {
        /// Each model's overall quality: the best fixed model at each λ.
        case none
        /// The predicted domain's means.
        case domain
        /// The per-prompt predictor over the prompt's words, blended with the domain means.
        case prompt
        /// The predictor over the prompt's sentence embedding (the nearest training prompts, or a network), blended
        /// with the domain means.
        case embedding

        public static func < (a: Signal, b: Signal) -> Bool {
            allCases.firstIndex(of: a) ?? 0 < allCases.firstIndex(of: b) ?? 0
        }
    }

    /// One cost region: the signal per domain from ``fromLambda`` up to the next region's.
    public struct Region: Sendable, Equatable {
        public var fromLambda: Double
        public var byDomain: [String: Signal]
        /// For a prompt whose domain is not listed, or not known.
        public var otherwise: Signal

        public init(fromLambda: Double, byDomain: [String: Signal], otherwise: Signal) {
            self.fromLambda = fromLambda
            self.byDomain = byDomain
            self.otherwise = otherwise
        }

        public func signal(for domain: String?) -> Signal { domain.flatMap { byDomain[$0] } ?? otherwise }
    }

    /// Ascending ``Region/fromLambda``; the first starts at 0.
    public var regions: [Region]

    public init(regions: [Region]) {
        self.regions = regions.sorted { $0.fromLambda < $1.fromLambda }
    }

    /// The lower λ of each region `frontier fit` chooses for: 0, then every decade from 10 to 10^7.
    public static let regionStarts: [Double] = [0] + (1...7).map { pow10($0) }

    public static func regionIndex(lambda: Double, starts: [Double] = regionStarts) -> Int {
        starts.lastIndex { $0 <= lambda } ?? 0
    }

    public func region(lambda: Double) -> Region? {
        regions.last { $0.fromLambda <= lambda } ?? regions.first
    }

    public func signal(for domain: String?, lambda: Double) -> Signal {
        region(lambda: lambda)?.signal(for: domain) ?? .domain
    }

    /// Every signal some cell reads.
    public var signals: Set<Signal> {
        Set(regions.flatMap { [$0.otherwise] + $0.byDomain.values })
    }

    /// The cells of the region `serve` decides in (its λ), for ``FeatureExtractor/signalChoice``.
    public func choice(lambda: Double, overallQuality: [String: Double]) -> SignalChoice? {
        region(lambda: lambda).map { SignalChoice(region: $0, overallQuality: overallQuality) }
    }

    private static func pow10(_ k: Int) -> Double { (0..<k).reduce(1) { value, _ in value * 10 } }
}

/// The signal per domain at one λ, and what `none` means there: each model's overall quality.
public struct SignalChoice: Sendable, Equatable {
    public var region: SignalPlan.Region
    public var overallQuality: [String: Double]

    public init(region: SignalPlan.Region, overallQuality: [String: Double]) {
        self.region = region
        self.overallQuality = overallQuality
    }

    /// One signal for every domain (what the offline evaluation replays each signal with).
    public static func always(_ signal: SignalPlan.Signal, overallQuality: [String: Double]) -> SignalChoice {
        SignalChoice(region: .init(fromLambda: 0, byDomain: [:], otherwise: signal), overallQuality: overallQuality)
    }

    public func signal(for domain: String?) -> SignalPlan.Signal { region.signal(for: domain) }
}
