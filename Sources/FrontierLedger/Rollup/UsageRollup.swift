/// The ledger's requests summed per five minutes and per what the cost report and the dashboard group by,
/// kept beside the chain in the same transaction as the records it sums, so a report over a month of a busy
/// gateway reads thousands of sums instead of millions of records. Sums only: the records stay the truth
/// (`audit verify` reads them, never this), and the sums can be rebuilt from them at any time.
///
/// One row a (bucket, route, model, domain, key, status) for the request itself (`attemptModel` empty:
/// requests, the served answer's tokens, latency) and one a (bucket, ..., attempt's model) for what each
/// model was asked (attempts, cost, tokens): the report's fees are its attempts', the counterfactual prices
/// the served answers' tokens, and hosting is spread over the tokens each model served.
public struct UsageKey: Hashable, Sendable {
    /// The start of the five minutes (ms since 1970, UTC).
    public var bucketMs: Int64
    public var route: String
    /// The model that served the answer; empty when none did.
    public var model: String
    public var domain: String
    public var keyID: String
    public var status: Int
    /// Empty for the request's own row; an attempt's model for the row of what that model was asked.
    public var attemptModel: String

    public init(bucketMs: Int64, route: String, model: String, domain: String, keyID: String, status: Int, attemptModel: String) {
        self.bucketMs = bucketMs
        self.route = route
        self.model = model
        self.domain = domain
        self.keyID = keyID
        self.status = status
        self.attemptModel = attemptModel
    }

    /// The rows that hold `router.explore`'s second answers (the operator's spend, no request's) have this status,
    /// which no request's record can have (a client can name its `model` "(exploration)", not its status).
    public static let explorationStatus = -1
    public var isExploration: Bool { status == Self.explorationStatus }
}

public struct UsageSums: Sendable, Equatable {
    public var requests = 0
    public var attempts = 0
    /// Fees in nanodollars: integer sums are exact whatever the order they are added in.
    public var costNanoUSD: Int64 = 0
    /// Input and output tokens of the attempts (an attempt row) or of the served answer (a request row).
    public var inputTokens = 0
    public var outputTokens = 0
    public var latencyMs = 0.0

    public init(requests: Int = 0, attempts: Int = 0, costNanoUSD: Int64 = 0, inputTokens: Int = 0, outputTokens: Int = 0, latencyMs: Double = 0) {
        self.requests = requests
        self.attempts = attempts
        self.costNanoUSD = costNanoUSD
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.latencyMs = latencyMs
    }

    public var costUSD: Double { Double(costNanoUSD) / 1e9 }

    public mutating func add(_ other: UsageSums) {
        requests += other.requests
        attempts += other.attempts
        costNanoUSD += other.costNanoUSD
        inputTokens += other.inputTokens
        outputTokens += other.outputTokens
        latencyMs += other.latencyMs
    }
}

/// Which sums to read: the five-minute ones or the hourly ones, with or without domain and key, per bucket or per
/// step (a multiple of the bucket, aligned to it since 1970). The store sums in the database, so a page reads
/// about as many rows as it draws.
public struct UsageQuery: Sendable, Equatable {
    public var fromMs: Int64
    public var toMs: Int64
    /// The hourly sums (no domain, no key): a month is some ten thousand rows.
    public var hourly = false
    public var byDomainAndKey = true
    /// Sums per step; nil: per bucket.
    public var stepMs: Int64?

    public init(fromMs: Int64, toMs: Int64, hourly: Bool = false, byDomainAndKey: Bool = true, stepMs: Int64? = nil) {
        self.fromMs = fromMs
        self.toMs = toMs
        self.hourly = hourly
        self.byDomainAndKey = byDomainAndKey && !hourly
        self.stepMs = stepMs
    }

    public var bucketMs: Int64 { hourly ? UsageRollup.hourMs : UsageRollup.bucketMs }
    /// The step the rows come in: a whole number of buckets.
    public var rowStepMs: Int64 { max(1, (stepMs ?? bucketMs) / bucketMs) * bucketMs }
    /// The first bucket read: the one that holds `fromMs`.
    public var firstBucketMs: Int64 { UsageRollup.floor(fromMs, bucketMs) }

    /// `sums` (five-minute ones, every dimension) as this query reads them.
    public func apply(_ sums: [UsageKey: UsageSums]) -> [UsageKey: UsageSums] {
        var out: [UsageKey: UsageSums] = [:]
        for (key, value) in sums where key.bucketMs >= firstBucketMs && key.bucketMs < toMs {
            var coarse = key
            coarse.bucketMs = UsageRollup.floor(key.bucketMs, rowStepMs)
            if !byDomainAndKey {
                coarse.domain = ""
                coarse.keyID = ""
            }
            out[coarse, default: UsageSums()].add(value)
        }
        return out
    }
}

/// Rows of sums as a store reads them, each key once: an array, not a dictionary, so reading a month of them
/// costs no hashing. A dictionary of sums is such a sequence too.
public typealias UsageRows = [(key: UsageKey, value: UsageSums)]

public enum UsageRollup {
    /// The start of the step that holds `timeMs` (steps aligned since 1970; times before it round down too).
    static func floor(_ timeMs: Int64, _ step: Int64) -> Int64 { timeMs - ((timeMs % step) + step) % step }

    public static let bucketMs: Int64 = 300_000
    /// The coarse sums' bucket: an hour, by route, model, status and attempt model only (no domain, no key), so a
    /// month of a busy gateway is some ten thousand rows whatever its keys and domains.
    public static let hourMs: Int64 = 3_600_000

    /// `sums` in hours, without the domain and the key.
    public static func hourly(_ sums: [UsageKey: UsageSums]) -> [UsageKey: UsageSums] {
        var out: [UsageKey: UsageSums] = [:]
        for (key, value) in sums {
            let coarse = UsageKey(
                bucketMs: floor(key.bucketMs, hourMs), route: key.route, model: key.model, domain: "", keyID: "",
                status: key.status, attemptModel: key.attemptModel)
            out[coarse, default: UsageSums()].add(value)
        }
        return out
    }

    public static func bucket(_ timeMs: Int64) -> Int64 {
        floor(timeMs, bucketMs)
    }

    /// A bounded, non-negative nanodollar amount, rounded to the nearest (a sum of N costs is within N/2
    /// nanodollars of theirs): a hostile or broken figure never overflows a sum.
    static func nano(_ usd: Double) -> Int64 {
        guard usd.isFinite, usd > 0 else { return 0 }
        return Int64((min(usd, 1e9) * 1e9).rounded())
    }

    /// The sums of `entries`' requests and explorations (feedback, events, canary runs and write-ahead intents
    /// are not usage of their own: a request's final record carries its attempts).
    public static func sums(of entries: some Sequence<LedgerEntry>) -> [UsageKey: UsageSums] {
        var sums: [UsageKey: UsageSums] = [:]
        for entry in entries { add(entry, to: &sums) }
        return sums
    }

    public static func add(_ entry: LedgerEntry, to sums: inout [UsageKey: UsageSums]) {
        switch entry {
        case .request(let record) where record.kind == nil:
            var key = UsageKey(
                bucketMs: bucket(record.timeMs), route: record.route, model: record.model ?? "", domain: record.domain ?? "",
                keyID: record.apiKeyID ?? "", status: record.status, attemptModel: "")
            let served = record.attempts.last { ["served", "accepted"].contains($0.outcome) }
            sums[key, default: UsageSums()].add(UsageSums(
                requests: 1, inputTokens: max(0, served?.inputTokens ?? 0), outputTokens: max(0, served?.outputTokens ?? 0),
                latencyMs: record.latencyMs.isFinite ? max(0, record.latencyMs) : 0))
            for attempt in record.attempts {
                key.attemptModel = attempt.model
                sums[key, default: UsageSums()].add(UsageSums(
                    attempts: 1, costNanoUSD: nano(attempt.costUSD), inputTokens: max(0, attempt.inputTokens), outputTokens: max(0, attempt.outputTokens)))
            }
        case .exploration(let x):
            let key = UsageKey(
                bucketMs: bucket(x.timeMs), route: "(exploration)", model: x.servedModel, domain: x.domain ?? "", keyID: "", status: UsageKey.explorationStatus,
                attemptModel: x.model)
            sums[key, default: UsageSums()].add(UsageSums(
                requests: 1, attempts: 1, costNanoUSD: nano(x.costUSD), inputTokens: max(0, x.inputTokens), outputTokens: max(0, x.outputTokens)))
        default:
            break
        }
    }
}
