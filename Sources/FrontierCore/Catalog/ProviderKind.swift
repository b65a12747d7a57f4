/// The wire protocol an upstream speaks.
public enum ProviderKind: String, Sendable, Hashable, CaseIterable {
    /// OpenAI's chat-completions API: OpenAI, vLLM, Ollama, llama.cpp server, Together, Groq, OpenRouter, ...
    case openAICompatible = "openai-compatible"
    /// Anthropic's Messages API.
    case anthropic
}
