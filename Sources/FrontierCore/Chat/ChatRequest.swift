/// An OpenAI chat-completions request, validated.
///
/// `body` keeps every field the client sent, so the gateway forwards what it
/// does not understand (tools, response_format, seed, ...) unchanged; the
/// typed properties are the fields the gateway itself acts on.
public struct ChatRequest: Sendable {
    /// The most output tokens a request may ask for (`max_tokens`): above any model's
    /// output cap, and small enough that cost and context arithmetic cannot overflow.
    public static let maximumOutputTokens = 1_000_000
    /// The most choices (`n`) a request may ask for, as OpenAI allows.
    public static let maximumChoices = 128
    /// The longest `model` name accepted; longer names are refused before they reach a log or the ledger.
    public static let maximumModelNameBytes = 256

    public var body: JSONObject
    public var model: String
    public var messages: [ChatMessage]
    public var stream: Bool
    /// The client asked for a final usage chunk (`stream_options.include_usage`).
    public var clientWantsStreamUsage: Bool
    public var maxTokens: Int?
    /// The request in its client's own protocol, when that was not OpenAI chat.
    public var native: NativeRequest?

    /// Validates a parsed body; the error names the field and what to send instead.
    public init(json: JSONValue) throws(RequestValidationError) {
        guard let body = json.objectValue else {
            throw RequestValidationError(param: nil, message: "The request body must be a JSON object, got \(json.typeDescription).")
        }
        let reader = FieldReader(body: body)
        guard let model = try reader.string("model") else {
            throw RequestValidationError(param: "model", message: "Missing required field 'model': name a model id from GET /v1/models, or \"auto\".")
        }
        guard !model.isEmpty else {
            throw RequestValidationError(param: "model", message: "'model' must not be empty: name a model id from GET /v1/models, or \"auto\".")
        }
        guard model.utf8.count <= Self.maximumModelNameBytes else {
            throw RequestValidationError(
                param: "model", message: "'model' is \(model.utf8.count) bytes long; model ids are at most \(Self.maximumModelNameBytes). Name a model id from GET /v1/models, or \"auto\".")
        }
        guard let rawMessages = body["messages"] else {
            throw RequestValidationError(param: "messages", message: "Missing required field 'messages': send an array of {role, content} objects.")
        }
        guard let messageArray = rawMessages.arrayValue else {
            throw RequestValidationError(param: "messages", message: "'messages' must be an array of {role, content} objects, got \(rawMessages.typeDescription).")
        }
        guard !messageArray.isEmpty else {
            throw RequestValidationError(param: "messages", message: "'messages' must contain at least one message.")
        }
        var messages: [ChatMessage] = []
        messages.reserveCapacity(messageArray.count)
        for (n, item) in messageArray.enumerated() {
            messages.append(try Self.message(item, at: n))
        }
        self.body = body
        self.model = model
        self.messages = messages
        self.stream = try reader.bool("stream") ?? false
        if let options = body["stream_options"], !options.isNull {
            guard let object = options.objectValue else {
                throw RequestValidationError(param: "stream_options", message: "'stream_options' must be an object, got \(options.typeDescription).")
            }
            let optionsReader = FieldReader(body: object, prefix: "stream_options.")
            self.clientWantsStreamUsage = try optionsReader.bool("include_usage") ?? false
        } else {
            self.clientWantsStreamUsage = false
        }
        let maxCompletionTokens = try reader.positiveInt("max_completion_tokens", maximum: Self.maximumOutputTokens)
        let maxTokens = try reader.positiveInt("max_tokens", maximum: Self.maximumOutputTokens)
        self.maxTokens = maxCompletionTokens ?? maxTokens
        _ = try reader.number("temperature", in: 0...2)
        _ = try reader.number("top_p", in: 0...1)
        _ = try reader.number("presence_penalty", in: -2...2)
        _ = try reader.number("frequency_penalty", in: -2...2)
        _ = try reader.positiveInt("n", maximum: Self.maximumChoices)
        _ = try reader.number("top_logprobs", in: 0...20)
        try reader.stop()
        try FieldTypes.check(body, [
            "user": .string, "tools": .array, "response_format": .object, "seed": .integer, "parallel_tool_calls": .bool, "logprobs": .bool,
            "metadata": .object, "store": .bool,
        ])
        if let frontier = body["frontier"], !frontier.isNull, frontier.objectValue == nil {
            throw RequestValidationError(param: "frontier", message: "'frontier' must be an object of routing constraints, got \(frontier.typeDescription).")
        }
    }

    public init(model: String, messages: [ChatMessage], stream: Bool = false, extra: JSONObject = [:]) {
        var body = extra
        body["model"] = .string(model)
        body["messages"] = .array(messages.map { .object($0.raw) })
        body["stream"] = .bool(stream)
        self.body = body
        self.model = model
        self.messages = messages
        self.stream = stream
        self.clientWantsStreamUsage = false
        self.maxTokens = extra["max_tokens"]?.intValue.map { $0.clamped(to: 1...Self.maximumOutputTokens) }
    }

    private static func message(_ item: JSONValue, at n: Int) throws(RequestValidationError) -> ChatMessage {
        let path = "messages[\(n)]"
        guard let object = item.objectValue else {
            throw RequestValidationError(param: path, message: "'\(path)' must be an object with 'role' and 'content', got \(item.typeDescription).")
        }
        guard let roleValue = object["role"] else {
            throw RequestValidationError(param: "\(path).role", message: "'\(path).role' is missing: use one of system, developer, user, assistant, tool.")
        }
        guard let role = roleValue.stringValue, ChatMessage.roles.contains(role) else {
            throw RequestValidationError(
                param: "\(path).role",
                message: "'\(path).role' must be one of system, developer, user, assistant, tool; got \(roleValue.stringValue.map { "'\($0)'" } ?? roleValue.typeDescription).")
        }
        let content = object["content"] ?? .null
        switch content {
        case .string, .null:
            break
        case .array(let parts):
            for (k, part) in parts.enumerated() {
                guard let partObject = part.objectValue, partObject["type"]?.stringValue != nil else {
                    throw RequestValidationError(
                        param: "\(path).content[\(k)]",
                        message: "'\(path).content[\(k)]' must be a content part object with a string 'type' (e.g. {\"type\": \"text\", \"text\": \"...\"}).")
                }
                if partObject["type"]?.stringValue == "text", partObject["text"]?.stringValue == nil {
                    throw RequestValidationError(param: "\(path).content[\(k)].text", message: "'\(path).content[\(k)].text' must be a string.")
                }
            }
        default:
            throw RequestValidationError(
                param: "\(path).content",
                message: "'\(path).content' must be a string or an array of content parts, got \(content.typeDescription).")
        }
        if content.isNull, role != "assistant" {
            throw RequestValidationError(param: "\(path).content", message: "'\(path).content' is required for role '\(role)'.")
        }
        return ChatMessage(role: role, content: content, raw: object)
    }
}

/// Reads optional typed fields of a JSON object, naming the field on a wrong type.
private struct FieldReader {
    let body: JSONObject
    var prefix = ""

    func present(_ key: String) -> JSONValue? {
        guard let value = body[key], !value.isNull else { return nil }
        return value
    }

    func string(_ key: String) throws(RequestValidationError) -> String? {
        guard let value = present(key) else { return nil }
        guard let s = value.stringValue else {
            throw RequestValidationError(param: prefix + key, message: "'\(prefix + key)' must be a string, got \(value.typeDescription).")
        }
        return s
    }

    func bool(_ key: String) throws(RequestValidationError) -> Bool? {
        guard let value = present(key) else { return nil }
        guard let b = value.boolValue else {
            throw RequestValidationError(param: prefix + key, message: "'\(prefix + key)' must be true or false, got \(value.typeDescription).")
        }
        return b
    }

    func positiveInt(_ key: String, maximum: Int) throws(RequestValidationError) -> Int? {
        guard let value = present(key) else { return nil }
        guard let i = value.intValue, (1...maximum).contains(i) else {
            throw RequestValidationError(
                param: prefix + key, message: "'\(prefix + key)' must be an integer from 1 to \(maximum), got \(describe(value)).")
        }
        return i
    }

    func number(_ key: String, in range: ClosedRange<Double>) throws(RequestValidationError) -> Double? {
        guard let value = present(key) else { return nil }
        guard let d = value.doubleValue, range.contains(d) else {
            throw RequestValidationError(
                param: prefix + key,
                message: "'\(prefix + key)' must be a number from \(range.lowerBound) to \(range.upperBound), got \(describe(value)).")
        }
        return d
    }

    func stop() throws(RequestValidationError) {
        guard let value = present("stop") else { return }
        switch value {
        case .string: return
        case .array(let items) where items.allSatisfy({ $0.stringValue != nil }) && items.count <= 4: return
        default:
            throw RequestValidationError(param: "stop", message: "'stop' must be a string or an array of up to 4 strings.")
        }
    }

    private func describe(_ value: JSONValue) -> String {
        switch value {
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        default: return value.typeDescription
        }
    }
}
