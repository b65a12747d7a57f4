public import FrontierCore

/// A second answer to a served request, asked of another model in the
/// background by `router.explore` and graded (`kind: "exploration"`): what the
/// router learns about a model it did not choose. Its spend is the operator's,
/// never the client key's, so the record names no key. It never holds the
/// prompt or either answer: the request's own record holds the prompt.
public struct ExplorationRecord: Sendable, Equatable {
    public static let kind = "exploration"

    /// The served request it explored (`x-frontier-request-id`).
    public var requestID: String
    public var timeMs: Int64
    /// The model asked for the second answer.
    public var model: String
    /// The model that answered the client.
    public var servedModel: String
    public var domain: String?
    public var upstreamModel: String?
    public var inputTokens: Int
    public var outputTokens: Int
    /// The second answer's cost and the grader's, both the operator's.
    public var costUSD: Double
    public var latencyMs: Double
    /// In [0, 1]: the grader's score of the second answer.
    public var score: Double
    /// `check` (the configured acceptance checks) or `judge:MODEL`.
    public var grader: String

    public init(
        requestID: String, timeMs: Int64, model: String, servedModel: String, domain: String? = nil, upstreamModel: String? = nil,
        inputTokens: Int, outputTokens: Int, costUSD: Double, latencyMs: Double, score: Double, grader: String
    ) {
        self.requestID = requestID
        self.timeMs = timeMs
        self.model = model
        self.servedModel = servedModel
        self.domain = domain
        self.upstreamModel = upstreamModel
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.costUSD = costUSD
        self.latencyMs = latencyMs
        self.score = score
        self.grader = grader
    }

    /// The canonical bytes that are stored and hashed (sorted keys, compact).
    public var canonical: [UInt8] {
        var w = CanonicalObjectWriter()
        w.field("cost_usd", costUSD)
        if let domain { w.field("domain", domain) }
        w.field("grader", grader)
        w.field("input_tokens", Int64(inputTokens))
        w.field("kind", Self.kind)
        w.field("latency_ms", latencyMs)
        w.field("model", model)
        w.field("output_tokens", Int64(outputTokens))
        w.field("request_id", requestID)
        w.field("score", score)
        w.field("served_model", servedModel)
        w.field("time_ms", timeMs)
        if let upstreamModel { w.field("upstream_model", upstreamModel) }
        return w.finish()
    }

    public init(json: JSONValue) throws(LedgerError) {
        guard json["kind"]?.stringValue == Self.kind, let requestID = json["request_id"]?.stringValue,
              let model = json["model"]?.stringValue, let served = json["served_model"]?.stringValue,
              let time = json["time_ms"]?.intValue, let score = json["score"]?.doubleValue, let grader = json["grader"]?.stringValue
        else { throw LedgerError.corrupt("an exploration record lacks its request_id, model, served_model, time_ms, score or grader") }
        self.init(
            requestID: requestID, timeMs: Int64(time), model: model, servedModel: served, domain: json["domain"]?.stringValue,
            upstreamModel: json["upstream_model"]?.stringValue, inputTokens: json["input_tokens"]?.intValue ?? 0,
            outputTokens: json["output_tokens"]?.intValue ?? 0, costUSD: json["cost_usd"]?.doubleValue ?? 0,
            latencyMs: json["latency_ms"]?.doubleValue ?? 0, score: score, grader: grader)
    }
}
