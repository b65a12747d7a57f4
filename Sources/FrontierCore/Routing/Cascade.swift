/// A cascade route: try the tiers in order (cheap or local specialized
/// models first), check each tier's answer, and escalate to the next tier
/// only when a check fails. The last tier's answer is final.
///
/// ```yaml
/// routes:
///   - name: support
///     cascade:
///       - model: gemma-local
///         accept: {json_schema: true, min_chars: 20}
///       - model: gpt-4o
///     streaming: verify-then-stream
///     deadline_ms: 8000
/// ```
public struct Cascade: Sendable, Hashable {
    public var tiers: [CascadeTier]
    public var streaming: CascadeStreaming
    /// The whole request's budget; no tier starts when too little is left for it.
    public var deadlineMs: Int?

    public init(tiers: [CascadeTier], streaming: CascadeStreaming = .verifyThenStream, deadlineMs: Int? = nil) {
        self.tiers = tiers
        self.streaming = streaming
        self.deadlineMs = deadlineMs
    }
}

public struct CascadeTier: Sendable, Hashable {
    public var model: String
    public var accept: AcceptanceChecks
    /// `pseudonymize: true`: a tier outside the request's privacy zone (the general model after a local one) still
    /// runs for a request with sensitive data, sent placeholders instead of the values, the values put back in its answer.
    public var pseudonymize: Bool

    public init(model: String, accept: AcceptanceChecks = AcceptanceChecks(), pseudonymize: Bool = false) {
        self.model = model
        self.accept = accept
        self.pseudonymize = pseudonymize
    }
}

/// How a streamed request is served through a cascade.
public enum CascadeStreaming: String, Sendable, Hashable, CaseIterable {
    /// Every tier runs to the end and is checked; the accepted answer is then streamed at once.
    case verifyThenStream = "verify-then-stream"
    /// Tiers before the last run non-streamed and are checked; the last tier streams live.
    case streamFinalTier = "stream-final-tier"
}

/// What a tier's answer must pass to be accepted. An empty answer never is.
public struct AcceptanceChecks: Sendable, Hashable {
    /// The answer is JSON and, when the request's `response_format` carries a JSON schema, conforms to it.
    public var jsonSchema = false
    public var minChars: Int?
    public var maxChars: Int?
    /// A regular expression the answer must match.
    public var regex: String?
    /// Phrases the answer must contain (case-insensitive).
    public var mustContain: [String] = []
    /// Reject answers that refuse ("I can't help with that", "As an AI ...").
    public var rejectRefusals = false
    /// Mean per-token probability (exp of the mean logprob) at least this, where the upstream returns logprobs.
    public var minMeanTokenProbability: Double?
    /// Lowest single-token probability at least this, where the upstream returns logprobs.
    public var minTokenProbability: Double?
    /// Ask this many samples; the most common answer must reach the agreement share.
    public var selfConsistency: SelfConsistency?
    /// A model that scores the answer from 0 to 10; it must reach the minimum.
    public var verifier: Verifier?

    public init() {}

    public struct SelfConsistency: Sendable, Hashable {
        public var samples: Int
        public var minAgreement: Double

        public init(samples: Int, minAgreement: Double) {
            self.samples = samples
            self.minAgreement = minAgreement
        }
    }

    public struct Verifier: Sendable, Hashable {
        public var model: String
        /// Instructions for the verifier; a default asks whether the answer is correct and complete.
        public var prompt: String?
        /// In [0, 1] (the verifier's 0-10 score divided by 10).
        public var minScore: Double

        public init(model: String, prompt: String? = nil, minScore: Double) {
            self.model = model
            self.prompt = prompt
            self.minScore = minScore
        }
    }

    public var needsLogprobs: Bool { minMeanTokenProbability != nil || minTokenProbability != nil }
}
