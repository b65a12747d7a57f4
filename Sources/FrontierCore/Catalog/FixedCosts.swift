/// Costs of a model that do not scale with tokens: the box it runs on and
/// the fine-tuning runs that made it. The ledger allocates them to requests.
public struct FixedCosts: Sendable, Hashable {
    public var usdPerHour: Double
    public var fineTuning: [FineTuningRun]

    public init(usdPerHour: Double = 0, fineTuning: [FineTuningRun] = []) {
        self.usdPerHour = usdPerHour
        self.fineTuning = fineTuning
    }
}

/// One fine-tuning run, amortized over `amortizeDays` from `date` (ISO yyyy-mm-dd).
public struct FineTuningRun: Sendable, Hashable {
    public var costUSD: Double
    public var date: String
    public var amortizeDays: Int

    public init(costUSD: Double, date: String, amortizeDays: Int) {
        self.costUSD = costUSD
        self.date = date
        self.amortizeDays = amortizeDays
    }
}
