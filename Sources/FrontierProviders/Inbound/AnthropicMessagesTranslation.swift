public import FrontierCore

/// Anthropic Messages ⇄ the pipeline's OpenAI chat form: a client's message
/// request in, an OpenAI chat completion back out as an Anthropic message.
/// (The provider side, OpenAI chat ⇄ an Anthropic upstream, is
/// `AnthropicRequestTranslation` and `AnthropicResponseTranslation`.)
public enum AnthropicMessagesTranslation {
    /// The fields of a Messages request the gateway understands; anything else is refused by name
    /// rather than silently dropped on its way to a model that would not see it.
    public static let knownFields: Set<String> = [
        "model", "messages", "system", "max_tokens", "stop_sequences", "stream", "temperature", "top_p", "top_k",
        "tools", "tool_choice", "metadata", "thinking", "service_tier",
    ]

    /// A Messages request as an OpenAI chat request body. `requireMaxTokens` is false for count_tokens.
    public static func chatBody(_ json: JSONValue, requireMaxTokens: Bool) throws(RequestValidationError) -> JSONObject {
        let body = try FieldTypes.object(json, knownFields: knownFields, api: "Messages API")
        try FieldTypes.check(body, [
            "model": .string, "max_tokens": .integer, "stream": .bool, "temperature": .number, "top_p": .number, "top_k": .integer,
            "stop_sequences": .array, "tools": .array, "tool_choice": .object, "metadata": .object, "thinking": .object, "service_tier": .string,
        ])
        if let metadata = body["metadata"]?.objectValue { try FieldTypes.check(metadata, ["user_id": .string], prefix: "metadata.") }
        if let temperature = body["temperature"]?.doubleValue, !(0...1).contains(temperature) {
            throw RequestValidationError(param: "temperature", message: "'temperature' must be a number from 0 to 1.")
        }
        if let topK = body["top_k"]?.intValue, topK < 0 { throw RequestValidationError(param: "top_k", message: "'top_k' must be 0 or more.") }
        var chat: JSONObject = [:]
        chat["model"] = body["model"]
        var messages: [JSONValue] = []
        if let system = body["system"], !system.isNull {
            messages.append(["role": "system", "content": .string(try text(of: system, at: "system"))])
        }
        guard let turns = body["messages"]?.arrayValue else {
            throw RequestValidationError(param: "messages", message: "'messages' must be an array of {role, content} objects.")
        }
        for (n, turn) in turns.enumerated() {
            messages += try self.messages(turn, at: "messages[\(n)]")
        }
        chat["messages"] = .array(messages)
        if let maxTokens = body["max_tokens"], !maxTokens.isNull {
            chat["max_tokens"] = maxTokens
        } else if requireMaxTokens {
            throw RequestValidationError(param: "max_tokens", message: "'max_tokens' is required: the most tokens the answer may have.")
        }
        if let stop = body["stop_sequences"], !stop.isNull { chat["stop"] = stop }
        for field in ["temperature", "top_p", "top_k"] { if let value = body[field], !value.isNull { chat[field] = value } }
        if let user = body["metadata"]?["user_id"], !user.isNull { chat["user"] = user }
        ChatForm.stream(from: body, into: &chat)
        try ChatForm.tools(from: body, into: &chat) { tool, path throws(RequestValidationError) in try self.tool(tool, at: path) }
        if let choice = body["tool_choice"], !choice.isNull {
            let (translated, parallel) = try toolChoice(choice)
            chat["tool_choice"] = translated
            if let parallel { chat["parallel_tool_calls"] = .bool(parallel) }
        }
        return chat
    }

    /// One Anthropic turn as OpenAI messages: a user turn's tool results become `tool` messages first (OpenAI wants
    /// them right after the assistant's calls), then its other blocks one user message; an assistant turn one message
    /// with its text and tool calls. Thinking is kept only for Anthropic upstreams (in the native body).
    private static func messages(_ turn: JSONValue, at path: String) throws(RequestValidationError) -> [JSONValue] {
        guard let role = turn["role"]?.stringValue, role == "user" || role == "assistant" else {
            throw RequestValidationError(param: "\(path).role", message: "'\(path).role' must be 'user' or 'assistant'.")
        }
        guard let content = turn["content"] else {
            throw RequestValidationError(param: "\(path).content", message: "'\(path).content' is required: a string or an array of content blocks.")
        }
        if case .string = content { return [["role": .string(role), "content": content]] }
        guard let blocks = content.arrayValue else {
            throw RequestValidationError(param: "\(path).content", message: "'\(path).content' must be a string or an array of content blocks.")
        }
        var out: [JSONValue] = []
        var parts: [JSONValue] = []
        var text = ""
        var calls: [JSONValue] = []
        for (k, block) in blocks.enumerated() {
            let at = "\(path).content[\(k)]"
            switch block["type"]?.stringValue {
            case "text":
                guard let value = block["text"]?.stringValue else { throw RequestValidationError(param: "\(at).text", message: "'\(at).text' must be a string.") }
                if role == "user" { parts.append(["type": "text", "text": .string(value)]) } else { text += value }
            case "image" where role == "user":
                parts.append(["type": "image_url", "image_url": ["url": .string(try sourceURL(block["source"], at: "\(at).source"))]])
            case "document" where role == "user":
                parts.append(try document(block, at: at))
            case "tool_result" where role == "user":
                guard let id = block["tool_use_id"]?.stringValue else {
                    throw RequestValidationError(param: "\(at).tool_use_id", message: "'\(at).tool_use_id' must name the tool_use it answers.")
                }
                let result = try block["content"].map { value throws(RequestValidationError) in try self.text(of: value, at: "\(at).content") } ?? ""
                out.append(["role": "tool", "tool_call_id": .string(id), "content": .string(block["is_error"]?.boolValue == true ? "Error: " + result : result)])
            case "tool_use" where role == "assistant":
                guard let id = block["id"]?.stringValue, let name = block["name"]?.stringValue, block["input"].map({ $0.objectValue != nil }) ?? true else {
                    throw RequestValidationError(param: at, message: "'\(at)' (tool_use) needs a string 'id' and 'name' and an object 'input'.")
                }
                calls.append(["id": .string(id), "type": "function", "function": ["name": .string(name), "arguments": .string((block["input"] ?? [:]).jsonString)]])
            case "thinking" where role == "assistant", "redacted_thinking" where role == "assistant":
                continue
            default:
                let type = block["type"]?.stringValue.map { "'\($0)'" } ?? "a block without a type"
                throw RequestValidationError(
                    param: at,
                    message: "'\(at)' is \(type), which a \(role) turn cannot carry here; user turns take text, image, document and tool_result blocks, assistant turns text, tool_use and thinking.")
            }
        }
        if role == "user" {
            if !parts.isEmpty { out.append(["role": "user", "content": .array(parts)]) }
        } else {
            var message: JSONObject = ["role": "assistant", "content": text.isEmpty && !calls.isEmpty ? .null : .string(text)]
            if !calls.isEmpty { message["tool_calls"] = .array(calls) }
            out.append(.object(message))
        }
        return out
    }

    /// A string, or text blocks joined (a system prompt, a tool result); other blocks in a tool result are named.
    private static func text(of value: JSONValue, at path: String) throws(RequestValidationError) -> String {
        if let s = value.stringValue { return s }
        guard let blocks = value.arrayValue else {
            throw RequestValidationError(param: path, message: "'\(path)' must be a string or an array of text blocks.")
        }
        var texts: [String] = []
        for (k, block) in blocks.enumerated() {
            switch block["type"]?.stringValue {
            case "text":
                guard let text = block["text"]?.stringValue else {
                    throw RequestValidationError(param: "\(path)[\(k)].text", message: "'\(path)[\(k)].text' must be a string.")
                }
                texts.append(text)
            case "image": texts.append("[image]")
            default:
                throw RequestValidationError(param: "\(path)[\(k)]", message: "'\(path)[\(k)]' must be a text block.")
            }
        }
        return texts.joined(separator: "\n")
    }

    /// An image or document source as a URL: base64 data becomes a data URL.
    private static func sourceURL(_ source: JSONValue?, at path: String) throws(RequestValidationError) -> String {
        switch source?["type"]?.stringValue {
        case "base64":
            guard let media = source?["media_type"]?.stringValue, let data = source?["data"]?.stringValue else {
                throw RequestValidationError(param: path, message: "'\(path)' (base64) needs 'media_type' and 'data'.")
            }
            return "data:\(media);base64,\(data)"
        case "url":
            guard let url = source?["url"]?.stringValue else { throw RequestValidationError(param: "\(path).url", message: "'\(path).url' must be a string.") }
            return url
        default:
            throw RequestValidationError(param: "\(path).type", message: "'\(path).type' must be 'base64' or 'url'.")
        }
    }

    /// A document: plain text inline as text, a PDF as OpenAI's file part.
    private static func document(_ block: JSONValue, at path: String) throws(RequestValidationError) -> JSONValue {
        let source = block["source"]
        if source?["type"]?.stringValue == "text", let data = source?["data"]?.stringValue {
            return ["type": "text", "text": .string(data)]
        }
        let url = try sourceURL(source, at: "\(path).source")
        return ["type": "file", "file": ["file_data": .string(url), "filename": block["title"] ?? "document.pdf"]]
    }

    private static func tool(_ tool: JSONValue, at path: String) throws(RequestValidationError) -> JSONValue {
        if let type = tool["type"]?.stringValue, type != "custom" {
            throw RequestValidationError(param: "\(path).type", message: "'\(path)' is Anthropic's server tool '\(type)', which Frontier does not run; send custom tools (name, description, input_schema).")
        }
        guard let object = tool.objectValue else { throw RequestValidationError(param: path, message: "'\(path)' must be an object.") }
        guard let name = tool["name"]?.stringValue else { throw RequestValidationError(param: "\(path).name", message: "'\(path).name' must be a string.") }
        try FieldTypes.check(object, ["description": .string], prefix: "\(path).")
        guard let schema = object["input_schema"], schema.objectValue != nil else {
            throw RequestValidationError(param: "\(path).input_schema", message: "'\(path).input_schema' is required: the JSON schema of the tool's input, an object.")
        }
        var function: JSONObject = ["name": .string(name), "parameters": schema]
        if let description = tool["description"], !description.isNull { function["description"] = description }
        return ["type": "function", "function": .object(function)]
    }

    private static func toolChoice(_ choice: JSONValue) throws(RequestValidationError) -> (JSONValue, parallel: Bool?) {
        try FieldTypes.check(choice.objectValue ?? [:], ["type": .string, "name": .string, "disable_parallel_tool_use": .bool], prefix: "tool_choice.")
        let parallel = choice["disable_parallel_tool_use"]?.boolValue.map { !$0 }
        switch choice["type"]?.stringValue {
        case "auto": return ("auto", parallel)
        case "any": return ("required", parallel)
        case "none": return ("none", parallel)
        case "tool":
            guard let name = choice["name"]?.stringValue else {
                throw RequestValidationError(param: "tool_choice.name", message: "'tool_choice.name' must name a tool.")
            }
            return (["type": "function", "function": ["name": .string(name)]], parallel)
        default:
            throw RequestValidationError(param: "tool_choice.type", message: "'tool_choice.type' must be auto, any, tool or none.")
        }
    }

    // MARK: - Out

    public static func stopReason(_ finishReason: String?) -> String {
        switch finishReason {
        case "length": return "max_tokens"
        case "tool_calls", "function_call": return "tool_use"
        case "content_filter": return "refusal"
        default: return "end_turn"
        }
    }

    /// Anthropic counts cache reads apart from input tokens; the pipeline's prompt tokens include them.
    public static func usage(_ usage: Usage) -> JSONValue {
        let cached = min(usage.cachedPromptTokens, usage.promptTokens)
        return [
            "input_tokens": .int(Int64(usage.promptTokens - cached)), "output_tokens": .int(Int64(usage.completionTokens)),
            "cache_read_input_tokens": .int(Int64(cached)), "cache_creation_input_tokens": 0,
        ]
    }

    /// An Anthropic message id from an OpenAI one (an Anthropic upstream's own id comes back as it was).
    public static func messageID(_ openAIID: String?) -> String {
        guard var id = openAIID, !id.isEmpty else { return "msg_frontier" }
        if id.hasPrefix("chatcmpl-") { id.removeFirst(9) }
        return id.hasPrefix("msg_") ? id : "msg_" + id
    }

    /// A tool call's arguments as the JSON object Anthropic's `input` must be (an object, whatever the model wrote).
    public static func input(_ arguments: String) -> JSONValue {
        guard let parsed = try? JSONParser.parse(arguments), parsed.objectValue != nil else { return [:] }
        return parsed
    }

    /// An OpenAI chat completion as an Anthropic message.
    public static func message(_ completion: JSONValue, usage: Usage, model fallback: String) -> JSONValue {
        let choice = completion["choices"]?.arrayValue?.first
        let message = choice?["message"]
        var content: [JSONValue] = []
        if let thinking = message?["reasoning_content"]?.stringValue, !thinking.isEmpty {
            content.append(["type": "thinking", "thinking": .string(thinking), "signature": ""])
        }
        if let text = message?["content"]?.stringValue, !text.isEmpty { content.append(["type": "text", "text": .string(text)]) }
        for (n, call) in (message?["tool_calls"]?.arrayValue ?? []).enumerated() {
            content.append([
                "type": "tool_use", "id": call["id"]?.stringValue.map(JSONValue.string) ?? .string("toolu_frontier_\(n)"),
                "name": call["function"]?["name"] ?? "", "input": input(call["function"]?["arguments"]?.stringValue ?? "{}"),
            ])
        }
        return [
            "id": .string(messageID(completion["id"]?.stringValue)), "type": "message", "role": "assistant",
            "model": completion["model"]?.stringValue.map(JSONValue.string) ?? .string(fallback),
            "content": .array(content), "stop_reason": .string(stopReason(choice?["finish_reason"]?.stringValue)), "stop_sequence": .null,
            "usage": self.usage(usage),
        ]
    }
}
