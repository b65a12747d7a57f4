import AsyncAlgorithms
import FrontierCore
import FrontierProviders
import FrontierRouting

/// One request's pseudonymisation (`on_violation: pseudonymize`): the masked form sent to the models outside
/// the request's zone that the plan allows (``RoutePlanner/Plan/pseudonymized``), and the values put back into
/// what those models answer, whole or streamed, before any front door renders it. The mapping lives here, in
/// the request's memory, and nowhere else.
struct Masking: Sendable {
    let masked: ChatRequest
    let pseudonyms: Pseudonymizer
    let models: Set<String>

    /// The masked request, or nil when it cannot be masked safely (the request then stays in its zone).
    init?(_ chat: ChatRequest, models: Set<String>, detector: PIIDetector) {
        guard !models.isEmpty else { return nil }
        var pseudonyms = Pseudonymizer()
        guard let masked = pseudonyms.mask(chat, detector: detector) else { return nil }
        self.masked = masked
        self.pseudonyms = pseudonyms
        self.models = models
    }

    func applies(to model: ModelEntry) -> Bool { models.contains(model.id) }

    /// What `model` is sent: the masked request for a model outside the zone, the client's own otherwise.
    func request(for model: ModelEntry, original: ChatRequest) -> ChatRequest {
        guard applies(to: model) else { return original }
        var request = masked
        // What the caller changed on its copy for this call (stream off for a cascade tier, logprobs) carries over.
        request.stream = original.stream
        for key in ["stream", "logprobs", "temperature", "max_tokens", "max_completion_tokens"] { request.body[key] = original.body[key] }
        return request
    }

    /// The categories and how many distinct values of each were replaced (for the ledger; never the values).
    var counts: [String: Int] { Dictionary(uniqueKeysWithValues: pseudonyms.counts.map { ($0.key.rawValue, $0.value) }) }

    /// A whole answer with the values back in its text, refusal and tool-call arguments.
    func restore(_ completion: Completion) -> Completion {
        guard let json = try? JSONParser.parse(completion.body), case .object(var body) = json, let choices = body["choices"]?.arrayValue else {
            return completion
        }
        body["choices"] = .array(choices.map { choice in
            guard case .object(var c) = choice, let message = c["message"] else { return choice }
            c["message"] = restore(message: message, field: "content")
            return .object(c)
        })
        var restored = completion
        restored.body = JSONValue.object(body).serialized()
        return restored
    }

    /// `message` (or a stream's `delta`) with its text restored (whole, not streamed).
    private func restore(message: JSONValue, field: String) -> JSONValue {
        guard case .object(var m) = message else { return message }
        switch m[field] {
        case .string(let text)?: m[field] = .string(pseudonyms.restore(text))
        case .array(let parts)?:
            m[field] = .array(parts.map { part in
                guard case .object(var p) = part, let text = p["text"]?.stringValue else { return part }
                p["text"] = .string(pseudonyms.restore(text))
                return .object(p)
            })
        default: break
        }
        if let refusal = m["refusal"]?.stringValue { m["refusal"] = .string(pseudonyms.restore(refusal)) }
        if let calls = m["tool_calls"]?.arrayValue {
            m["tool_calls"] = .array(calls.map { call in
                guard case .object(var c) = call, case .object(var function)? = c["function"], let arguments = function["arguments"]?.stringValue else { return call }
                function["arguments"] = .string(pseudonyms.restore(arguments, jsonString: true))
                c["function"] = .object(function)
                return .object(c)
            })
        }
        return .object(m)
    }

    /// The stream with the values back in every choice's content and tool-call arguments: a placeholder split
    /// across chunks is held until it is whole (``PlaceholderStream``) and flushed by the choice's last chunk.
    func restore(_ upstream: CompletionStream) -> CompletionStream {
        let events = AsyncThrowingChannel<[StreamEvent], any Error>()
        let pump = Task { [pseudonyms] in
            var restorer = StreamRestorer(pseudonyms: pseudonyms)
            var upstreamEvents = upstream.events.makeAsyncIterator()
            do {
                // What arrived together goes on together.
                var batch: [StreamEvent] = []
                while let event = try await upstreamEvents.next() {
                    switch event {
                    case .chunk(let bytes): batch.append(.chunk(restorer.restore(bytes)))
                    case .usage: batch.append(event)
                    }
                    if !upstreamEvents.hasBuffered {
                        await events.send(batch)
                        batch = []
                    }
                }
                if let rest = restorer.finish() { await events.send([.chunk(rest)]) }
                events.finish()
            } catch {
                events.fail(error)
            }
        }
        return CompletionStream(batches: events) {
            pump.cancel()
            upstream.cancel()
        }
    }
}

/// Per choice and per tool call, the placeholder streams of one response stream.
struct StreamRestorer {
    let pseudonyms: Pseudonymizer
    private var content: [Int: PlaceholderStream] = [:]
    private var arguments: [Int: [Int: PlaceholderStream]] = [:]
    /// The last chunk's top-level fields (id, model, created), for a closing chunk of held text.
    private var envelope: JSONObject = [:]

    init(pseudonyms: Pseudonymizer) {
        self.pseudonyms = pseudonyms
    }

    mutating func restore(_ bytes: [UInt8]) -> [UInt8] {
        guard let json = try? JSONParser.parse(bytes), case .object(var chunk) = json, let choices = chunk["choices"]?.arrayValue else { return bytes }
        envelope = chunk
        envelope["choices"] = nil
        envelope["usage"] = nil
        chunk["choices"] = .array(choices.map { choice in
            guard case .object(var c) = choice, case .object(var delta)? = c["delta"] else { return choice }
            let index = Int(c["index"]?.intValue ?? 0)
            let finished = !(c["finish_reason"]?.isNull ?? true)
            if let text = delta["content"]?.stringValue {
                var stream = content[index] ?? PlaceholderStream(pseudonyms)
                delta["content"] = .string(stream.feed(text) + (finished ? stream.finish() : ""))
                content[index] = stream
            } else if finished, var stream = content[index] {
                let rest = stream.finish()
                content[index] = stream
                if !rest.isEmpty { delta["content"] = .string(rest) }
            }
            if let calls = delta["tool_calls"]?.arrayValue {
                delta["tool_calls"] = .array(calls.map { call in
                    guard case .object(var c) = call, case .object(var function)? = c["function"], let piece = function["arguments"]?.stringValue else { return call }
                    let k = Int(c["index"]?.intValue ?? 0)
                    var stream = arguments[index]?[k] ?? PlaceholderStream(pseudonyms, jsonString: true)
                    function["arguments"] = .string(stream.feed(piece) + (finished ? stream.finish() : ""))
                    arguments[index, default: [:]][k] = stream
                    c["function"] = .object(function)
                    return .object(c)
                })
            }
            if finished, let held = arguments[index] {
                // Arguments still held when the choice ends: sent in this chunk, each under its call's index.
                var calls = delta["tool_calls"]?.arrayValue ?? []
                for (k, var stream) in held.sorted(by: { $0.key < $1.key }) {
                    let rest = stream.finish()
                    arguments[index]?[k] = stream
                    if !rest.isEmpty { calls.append(["index": .int(Int64(k)), "function": ["arguments": .string(rest)]]) }
                }
                if !calls.isEmpty { delta["tool_calls"] = .array(calls) }
            }
            c["delta"] = .object(delta)
            return .object(c)
        })
        return JSONValue.object(chunk).serialized()
    }

    /// A closing chunk with whatever is still held, when the stream ended without a choice's last chunk.
    mutating func finish() -> [UInt8]? {
        var choices: [JSONValue] = []
        for index in Set(content.keys).union(arguments.keys).sorted() {
            var delta: JSONObject = [:]
            if var stream = content[index] {
                let rest = stream.finish()
                content[index] = stream
                if !rest.isEmpty { delta["content"] = .string(rest) }
            }
            var calls: [JSONValue] = []
            for (k, var stream) in (arguments[index] ?? [:]).sorted(by: { $0.key < $1.key }) {
                let rest = stream.finish()
                arguments[index]?[k] = stream
                if !rest.isEmpty { calls.append(["index": .int(Int64(k)), "function": ["arguments": .string(rest)]]) }
            }
            if !calls.isEmpty { delta["tool_calls"] = .array(calls) }
            if !delta.isEmpty { choices.append(["index": .int(Int64(index)), "delta": .object(delta), "finish_reason": .null]) }
        }
        guard !choices.isEmpty else { return nil }
        var chunk = envelope
        chunk["choices"] = .array(choices)
        return JSONValue.object(chunk).serialized()
    }
}
