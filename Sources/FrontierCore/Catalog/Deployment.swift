/// Where a model runs, which decides what data it may see.
public enum Deployment: String, Sendable, Hashable, CaseIterable {
    /// On this machine or this team's box (llama.cpp, Ollama).
    case local
    /// On the organisation's own infrastructure (a vLLM cluster).
    case onPrem = "on-prem"
    /// A third party's API.
    case cloud
}
