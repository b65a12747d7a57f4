import FrontierCore
import FrontierProviders
import Hummingbird

/// One front door: a wire protocol's request parsed into the pipeline's
/// request, and the pipeline's answers, streams and errors rendered back in
/// that protocol's shapes. Everything between (keys, features, policy,
/// routing, dispatch, cascades, usage, the ledger) is the pipeline's, written
/// once. Adding a protocol is one file conforming to this, and a route.
protocol Ingress: Sendable {
    /// The protocol's name in logs.
    var name: String { get }

    /// The request in OpenAI chat form (what routing reads and every provider translates from).
    /// Throws the 400 that says what to fix. `headers` are the client's (a protocol's version and feature flags).
    func parse(_ json: JSONValue, headers: HTTPFields) throws(APIError) -> ChatRequest

    /// A finished answer as this protocol's response body. `extras` are the gateway's
    /// own fields (a cascade's record) that the protocol may carry beside its own.
    func body(of completion: Completion, request: ChatRequest, extras: JSONObject) -> [UInt8]

    /// A fresh encoder for one stream's events.
    func streamEncoder(for request: ChatRequest) -> any StreamEncoder

    /// An error in this protocol's shape, with the status that fits it.
    func error(_ error: APIError, headers: HTTPFields) -> Response
}

/// Turns a stream of OpenAI chunks (what every provider yields) into one
/// protocol's events. Holds whatever the protocol needs between events.
protocol StreamEncoder: Sendable {
    /// The events for one chunk (nothing, when the protocol has no event for it).
    mutating func chunk(_ chunk: [UInt8]) -> ByteBuffer?
    /// The events that end a stream that finished: usage, the end marker.
    mutating func end(usage: Usage?, usageChunk: [UInt8]?, model: ModelEntry) -> ByteBuffer
    /// An error event after the first byte, which clients raise (never a silent clean close).
    func failure(_ error: APIError) -> ByteBuffer
}
