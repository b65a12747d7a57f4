/// One model of the catalog: where it is, how to talk to it, what it costs.
public struct ModelEntry: Sendable, Hashable, Identifiable {
    /// The id clients name in `model`.
    public var id: String
    public var provider: ProviderKind
    /// What it serves: chat (completions, messages, responses) or embeddings.
    public var kind: ModelKind
    /// The API root, e.g. `http://127.0.0.1:8081/v1`.
    public var baseURL: String
    /// The secret, already read from the environment; never logged.
    public var apiKey: String?
    /// The model name the upstream expects; the catalog id when not set.
    public var upstreamModel: String
    public var deployment: Deployment
    public var price: Price
    public var contextWindow: Int?
    /// The most tokens one answer may have; what a budget reserves for a request that sets no `max_tokens`
    /// (``WorstCase/defaultOutputTokens`` when not set).
    public var maxOutputTokens: Int?
    public var fixedCosts: FixedCosts
    /// Extra headers sent to the upstream (e.g. an organisation id).
    public var headers: [String: String]
    public var timeouts: Timeouts
    /// What the router expects of this model (quality, latency, marginal cost).
    public var profile: ModelProfile

    public init(
        id: String,
        provider: ProviderKind,
        kind: ModelKind = .chat,
        baseURL: String,
        apiKey: String? = nil,
        upstreamModel: String? = nil,
        deployment: Deployment,
        price: Price = .free,
        contextWindow: Int? = nil,
        maxOutputTokens: Int? = nil,
        fixedCosts: FixedCosts = FixedCosts(),
        headers: [String: String] = [:],
        timeouts: Timeouts = Timeouts(),
        profile: ModelProfile = ModelProfile()
    ) {
        self.id = id
        self.provider = provider
        self.kind = kind
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.upstreamModel = upstreamModel ?? id
        self.deployment = deployment
        self.price = price
        self.contextWindow = contextWindow
        self.maxOutputTokens = maxOutputTokens
        self.fixedCosts = fixedCosts
        self.headers = headers
        self.timeouts = timeouts
        self.profile = profile
    }
}

/// How long the gateway waits on an upstream, per phase, in milliseconds.
public struct Timeouts: Sendable, Hashable {
    /// Establishing the TCP (and TLS) connection.
    public var connectMs: Int
    /// From sending the request to the first token (non-streamed: the whole response head).
    public var firstTokenMs: Int
    /// The whole exchange, streaming included.
    public var totalMs: Int

    public init(connectMs: Int = 2_000, firstTokenMs: Int = 30_000, totalMs: Int = 300_000) {
        self.connectMs = connectMs
        self.firstTokenMs = firstTokenMs
        self.totalMs = totalMs
    }
}
