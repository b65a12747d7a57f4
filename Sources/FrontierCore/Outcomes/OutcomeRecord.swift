/// One prompt of an outcomes file (shared/data/README.md): what each model
/// scored on it and what that cost. `frontier fit` and `frontier analyze`
/// read these; `frontier eval` writes them.
public struct OutcomeRecord: Sendable, Equatable {
    public var id: String
    public var prompt: String
    public var domain: String?
    /// Model id -> its outcome; a model missing here was not run on this prompt.
    public var results: [String: ModelOutcome]

    public init(id: String, prompt: String, domain: String? = nil, results: [String: ModelOutcome]) {
        self.id = id
        self.prompt = prompt
        self.domain = domain
        self.results = results
    }

    public var json: JSONValue {
        var object: JSONObject = [
            "id": .string(id), "prompt": .string(prompt),
            "results": .sortedObject(results.mapValues(\.json)),
        ]
        if let domain { object["domain"] = .string(domain) }
        return .object(object)
    }
}

/// How one model did on one prompt.
public struct ModelOutcome: Sendable, Equatable {
    /// In [0, 1].
    public var score: Double
    /// Nil when the file gives no cost and no price table covers the model.
    public var costUSD: Double?
    public var inputTokens: Int?
    public var outputTokens: Int?
    public var latencyMs: Double?
    /// The model as the upstream named itself (`frontier eval` records it).
    public var upstreamModel: String?
    /// Why there is no answer (the call failed; the score is then 0).
    public var error: String?
    /// How much the score counts against one a person gave (1): an implicit signal's is less (ledger exports).
    public var weight: Double = 1

    public init(
        score: Double, costUSD: Double? = nil, inputTokens: Int? = nil, outputTokens: Int? = nil, latencyMs: Double? = nil, upstreamModel: String? = nil,
        error: String? = nil, weight: Double = 1
    ) {
        self.weight = weight
        self.score = score
        self.costUSD = costUSD
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.latencyMs = latencyMs
        self.upstreamModel = upstreamModel
        self.error = error
    }

    public var json: JSONValue {
        var object: JSONObject = ["score": .double(score)]
        if let costUSD { object["cost_usd"] = .double(costUSD) }
        if let inputTokens { object["input_tokens"] = .int(Int64(inputTokens)) }
        if let outputTokens { object["output_tokens"] = .int(Int64(outputTokens)) }
        if let latencyMs { object["latency_ms"] = .double(latencyMs) }
        if let upstreamModel { object["upstream_model"] = .string(upstreamModel) }
        if let error { object["error"] = .string(error) }
        if weight != 1 { object["weight"] = .double(weight) }
        return .object(object)
    }
}
