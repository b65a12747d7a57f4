/// The prompt's sentence embedding, as the router's embedder returned it for one request, or why there is none.
/// The embedder is called with a deadline and never blocks a request: without a vector the domain means stand.
public enum PromptEmbedding: Sendable, Equatable {
    case vector([Float], milliseconds: Double)
    case unavailable(reason: String, milliseconds: Double)
}

/// Whether the embedding signal shaped a decision, and what it cost in time (what the decision says: never the vector).
public enum EmbeddingNote: Sendable, Equatable {
    case used(milliseconds: Double)
    case fellBack(reason: String, milliseconds: Double)
}
