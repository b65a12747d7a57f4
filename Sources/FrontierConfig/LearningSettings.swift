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

extension ConfigLoader {
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
