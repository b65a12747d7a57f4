public import FrontierCore

/// Limits on what an upstream may send, and what to scrub from its error text.
public struct UpstreamLimits: Sendable {
    /// Bytes of a non-streamed answer the gateway accepts.
    public var maxResponseBytes: Int
    /// Bytes of one event-stream event (or line).
    public var maxStreamEventBytes: Int
    /// Removes the configured secrets, and anything shaped like one, from every error text.
    public var redactor: SecretRedactor

    public init(maxResponseBytes: Int = 16 << 20, maxStreamEventBytes: Int = ServerSentEventParser.defaultMaxEventBytes, redactor: SecretRedactor = SecretRedactor()) {
        self.maxResponseBytes = maxResponseBytes
        self.maxStreamEventBytes = maxStreamEventBytes
        self.redactor = redactor
    }
}
