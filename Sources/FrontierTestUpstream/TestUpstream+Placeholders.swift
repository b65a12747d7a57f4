import Foundation
import Hummingbird

/// The `echo-placeholders` mode: answers with every `<LABEL_n>` placeholder the request's messages hold, in a
/// sentence and as a `record_patient` tool call's arguments, streamed in pieces of three bytes so that each
/// placeholder is split across chunks. With `capture` (every mode records), a test sees what a cloud model was
/// sent and that the gateway put the values back in what the client got.
extension TestUpstream {
    static func placeholders(in body: ByteBuffer) -> [String] {
        let text = String(buffer: body).replacingOccurrences(of: "\\u003c", with: "<").replacingOccurrences(of: "\\u003e", with: ">")
        var found: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<") {
            let tail = rest[rest.index(after: open)...]
            let name = tail.prefix { $0.isUppercase || $0.isNumber || $0 == "_" }
            if !name.isEmpty, tail.dropFirst(name.count).first == ">", name.contains("_") {
                let placeholder = "<\(name)>"
                if !found.contains(placeholder) { found.append(placeholder) }
            }
            rest = tail
        }
        return found
    }

    static func echoPlaceholders(_ body: ByteBuffer, stream: Bool) -> Response {
        let found = placeholders(in: body)
        let text = "Noted: " + found.joined(separator: ", ") + "."
        let arguments = JSONSerialization.string(["ids": found])
        guard stream else {
            return json(ByteBuffer(string: """
                {"id":"chatcmpl-echo","object":"chat.completion","created":1700000000,"model":"test-upstream-model",\
                "choices":[{"index":0,"message":{"role":"assistant","content":"\(escaped(text))",\
                "tool_calls":[{"id":"call_1","type":"function","function":{"name":"record_patient","arguments":"\(escaped(arguments))"}}]},\
                "finish_reason":"tool_calls","logprobs":null}],"usage":{"prompt_tokens":30,"completion_tokens":12,"total_tokens":42}}
                """))
        }
        var parts = [chunk(#"{"role":"assistant","content":""}"#)]
        for piece in pieces(text, size: 3) { parts.append(chunk(#"{"content":"\#(escaped(piece))"}"#)) }
        parts.append(chunk(#"{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"record_patient","arguments":""}}]}"#))
        for piece in pieces(arguments, size: 4) {
            parts.append(chunk(#"{"tool_calls":[{"index":0,"function":{"arguments":"\#(escaped(piece))"}}]}"#))
        }
        parts.append(chunk("{}", finish: "tool_calls"))
        return sse(ByteBuffer(string: parts.joined() + usageChunk + "data: [DONE]\n\n"))
    }

    static func pieces(_ text: String, size: Int) -> [String] {
        var out: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            out.append(String(rest.prefix(size)))
            rest = rest.dropFirst(size)
        }
        return out
    }
}

private extension JSONSerialization {
    static func string(_ object: [String: [String]]) -> String {
        (try? data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
