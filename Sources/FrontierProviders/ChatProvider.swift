public import FrontierCore
public import AsyncAlgorithms

/// An upstream that serves OpenAI-shaped chat completions, whatever protocol
/// it speaks underneath. One conforming type per wire protocol; adding a
/// provider is one file and one line in ``ProviderRegistry``.
public protocol ChatProvider: Sendable {
    /// A whole completion, as OpenAI's response object.
    func complete(_ request: ChatRequest, on model: ModelEntry) async throws(UpstreamError) -> Completion

    /// A stream of OpenAI chunk objects. It returns once the upstream has
    /// accepted the request; its first element is the first token, so a
    /// caller can still move to another model if that element is an error.
    func stream(_ request: ChatRequest, on model: ModelEntry) async throws(UpstreamError) -> CompletionStream

    /// The request's input tokens as the model itself counts them (its own
    /// count endpoint or tokenizer), or nil where the upstream has none.
    func countTokens(_ request: ChatRequest, on model: ModelEntry) async throws(UpstreamError) -> Int?

    /// `/embeddings`, for a model of kind embedding.
    func embed(_ request: EmbeddingRequest, on model: ModelEntry) async throws(UpstreamError) -> Embeddings
}

extension ChatProvider {
    public func countTokens(_ request: ChatRequest, on model: ModelEntry) async throws(UpstreamError) -> Int? { nil }

    public func embed(_ request: EmbeddingRequest, on model: ModelEntry) async throws(UpstreamError) -> Embeddings {
        throw .unavailable("\(model.provider.rawValue) upstreams do not serve embeddings here")
    }
}

/// An embeddings answer: OpenAI's list object, serialized, and its usage.
public struct Embeddings: Sendable {
    public var body: [UInt8]
    public var usage: Usage
    public var upstreamModel: String?

    public init(body: [UInt8], usage: Usage, upstreamModel: String?) {
        self.body = body
        self.usage = usage
        self.upstreamModel = upstreamModel
    }
}

/// A finished completion: the OpenAI response body and its usage.
public struct Completion: Sendable {
    /// OpenAI's chat.completion object, serialized.
    public var body: [UInt8]
    public var usage: Usage
    /// What the upstream reported it is: its model name and fingerprint (bounded).
    public var identity: ReportedIdentity?

    public init(body: [UInt8], usage: Usage, identity: ReportedIdentity?) {
        self.body = body
        self.usage = usage
        self.identity = identity
    }

    public init(body: [UInt8], usage: Usage, upstreamModel: String?) {
        self.init(body: body, usage: usage, identity: upstreamModel.map { ReportedIdentity(model: $0) })
    }

    /// The model name as the upstream reported it, for the record.
    public var upstreamModel: String? { identity?.model }

    /// The first choice's text and its token logprobs (when the upstream returned them), read from the body.
    public var answer: (text: String, logprobs: [Double]?) {
        guard let json = try? JSONParser.parse(body), let choice = json["choices"]?.arrayValue?.first else { return ("", nil) }
        let text = choice["message"]?["content"]?.stringValue ?? ""
        let logprobs = choice["logprobs"]?["content"]?.arrayValue?.compactMap { $0["logprob"]?.doubleValue }
        return (text, logprobs?.isEmpty == false ? logprobs : nil)
    }
}

/// What a stream yields.
public enum StreamEvent: Sendable, Equatable {
    /// An OpenAI chat.completion.chunk object to forward, serialized.
    case chunk([UInt8])
    /// The usage of the whole stream. `chunk` is the upstream's usage-only chunk,
    /// forwarded only to clients that asked for usage.
    case usage(Usage, chunk: [UInt8]?)
}

/// A running upstream stream: its events, and a way to abandon it (the client
/// went away) that cancels the upstream request even while no event comes.
/// The events are handed over as the consumer asks for them, one upstream
/// read's worth at a time (backpressure): nothing queues up behind a slow reader.
public struct CompletionStream: Sendable {
    public var events: StreamEvents
    public var cancel: @Sendable () -> Void

    /// `batches`: each element the events of one upstream read (``StreamEvents``).
    public init(batches: AsyncThrowingChannel<[StreamEvent], any Error>, cancel: @escaping @Sendable () -> Void) {
        self.events = StreamEvents(batches)
        self.cancel = cancel
    }
}
