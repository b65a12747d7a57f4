/// Turns one upstream's server-sent events into OpenAI stream events.
/// Holds whatever state the protocol needs between events (a tool-call index,
/// the usage seen so far); one instance serves one stream.
public protocol StreamTranslator: Sendable {
    mutating func translate(_ event: ServerSentEvent) throws(UpstreamError) -> [StreamEvent]
    /// Called when the body ends: fails if the stream was cut before its end
    /// marker, and reports an estimated usage if the upstream sent none.
    mutating func finish() throws(UpstreamError) -> [StreamEvent]
}
