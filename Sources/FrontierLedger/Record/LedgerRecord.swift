public import FrontierCore

/// What the ledger keeps of one request: who asked (a key id, never the
/// key), what was decided and why, every attempt with its tokens, cost and
/// latency, the PII categories found (never values), and a keyed HMAC of the
/// prompt so equal prompts can be matched without storing them.
public struct LedgerRecord: Sendable, Equatable {
    public var requestID: String
    /// Milliseconds since 1970 (UTC).
    public var timeMs: Int64
    public var apiKeyID: String?
    /// The `model` the client asked for: a model id, "auto" or a route.
    public var route: String
    /// The model that served the answer, if any did.
    public var model: String?
    public var status: Int
    public var decision: String
    /// The full decision (candidates, exclusions) for routed requests.
    public var decisionDetail: JSONValue?
    public var attempts: [Attempt]
    public var piiCategories: [String]
    public var domain: String?
    public var promptHMAC: String
    public var latencyMs: Double
    /// Encrypted prompt and response (base64 of ChaCha20-Poly1305's combined box) when the config stores bodies.
    public var encryptedPrompt: String?
    public var encryptedResponse: String?
    /// `intent` for the write-ahead record committed before a prompt leaves for a model outside `local`
    /// (strict durability); nil for a request's final record, which completes its intents.
    public var kind: String?
    /// The privacy zone the request was bound to, when the policy or the request narrowed it.
    public var zone: String?
    /// The router file version that planned the request (`frontier route --router-version` replays it).
    public var routerVersion: String?
    /// Under `router.experiment`: the arm that planned the request (`live` or `candidate`) and the candidate's version.
    public var arm: String?
    public var experiment: String?
    /// Under `router.shadow`: the model the shadow router would have chosen, and its version.
    public var shadowModel: String?
    public var shadowVersion: String?
    /// Under `on_violation: pseudonymize`: a model outside the request's zone was sent placeholders; per category,
    /// how many distinct values were replaced (never the values).
    public var pseudonymized: [String: Int]?
    /// The front door the request came in through (`openai.chat`, `anthropic.messages`, `openai.responses`,
    /// `openai.embeddings`, `anthropic.count_tokens`); nil in records from before it was kept.
    public var door: String?

    public static let intentKind = "intent"

    public struct Attempt: Sendable, Equatable {
        public var model: String
        public var upstreamModel: String?
        public var outcome: String
        public var inputTokens: Int
        public var outputTokens: Int
        public var cachedInputTokens: Int
        public var costUSD: Double
        public var firstTokenMs: Double?
        public var latencyMs: Double
        /// What went wrong, in the gateway's words only ("HTTP 400", "first-token timeout after 500 ms"):
        /// an upstream's own error text can echo the prompt.
        public var error: String?
        /// The upstream's full error text, encrypted like the bodies (only when the config stores bodies).
        public var errorSealed: String?
        /// Cascade check results, when a tier was checked.
        public var checks: JSONValue?

        public init(
            model: String, upstreamModel: String? = nil, outcome: String, inputTokens: Int = 0, outputTokens: Int = 0, cachedInputTokens: Int = 0,
            costUSD: Double = 0, firstTokenMs: Double? = nil, latencyMs: Double = 0, error: String? = nil, errorSealed: String? = nil, checks: JSONValue? = nil
        ) {
            self.model = model
            self.upstreamModel = upstreamModel
            self.outcome = outcome
            self.inputTokens = inputTokens
            self.outputTokens = outputTokens
            self.cachedInputTokens = cachedInputTokens
            self.costUSD = costUSD
            self.firstTokenMs = firstTokenMs
            self.latencyMs = latencyMs
            self.error = error
            self.errorSealed = errorSealed
            self.checks = checks
        }
    }

    public init(
        requestID: String, timeMs: Int64, apiKeyID: String? = nil, route: String, model: String?, status: Int, decision: String,
        decisionDetail: JSONValue? = nil, attempts: [Attempt], piiCategories: [String] = [], domain: String? = nil, promptHMAC: String,
        latencyMs: Double, encryptedPrompt: String? = nil, encryptedResponse: String? = nil, kind: String? = nil, zone: String? = nil,
        routerVersion: String? = nil, arm: String? = nil, experiment: String? = nil, shadowModel: String? = nil, shadowVersion: String? = nil,
        pseudonymized: [String: Int]? = nil, door: String? = nil
    ) {
        self.pseudonymized = pseudonymized
        self.door = door
        self.requestID = requestID
        self.timeMs = timeMs
        self.apiKeyID = apiKeyID
        self.route = route
        self.model = model
        self.status = status
        self.decision = decision
        self.decisionDetail = decisionDetail
        self.attempts = attempts
        self.piiCategories = piiCategories
        self.domain = domain
        self.promptHMAC = promptHMAC
        self.latencyMs = latencyMs
        self.encryptedPrompt = encryptedPrompt
        self.encryptedResponse = encryptedResponse
        self.kind = kind
        self.zone = zone
        self.routerVersion = routerVersion
        self.arm = arm
        self.experiment = experiment
        self.shadowModel = shadowModel
        self.shadowVersion = shadowVersion
    }

    public var costUSD: Double { attempts.map(\.costUSD).reduce(0, +) }
    public var inputTokens: Int { attempts.map(\.inputTokens).reduce(0, +) }
    public var outputTokens: Int { attempts.map(\.outputTokens).reduce(0, +) }
}
