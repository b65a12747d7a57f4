import Foundation
public import FrontierCore

/// OpenAI's Responses API ⇄ the pipeline's chat form: a stateless response
/// request in (input items, instructions, function tools, text format), a
/// chat completion back out as a response object with output items.
public enum OpenAIResponsesTranslation {
    /// Fields acted on, or safe to ignore without changing the answer (metadata, truncation, include, ...).
    public static let knownFields: Set<String> = [
        "model", "input", "instructions", "tools", "tool_choice", "max_output_tokens", "temperature", "top_p", "text", "stream",
        "parallel_tool_calls", "user", "metadata", "store", "previous_response_id", "reasoning", "include", "truncation",
        "service_tier", "prompt_cache_key", "safety_identifier", "stream_options", "background", "conversation", "top_logprobs",
    ]

    public static func chatBody(_ json: JSONValue) throws(RequestValidationError) -> JSONObject {
        let body = try FieldTypes.object(json, knownFields: knownFields, api: "Responses API")
        try FieldTypes.check(body, [
            "model": .string, "instructions": .string, "tools": .array, "max_output_tokens": .integer, "temperature": .number, "top_p": .number,
            "text": .object, "stream": .bool, "parallel_tool_calls": .bool, "user": .string, "metadata": .object, "store": .bool,
            "previous_response_id": .string, "reasoning": .object, "include": .array, "truncation": .string, "service_tier": .string,
            "prompt_cache_key": .string, "safety_identifier": .string, "stream_options": .object, "background": .bool, "top_logprobs": .integer,
        ])
        if let text = body["text"]?.objectValue { try FieldTypes.check(text, ["format": .object], prefix: "text.") }
        // Stateless by design: nothing is stored, so nothing can be referred to later.
        if let previous = body["previous_response_id"], !previous.isNull {
            throw RequestValidationError(
                param: "previous_response_id",
                message: "Frontier's /v1/responses is stateless and keeps no responses, so 'previous_response_id' cannot be resolved; send the whole conversation in 'input' (earlier output items included).")
        }
        if body["store"]?.boolValue == true {
            throw RequestValidationError(param: "store", message: "Frontier's /v1/responses does not store responses; send 'store': false or leave it out.")
        }
        if let conversation = body["conversation"], !conversation.isNull {
            throw RequestValidationError(param: "conversation", message: "Frontier's /v1/responses keeps no conversations; send the whole conversation in 'input'.")
        }
        if body["background"]?.boolValue == true {
            throw RequestValidationError(param: "background", message: "Background responses are not supported; leave 'background' out.")
        }
        var chat: JSONObject = ["model": body["model"] ?? .null]
        var messages: [JSONValue] = []
        if let instructions = body["instructions"], !instructions.isNull {
            guard let text = instructions.stringValue else { throw RequestValidationError(param: "instructions", message: "'instructions' must be a string.") }
            messages.append(["role": "system", "content": .string(text)])
        }
        switch body["input"] {
        case .string(let text)?:
            messages.append(["role": "user", "content": .string(text)])
        case .array(let items)?:
            messages += try self.messages(items)
        default:
            throw RequestValidationError(param: "input", message: "'input' is required: a string, or an array of input items (messages, function calls and their outputs).")
        }
        chat["messages"] = .array(messages)
        if let max = body["max_output_tokens"], !max.isNull { chat["max_tokens"] = max }
        for field in ["temperature", "top_p", "parallel_tool_calls", "user", "top_logprobs"] {
            if let value = body[field], !value.isNull { chat[field] = value }
        }
        ChatForm.stream(from: body, into: &chat)
        try ChatForm.tools(from: body, into: &chat) { tool, path throws(RequestValidationError) in try self.tool(tool, at: path) }
        if let choice = body["tool_choice"], !choice.isNull { chat["tool_choice"] = try toolChoice(choice) }
        if let format = body["text"]?["format"], !format.isNull, let responseFormat = try responseFormat(format) {
            chat["response_format"] = responseFormat
        }
        return chat
    }

    private static func messages(_ items: [JSONValue]) throws(RequestValidationError) -> [JSONValue] {
        var out: [JSONValue] = []
        for (n, item) in items.enumerated() {
            let path = "input[\(n)]"
            let type = item["type"]?.stringValue ?? (item["role"] != nil ? "message" : nil)
            switch type {
            case "message":
                out.append(try message(item, at: path))
            case "function_call":
                guard let id = item["call_id"]?.stringValue, let name = item["name"]?.stringValue, let arguments = item["arguments"]?.stringValue else {
                    throw RequestValidationError(param: path, message: "'\(path)' (function_call) needs string 'call_id', 'name' and 'arguments'.")
                }
                let call: JSONValue = ["id": .string(id), "type": "function", "function": ["name": .string(name), "arguments": .string(arguments)]]
                // Calls that follow an assistant turn (or each other) belong to that one turn, as chat wants.
                if let last = out.last, last["role"] == "assistant", var turn = last.objectValue {
                    turn["tool_calls"] = .array((turn["tool_calls"]?.arrayValue ?? []) + [call])
                    out[out.count - 1] = .object(turn)
                } else {
                    out.append(["role": "assistant", "content": .null, "tool_calls": [call]])
                }
            case "function_call_output":
                guard let id = item["call_id"]?.stringValue, let output = item["output"] else {
                    throw RequestValidationError(param: path, message: "'\(path)' (function_call_output) needs 'call_id' and 'output'.")
                }
                out.append(["role": "tool", "tool_call_id": .string(id), "content": .string(try text(output, at: "\(path).output"))])
            case "reasoning":
                continue  // a model's own reasoning is not sent back as input to another
            default:
                throw RequestValidationError(
                    param: "\(path).type",
                    message: "'\(path)' is \(type.map { "'\($0)'" } ?? "an item without a type"); Frontier's stateless /v1/responses takes message, function_call, function_call_output and reasoning items.")
            }
        }
        return out
    }

    private static func message(_ item: JSONValue, at path: String) throws(RequestValidationError) -> JSONValue {
        guard let role = item["role"]?.stringValue, ["user", "assistant", "system", "developer"].contains(role) else {
            throw RequestValidationError(param: "\(path).role", message: "'\(path).role' must be user, assistant, system or developer.")
        }
        switch item["content"] {
        case .string(let text)?:
            return ["role": .string(role), "content": .string(text)]
        case .array(let parts)?:
            if role == "assistant" { return ["role": "assistant", "content": .string(try text(.array(parts), at: "\(path).content"))] }
            var out: [JSONValue] = []
            for (k, part) in parts.enumerated() {
                let at = "\(path).content[\(k)]"
                switch part["type"]?.stringValue {
                case "input_text", "output_text":
                    guard let text = part["text"]?.stringValue else { throw RequestValidationError(param: "\(at).text", message: "'\(at).text' must be a string.") }
                    out.append(["type": "text", "text": .string(text)])
                case "input_image":
                    guard let url = part["image_url"]?.stringValue else {
                        throw RequestValidationError(param: "\(at).image_url", message: "'\(at).image_url' must be a URL or a data URL (file ids need stored files, which Frontier does not keep).")
                    }
                    var image: JSONObject = ["url": .string(url)]
                    if let detail = part["detail"], !detail.isNull { image["detail"] = detail }
                    out.append(["type": "image_url", "image_url": .object(image)])
                case "input_file":
                    guard let data = part["file_data"]?.stringValue else {
                        throw RequestValidationError(param: "\(at).file_data", message: "'\(at).file_data' must be a data URL (file ids need stored files, which Frontier does not keep).")
                    }
                    out.append(["type": "file", "file": ["file_data": .string(data), "filename": part["filename"] ?? "file"]])
                default:
                    throw RequestValidationError(param: "\(at).type", message: "'\(at).type' must be input_text, input_image or input_file.")
                }
            }
            return ["role": .string(role), "content": .array(out)]
        default:
            throw RequestValidationError(param: "\(path).content", message: "'\(path).content' must be a string or an array of content parts.")
        }
    }

    /// A string, or the text of text parts joined.
    private static func text(_ value: JSONValue, at path: String) throws(RequestValidationError) -> String {
        if let s = value.stringValue { return s }
        guard let parts = value.arrayValue else { throw RequestValidationError(param: path, message: "'\(path)' must be a string or an array of text parts.") }
        return parts.compactMap { $0["text"]?.stringValue ?? $0["refusal"]?.stringValue }.joined(separator: "\n")
    }

    private static func tool(_ tool: JSONValue, at path: String) throws(RequestValidationError) -> JSONValue {
        guard tool["type"]?.stringValue == "function" else {
            throw RequestValidationError(
                param: "\(path).type", message: "'\(path).type' is \(tool["type"]?.stringValue.map { "'\($0)'" } ?? "missing"); Frontier runs function tools only (hosted tools need OpenAI's servers).")
        }
        guard let name = tool["name"]?.stringValue else { throw RequestValidationError(param: "\(path).name", message: "'\(path).name' must be a string.") }
        try FieldTypes.check(tool.objectValue ?? [:], ["description": .string, "parameters": .object, "strict": .bool], prefix: "\(path).")
        var function: JSONObject = ["name": .string(name), "parameters": tool["parameters"].flatMap { $0.isNull ? nil : $0 } ?? ["type": "object", "properties": [:]]]
        for field in ["description", "strict"] { if let value = tool[field], !value.isNull { function[field] = value } }
        return ["type": "function", "function": .object(function)]
    }

    private static func toolChoice(_ choice: JSONValue) throws(RequestValidationError) -> JSONValue {
        if let mode = choice.stringValue, ["auto", "none", "required"].contains(mode) { return choice }
        guard choice["type"]?.stringValue == "function", let name = choice["name"]?.stringValue else {
            throw RequestValidationError(param: "tool_choice", message: "'tool_choice' must be auto, none, required or {\"type\": \"function\", \"name\": ...}.")
        }
        return ["type": "function", "function": ["name": .string(name)]]
    }

    private static func responseFormat(_ format: JSONValue) throws(RequestValidationError) -> JSONValue? {
        switch format["type"]?.stringValue {
        case "text": return nil
        case "json_object": return ["type": "json_object"]
        case "json_schema":
            guard let name = format["name"]?.stringValue, let schema = format["schema"] else {
                throw RequestValidationError(param: "text.format", message: "'text.format' (json_schema) needs 'name' and 'schema'.")
            }
            var inner: JSONObject = ["name": .string(name), "schema": schema]
            for field in ["strict", "description"] { if let value = format[field], !value.isNull { inner[field] = value } }
            return ["type": "json_schema", "json_schema": .object(inner)]
        default:
            throw RequestValidationError(param: "text.format.type", message: "'text.format.type' must be text, json_object or json_schema.")
        }
    }

    // MARK: - Out

    /// The id suffix a response and its items share (from the upstream's completion id, so a log line finds both).
    public static func suffix(_ openAIID: String?) -> String {
        var id = openAIID ?? ""
        for prefix in ["chatcmpl-", "msg_"] where id.hasPrefix(prefix) { id.removeFirst(prefix.count) }
        let kept = id.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-" }
        return kept.isEmpty ? "frontier" : String(String.UnicodeScalarView(kept.prefix(64)))
    }

    public static func usage(_ usage: Usage) -> JSONValue {
        [
            "input_tokens": .int(Int64(usage.promptTokens)), "input_tokens_details": ["cached_tokens": .int(Int64(usage.cachedPromptTokens)), "cache_write_tokens": 0],
            "output_tokens": .int(Int64(usage.completionTokens)), "output_tokens_details": ["reasoning_tokens": 0],
            "total_tokens": .int(Int64(usage.totalTokens)),
        ]
    }

    public static func messageItem(id: String, text: String, done: Bool) -> JSONValue {
        [
            "type": "message", "id": .string(id), "status": done ? "completed" : "in_progress", "role": "assistant",
            "content": done ? [textPart(text)] : [],
        ]
    }

    public static func textPart(_ text: String) -> JSONValue {
        ["type": "output_text", "text": .string(text), "annotations": [], "logprobs": []]
    }

    public static func reasoningItem(id: String, text: String) -> JSONValue {
        ["type": "reasoning", "id": .string(id), "summary": [], "content": [["type": "reasoning_text", "text": .string(text)]]]
    }

    public static func functionCallItem(id: String, callID: String, name: String, arguments: String, done: Bool) -> JSONValue {
        [
            "type": "function_call", "id": .string(id), "call_id": .string(callID), "name": .string(name), "arguments": .string(arguments),
            "status": done ? "completed" : "in_progress",
        ]
    }

    /// The response object around `output`; the request's own settings echoed as OpenAI does.
    public static func response(
        id: String, createdAt: Int64, model: String, status: String, output: [JSONValue], usage: Usage?, finishReason: String?, request: JSONObject
    ) -> JSONValue {
        var response: JSONObject = [
            "id": .string(id), "object": "response", "created_at": .int(createdAt), "status": .string(status), "background": false,
            "error": .null, "incomplete_details": .null, "model": .string(model), "output": .array(output), "previous_response_id": .null,
            "reasoning": ["effort": .null, "summary": .null], "store": false,
        ]
        if status == "incomplete" { response["incomplete_details"] = ["reason": finishReason == "content_filter" ? "content_filter" : "max_output_tokens"] }
        // The request's own settings, echoed with OpenAI's defaults; `usage` and `user` only when there are any
        // (the schema has them as an object and a string, not null).
        let echoed: [(String, JSONValue)] = [
            ("instructions", .null), ("max_output_tokens", .null), ("parallel_tool_calls", true), ("temperature", 1),
            ("text", ["format": ["type": "text"]]), ("tool_choice", "auto"), ("tools", []), ("top_p", 1), ("truncation", "disabled"), ("metadata", [:]),
        ]
        for (field, fallback) in echoed { response[field] = request[field].flatMap { $0.isNull ? nil : $0 } ?? fallback }
        // A function tool echoes `strict` (required, nullable): Frontier does not enforce it, so null when not sent.
        if let tools = response["tools"]?.arrayValue {
            response["tools"] = .array(tools.map { tool in
                guard var object = tool.objectValue, object["strict"] == nil else { return tool }
                object["strict"] = .null
                return .object(object)
            })
        }
        if let usage { response["usage"] = self.usage(usage) }
        if let user = request["user"], !user.isNull { response["user"] = user }
        return .object(response)
    }

    public static func status(finishReason: String?) -> String {
        finishReason == "length" || finishReason == "content_filter" ? "incomplete" : "completed"
    }

    /// A chat completion as a response object.
    public static func response(_ completion: JSONValue, usage: Usage, request: JSONObject, fallbackModel: String) -> JSONValue {
        let suffix = suffix(completion["id"]?.stringValue)
        let choice = completion["choices"]?.arrayValue?.first
        let message = choice?["message"]
        var output: [JSONValue] = []
        // Item ids as a stream names them: kind, the response's suffix, position.
        if let reasoning = message?["reasoning_content"]?.stringValue, !reasoning.isEmpty { output.append(reasoningItem(id: "rs_\(suffix)_\(output.count)", text: reasoning)) }
        if let text = message?["content"]?.stringValue, !text.isEmpty { output.append(messageItem(id: "msg_\(suffix)_\(output.count)", text: text, done: true)) }
        for (n, call) in (message?["tool_calls"]?.arrayValue ?? []).enumerated() {
            output.append(functionCallItem(
                id: "fc_\(suffix)_\(output.count)", callID: call["id"]?.stringValue ?? "call_\(n)", name: call["function"]?["name"]?.stringValue ?? "",
                arguments: call["function"]?["arguments"]?.stringValue ?? "", done: true))
        }
        let finish = choice?["finish_reason"]?.stringValue
        return response(
            id: "resp_" + suffix, createdAt: completion["created"]?.intValue.map(Int64.init) ?? Int64(Date().timeIntervalSince1970),
            model: completion["model"]?.stringValue ?? fallbackModel, status: status(finishReason: finish), output: output, usage: usage,
            finishReason: finish, request: request)
    }
}
