/// One model of the catalog: where it is, how to talk to it, what it costs.
///
/// A value type whose fields live in one immutable box: entries are copied into every plan, candidate
/// list, attempt and record, and a copy is then one reference count instead of one per string, dictionary
/// and nested field (those copies were a visible share of a request's CPU). Setting a field, which only
/// configuration and router-file reloads do, builds a new box.
public struct ModelEntry: Sendable, Hashable, Identifiable {
    struct Fields: Sendable, Hashable {
        var id: String
        var provider: ProviderKind
        var kind: ModelKind
        var baseURL: String
        var apiKey: String?
        var upstreamModel: String
        var deployment: Deployment
        var price: Price
        var contextWindow: Int?
        var maxOutputTokens: Int?
        var fixedCosts: FixedCosts
        var headers: [String: String]
        var timeouts: Timeouts
        var profile: ModelProfile
        var identity: IdentityExpectation
        var regression: RegressionPolicy
        var canary: CanarySettings?
        var propagatesTraceContext: Bool
    }

    final class Box: Sendable {
        let fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var box: Box

    private mutating func update(_ change: (inout Fields) -> Void) {
        var fields = box.fields
        change(&fields)
        box = Box(fields)
    }

    /// The id clients name in `model`.
    public var id: String {
        get { box.fields.id }
        set { update { $0.id = newValue } }
    }

    public var provider: ProviderKind {
        get { box.fields.provider }
        set { update { $0.provider = newValue } }
    }

    /// What it serves: chat (completions, messages, responses) or embeddings.
    public var kind: ModelKind {
        get { box.fields.kind }
        set { update { $0.kind = newValue } }
    }

    /// The API root, e.g. `http://127.0.0.1:8081/v1`.
    public var baseURL: String {
        get { box.fields.baseURL }
        set { update { $0.baseURL = newValue } }
    }

    /// The secret, already read from the environment; never logged.
    public var apiKey: String? {
        get { box.fields.apiKey }
        set { update { $0.apiKey = newValue } }
    }

    /// The model name the upstream expects; the catalog id when not set.
    public var upstreamModel: String {
        get { box.fields.upstreamModel }
        set { update { $0.upstreamModel = newValue } }
    }

    public var deployment: Deployment {
        get { box.fields.deployment }
        set { update { $0.deployment = newValue } }
    }

    public var price: Price {
        get { box.fields.price }
        set { update { $0.price = newValue } }
    }

    public var contextWindow: Int? {
        get { box.fields.contextWindow }
        set { update { $0.contextWindow = newValue } }
    }

    /// The most tokens one answer may have; what a budget reserves for a request that sets no `max_tokens`
    /// (``WorstCase/defaultOutputTokens`` when not set).
    public var maxOutputTokens: Int? {
        get { box.fields.maxOutputTokens }
        set { update { $0.maxOutputTokens = newValue } }
    }

    public var fixedCosts: FixedCosts {
        get { box.fields.fixedCosts }
        set { update { $0.fixedCosts = newValue } }
    }

    /// Extra headers sent to the upstream (e.g. an organisation id).
    public var headers: [String: String] {
        get { box.fields.headers }
        set { update { $0.headers = newValue } }
    }

    public var timeouts: Timeouts {
        get { box.fields.timeouts }
        set { update { $0.timeouts = newValue } }
    }

    /// What the router expects of this model (quality, latency, marginal cost).
    public var profile: ModelProfile {
        get { box.fields.profile }
        set { update { $0.profile = newValue } }
    }

    /// The identity the upstream must report, and what a different one does.
    public var identity: IdentityExpectation {
        get { box.fields.identity }
        set { update { $0.identity = newValue } }
    }

    /// How far its measured quality may fall before it is marked degraded.
    public var regression: RegressionPolicy {
        get { box.fields.regression }
        set { update { $0.regression = newValue } }
    }

    /// Its canary suite and schedule, if it has one.
    public var canary: CanarySettings? {
        get { box.fields.canary }
        set { update { $0.canary = newValue } }
    }

    /// Whether calls to it carry the request's `traceparent` (`propagate_trace_context`; off for clouds by default).
    public var propagatesTraceContext: Bool {
        get { box.fields.propagatesTraceContext }
        set { update { $0.propagatesTraceContext = newValue } }
    }

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
        profile: ModelProfile = ModelProfile(),
        identity: IdentityExpectation = IdentityExpectation(),
        regression: RegressionPolicy = RegressionPolicy(),
        canary: CanarySettings? = nil,
        propagatesTraceContext: Bool = false
    ) {
        box = Box(Fields(
            id: id, provider: provider, kind: kind, baseURL: baseURL, apiKey: apiKey, upstreamModel: upstreamModel ?? id,
            deployment: deployment, price: price, contextWindow: contextWindow, maxOutputTokens: maxOutputTokens,
            fixedCosts: fixedCosts, headers: headers, timeouts: timeouts, profile: profile, identity: identity, regression: regression, canary: canary,
            propagatesTraceContext: propagatesTraceContext))
    }

    public static func == (lhs: ModelEntry, rhs: ModelEntry) -> Bool {
        lhs.box === rhs.box || lhs.box.fields == rhs.box.fields
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(box.fields)
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
