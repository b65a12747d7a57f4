public import FrontierCore
public import FrontierRouting

/// The `router:` and `privacy:` sections: how `auto` chooses.
public struct RouterSettings: Sendable {
    /// The fitted router file from `frontier fit` (a path resolved beside the config file).
    public var file: String?
    public var defaultObjective: Objective = .balanced
    /// Quality points one US dollar is worth in `balanced`.
    public var lambda: Double = 50
    /// Example prompts per domain, to train the domain classifier when no router file is given.
    public var domainExamples: [String: [String]] = [:]
    /// `privacy:`: where requests with PII (`pii`) or unscannable parts (`unscannable`) may go, what an
    /// explicit model outside that zone gets (`on_violation`), and which categories count (`categories`).
    public var privacy = PrivacyPolicy()
    /// The model that serves a request when no model meets its constraints (instead of 422),
    /// as long as it meets the privacy zone; none by default.
    public var fallbackModel: String?
    /// Named routes (`routes:`), by name.
    public var routes: [String: RouteDefinition] = [:]
    /// `embedder`: the local embedding model whose vectors a router file's embedding signal reads (the one
    /// `frontier fit --embeddings` was given vectors of); none by default.
    public var embedder: String?
    /// `embedding_timeout_ms`: how long a decision waits for the prompt's embedding before routing without it.
    public var embeddingTimeoutMs = 150
    /// `signals`: what the router may read of a prompt (domain, prompt, embedding); every signal the file has when nil.
    public var signals: Set<RouterSignal>?
    /// `shadow.file`: a candidate router file decided beside the live one on every request and recorded, never served.
    public var shadowFile: String?
    /// `experiment`: a candidate router file serving a seeded share of traffic under a guard.
    public var experiment: ExperimentSettings?
    /// `explore`: a bounded share of routed requests answered a second time in the background and graded.
    public var explore: ExploreSettings?

    public init() {}
}
