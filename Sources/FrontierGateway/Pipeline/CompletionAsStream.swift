import FrontierCore

/// A finished chat completion as OpenAI's stream of chunks: the role, the
/// whole content (and tool calls), the finish reason, and the usage chunk.
/// A cascade checks an answer before anyone sees it, so a streaming client
/// gets the accepted answer this way, through its front door's encoder.
enum CompletionAsStream {
    static func chunks(_ body: [UInt8]) -> (chunks: [[UInt8]], usageChunk: [UInt8]?) {
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
            return JSONValue.object(object).serialized()
        }
        var delta: JSONObject = ["content": message?["content"] ?? ""]
        if let tools = message?["tool_calls"], !tools.isNull {
            delta["tool_calls"] = .array((tools.arrayValue ?? []).enumerated().map { n, call in
                var call = call.objectValue ?? [:]
                call["index"] = .int(Int64(n))
                return .object(call)
            })
        }
        let chunks = [chunk(["role": "assistant", "content": ""]), chunk(.object(delta)), chunk(.object([:]), finish: choice?["finish_reason"] ?? "stop")]
        var usageChunk: [UInt8]?
        if let usage = json["usage"] {
            var object = head
            object["choices"] = .array([])
            object["usage"] = usage
            usageChunk = JSONValue.object(object).serialized()
        }
        return (chunks, usageChunk)
    }
}
