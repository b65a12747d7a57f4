/// What a catalog model serves (`kind:` in the config, chat by default): the
/// router chooses chat models for chat requests and embedding models for
/// `/v1/embeddings`, never one for the other.
public enum ModelKind: String, Sendable, Hashable, CaseIterable {
    case chat
    case embedding
}
