/// `models[].canary`: a small eval suite run through the model in the background, on a schedule and right after
/// its identity changes, compared with the last good run (scores and answers), at the operator's cost, capped.
public struct CanarySettings: Sendable, Hashable {
    /// The suite (eval JSONL), resolved beside the config file.
    public var suite: String
    /// Between scheduled runs.
    public var everyMs: Int64
    /// Run as soon as the model's reported identity changes.
    public var onChange: Bool
    /// The run stops before a call whose worst case would take its spend past this.
    public var maxCostUSDPerRun: Double
    /// Answers per case: with 2 or more, the answers' distribution is tested too, not only the scores.
    public var samples: Int
    /// Calls at a time.
    public var concurrency: Int
    /// The most tokens a canary answer may have (each call's worst case, for the cap).
    public var maxOutputTokens: Int

    public init(
        suite: String, everyMs: Int64 = 86_400_000, onChange: Bool = true, maxCostUSDPerRun: Double = 0.5, samples: Int = 1,
        concurrency: Int = 2, maxOutputTokens: Int = 256
    ) {
        self.suite = suite
        self.everyMs = everyMs
        self.onChange = onChange
        self.maxCostUSDPerRun = maxCostUSDPerRun
        self.samples = samples
        self.concurrency = concurrency
        self.maxOutputTokens = maxOutputTokens
    }
}
