public import FrontierCore
public import FrontierRouting

/// `router.experiment`: a candidate router file serving a seeded share of
/// traffic beside the live one, until its guard stops it.
public struct ExperimentSettings: Sendable, Equatable {
    /// The candidate router file (resolved beside the config file).
    public var file: String
    public var assignment: ExperimentAssignment
    public var thresholds: ExperimentGuard.Thresholds

    public init(file: String, assignment: ExperimentAssignment, thresholds: ExperimentGuard.Thresholds = .init()) {
        self.file = file
        self.assignment = assignment
        self.thresholds = thresholds
    }
}

/// `router.explore`: a seeded share of the requests the router chooses for is
/// also answered, in the background, by a second model inside the request's
/// zone, and graded; the operator pays, up to a daily cap.
public struct ExploreSettings: Sendable, Equatable {
    /// How the second answer is graded.
    public enum Grader: Sendable, Equatable {
        /// A model scores it from 0 to 10 (the verifier's prompt); it must be inside the request's zone too.
        case judge(model: String)
        /// Acceptance checks: 1 when all pass, 0 when one fails.
        case check(AcceptanceChecks)
    }

    public var share: Double
    public var maxCostUSDPerDay: Double
    /// At most this share of what serving has spent (since start) goes to exploration; nil: only the daily cap.
    public var maxShareOfServing: Double?
    /// The second call's `max_tokens`: with the prompt, it bounds what one exploration can cost.
    public var maxOutputTokens: Int
    public var seed: UInt64
    public var grader: Grader
    /// Explorations running at once; a sampled request finding them all busy is not explored.
    public var concurrency: Int

    public init(
        share: Double, maxCostUSDPerDay: Double, maxShareOfServing: Double? = nil, maxOutputTokens: Int = 1024, seed: UInt64 = 1, grader: Grader,
        concurrency: Int = 2
    ) {
        self.share = share
        self.maxCostUSDPerDay = maxCostUSDPerDay
        self.maxShareOfServing = maxShareOfServing
        self.maxOutputTokens = maxOutputTokens
        self.seed = seed
        self.grader = grader
        self.concurrency = concurrency
    }

    /// The model the grader calls, if any.
    public var judge: String? {
        if case .judge(let model) = grader { model } else { nil }
    }
}

extension ConfigLoader {
    /// `router.explore: {share, max_cost_usd_per_day, max_share_of_serving, max_output_tokens, seed, concurrency, judge | check}`.
    static func explore(_ router: NodeReader) throws(ConfigError) -> ExploreSettings? {
        guard let explore = try router.nested(
            "explore", known: ["share", "max_cost_usd_per_day", "max_share_of_serving", "max_output_tokens", "seed", "concurrency", "judge", "check"])
        else { return nil }
        guard let share = try explore.double("share", minimum: 0, maximum: 0.5), share > 0 else {
            throw explore.fail("share", "must be above 0 and at most 0.5: the fraction of routed requests also asked of a second model (e.g. 0.02).")
        }
        guard let cap = try explore.double("max_cost_usd_per_day", minimum: 0, maximum: 1_000_000) else {
            throw explore.fail("max_cost_usd_per_day", "is required: what exploration may spend a day, in USD (it is the operator's, not the client's).")
        }
        let judge = try explore.string("judge")
        let check = try explore.nested("check", known: ConfigLoader.acceptanceFields.subtracting(["verifier", "self_consistency"]))
        let grader: ExploreSettings.Grader
        switch (judge, check) {
        case (let model?, nil): grader = .judge(model: model)
        case (nil, let check?): grader = .check(try acceptanceChecks(check))
        case (nil, nil): throw explore.fail("judge", "or 'check' is required: how the second answer is graded (a model id, or acceptance checks).")
        case (_?, _?): throw explore.fail("judge", "and 'check' cannot both be given: grade the second answer one way.")
        }
        var ofServing: Double?
        if let value = try explore.double("max_share_of_serving", minimum: 0, maximum: 1) {
            guard value > 0 else { throw explore.fail("max_share_of_serving", "must be above 0 (e.g. 0.05: exploration spends at most 5 % of what serving spent).") }
            ofServing = value
        }
        return ExploreSettings(
            share: share, maxCostUSDPerDay: cap, maxShareOfServing: ofServing, maxOutputTokens: try explore.int("max_output_tokens", minimum: 1, maximum: 32_768) ?? 1024,
            seed: UInt64(try explore.int("seed", minimum: 0) ?? 1), grader: grader,
            concurrency: try explore.int("concurrency", minimum: 1, maximum: 64) ?? 2)
    }


    /// `router.shadow: {file}`: a candidate whose decision is computed and recorded on every request, never served.
    static func shadowFile(_ router: NodeReader, configFile: String) throws(ConfigError) -> String? {
        guard let shadow = try router.nested("shadow", known: ["file"]) else { return nil }
        guard let file = try shadow.string("file") else { throw shadow.fail("file", "is required: the candidate router file (from frontier fit) to shadow.") }
        return resolve(file, besideConfig: configFile)
    }

    /// `router.experiment: {file, share, by, seed, guard: {min_quality_delta, max_cost_delta, alpha, min_samples}}`.
    static func experiment(_ router: NodeReader, configFile: String) throws(ConfigError) -> ExperimentSettings? {
        guard let experiment = try router.nested("experiment", known: ["file", "share", "by", "seed", "guard"]) else { return nil }
        guard let file = try experiment.string("file") else {
            throw experiment.fail("file", "is required: the candidate router file (from frontier fit) that serves a share of traffic.")
        }
        guard let share = try experiment.double("share", minimum: 0, maximum: 1), share > 0 else {
            throw experiment.fail("share", "must be above 0 and at most 1: the fraction of traffic the candidate serves (e.g. 0.1).")
        }
        var unit = ExperimentAssignment.Unit.request
        if let by = try experiment.string("by") {
            guard let parsed = ExperimentAssignment.Unit(rawValue: by) else { throw experiment.fail("by", "must be request or key; got '\(by)'.") }
            unit = parsed
        }
        let seed = try experiment.int("seed", minimum: 0) ?? 1
        var thresholds = ExperimentGuard.Thresholds()
        if let guardNode = try experiment.nested("guard", known: ["min_quality_delta", "max_cost_delta", "alpha", "min_samples"]) {
            thresholds.minQualityDelta = try guardNode.double("min_quality_delta", minimum: -1, maximum: 0) ?? thresholds.minQualityDelta
            thresholds.maxCostDelta = try guardNode.double("max_cost_delta", minimum: 0, maximum: 100) ?? thresholds.maxCostDelta
            if let alpha = try guardNode.double("alpha", minimum: 0, maximum: 0.5) {
                guard alpha > 0 else { throw guardNode.fail("alpha", "is the chance of stopping a good candidate, above 0 (e.g. 0.05).") }
                thresholds.alpha = alpha
            }
            thresholds.minSamples = try guardNode.int("min_samples", minimum: 1, maximum: 1_000_000) ?? thresholds.minSamples
        }
        return ExperimentSettings(
            file: resolve(file, besideConfig: configFile), assignment: ExperimentAssignment(share: share, unit: unit, seed: UInt64(seed)),
            thresholds: thresholds)
    }
}
