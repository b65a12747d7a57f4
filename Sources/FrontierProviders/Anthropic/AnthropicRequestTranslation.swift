public import FrontierCore

/// OpenAI chat request -> Anthropic Messages request.
public enum AnthropicRequestTranslation {
    /// Anthropic requires max_tokens; this is what an OpenAI client that sent none gets.
    public static let defaultMaxTokens = 4096

    public static func body(_ request: ChatRequest, model: ModelEntry, stream: Bool) -> JSONValue {
        var body: JSONObject = [
            "model": .string(model.upstreamModel),
            "max_tokens": .int(Int64(request.maxTokens ?? defaultMaxTokens)),
            "messages": .array(messages(request.messages)),
        ]
        let system = request.messages.filter { $0.role == "system" || $0.role == "developer" }.map(\.text)
        if !system.isEmpty { body["system"] = .string(system.joined(separator: "\n\n")) }
        if stream { body["stream"] = true }
        let source = request.body
        if let temperature = source["temperature"]?.doubleValue { body["temperature"] = .double(min(temperature, 1)) }
        if let topP = source["top_p"], !topP.isNull { body["top_p"] = topP }
        switch source["stop"] {
        case .string(let s): body["stop_sequences"] = [.string(s)]
        case .array(let items): body["stop_sequences"] = .array(items)
        default: break
        }
        if let user = source["user"]?.stringValue { body["metadata"] = ["user_id": .string(user)] }
        if let tools = source["tools"]?.arrayValue {
            body["tools"] = .array(tools.compactMap(tool))
        }
        if let choice = source["tool_choice"], let translated = toolChoice(choice) {
            body["tool_choice"] = translated
        }
        return .object(body)
    }

    private static func tool(_ tool: JSONValue) -> JSONValue? {
        guard let function = tool["function"], let name = function["name"]?.stringValue else { return nil }
        var out: JSONObject = [
            "name": .string(name),
            "input_schema": function["parameters"] ?? ["type": "object", "properties": [:]],
        ]
        if let description = function["description"]?.stringValue { out["description"] = .string(description) }
        return .object(out)
    }

    private static func toolChoice(_ choice: JSONValue) -> JSONValue? {
        switch choice {
        case .string("auto"): return ["type": "auto"]
        case .string("required"): return ["type": "any"]
        case .string("none"): return ["type": "none"]
        default:
            guard let name = choice["function"]?["name"]?.stringValue else { return nil }
            return ["type": "tool", "name": .string(name)]
        }
    }

    /// Anthropic wants alternating user/assistant turns; tool results travel
    /// as user turns, and consecutive turns of one role are merged.
    private static func messages(_ messages: [ChatMessage]) -> [JSONValue] {
        var turns: [(role: String, blocks: [JSONValue])] = []
        for message in messages {
            let role: String
            var blocks: [JSONValue] = []
            switch message.role {
            case "system", "developer":
                continue
            case "assistant":
                role = "assistant"
                let text = message.text
                if !text.isEmpty { blocks.append(["type": "text", "text": .string(text)]) }
                for call in message.raw["tool_calls"]?.arrayValue ?? [] {
                    let arguments = call["function"]?["arguments"]?.stringValue ?? "{}"
                    blocks.append([
                        "type": "tool_use",
                        "id": call["id"] ?? .string("call"),
                        "name": call["function"]?["name"] ?? .string("tool"),
                        "input": (try? JSONParser.parse(arguments)) ?? [:],
                    ])
                }
            case "tool", "function":
                role = "user"
                blocks.append([
                    "type": "tool_result",
                    "tool_use_id": message.raw["tool_call_id"] ?? message.raw["name"] ?? .string("call"),
                    "content": .string(message.text),
                ])
            default:
                role = "user"
                blocks = userBlocks(message.content)
            }
            if let last = turns.indices.last, turns[last].role == role {
                turns[last].blocks.append(contentsOf: blocks)
            } else {
                turns.append((role, blocks))
            }
        }
        return turns.map { ["role": .string($0.role), "content": .array($0.blocks)] }
    }

    private static func userBlocks(_ content: JSONValue) -> [JSONValue] {
        switch content {
        case .string(let text): return [["type": "text", "text": .string(text)]]
        case .array(let parts):
            return parts.compactMap { part in
                switch part["type"]?.stringValue {
                case "text": return ["type": "text", "text": part["text"] ?? ""]
                case "image_url":
                    guard let url = part["image_url"]?["url"]?.stringValue ?? part["image_url"]?.stringValue else { return nil }
                    return ["type": "image", "source": imageSource(url)]
                default: return nil
                }
            }
        default: return []
        }
    }

    /// `data:image/png;base64,...` becomes a base64 source; anything else a URL source.
    private static func imageSource(_ url: String) -> JSONValue {
        if url.hasPrefix("data:"), let comma = url.firstIndex(of: ",") {
            let header = url[url.index(url.startIndex, offsetBy: 5)..<comma]
            let mediaType = header.split(separator: ";").first.map(String.init) ?? "image/png"
            return ["type": "base64", "media_type": .string(mediaType), "data": .string(String(url[url.index(after: comma)...]))]
        }
        return ["type": "url", "url": .string(url)]
    }
}
