import FrontierCore

/// A finished chat completion replayed as OpenAI's stream of chunks: the
/// role, the whole content, the finish reason, usage if asked, then [DONE].
/// A cascade checks an answer before anyone sees it, so a streaming client
/// gets the accepted answer this way.
enum CompletionAsStream {
    static func events(_ body: [UInt8], includeUsage: Bool) -> [[UInt8]] {
        let json = (try? JSONParser.parse(body)) ?? .object([:])
        let choice = json["choices"]?.arrayValue?.first
        let message = choice?["message"]
        var head: JSONObject = [
            "id": json["id"] ?? "chatcmpl-frontier", "object": "chat.completion.chunk",
            "created": json["created"] ?? 0, "model": json["model"] ?? "",
        ]
        if let fingerprint = json["system_fingerprint"] { head["system_fingerprint"] = fingerprint }
        func chunk(_ delta: JSONValue, finish: JSONValue = .null) -> [UInt8] {
            var object = head
            object["choices"] = [["index": 0, "delta": delta, "finish_reason": finish]]
            return event(.object(object))
        }
        var delta: JSONObject = ["content": message?["content"] ?? ""]
        if let tools = message?["tool_calls"], !tools.isNull {
            delta["tool_calls"] = .array((tools.arrayValue ?? []).enumerated().map { n, call in
                var call = call.objectValue ?? [:]
                call["index"] = .int(Int64(n))
                return .object(call)
            })
        }
        var events = [chunk(["role": "assistant", "content": ""]), chunk(.object(delta)), chunk(.object([:]), finish: choice?["finish_reason"] ?? "stop")]
        if includeUsage, let usage = json["usage"] {
            var object = head
            object["choices"] = .array([])
            object["usage"] = usage
            events.append(event(.object(object)))
        }
        events.append(Array("data: [DONE]\n\n".utf8))
        return events
    }

    private static func event(_ value: JSONValue) -> [UInt8] {
        var bytes = Array("data: ".utf8)
        value.write(to: &bytes)
        bytes += Array("\n\n".utf8)
        return bytes
    }
}
