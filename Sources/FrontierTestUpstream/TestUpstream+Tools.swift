import Foundation
import Hummingbird

/// The `tool` mode: an answer that calls `get_weather` with `{"city": "Paris", "unit": "celsius"}`
/// (after a reasoning part and a line of text), its arguments streamed in pieces that are valid
/// JSON only once joined; the same in OpenAI's and Anthropic's shapes. And Anthropic's count_tokens.
extension TestUpstream {
    static let toolArguments = #"{"city": "Paris", "unit": "celsius"}"#
    static let toolArgumentPieces = [#"{"city": "#, #""Paris", "unit""#, #": "celsius"}"#]

    static let openAIToolBody = ByteBuffer(string: """
        {"id":"chatcmpl-tool","object":"chat.completion","created":1700000000,"model":"test-upstream-model",\
        "choices":[{"index":0,"message":{"role":"assistant","content":"Let me look.","reasoning_content":"The user wants the weather.",\
        "tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"\(escaped(toolArguments))"}}]},\
        "finish_reason":"tool_calls","logprobs":null}],"usage":{"prompt_tokens":30,"completion_tokens":12,"total_tokens":42}}
        """)

    static var openAIToolStream: ByteBuffer {
        let call = #"{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":""}}]}"#
        var parts = [
            chunk(#"{"role":"assistant","content":""}"#),
            chunk(#"{"reasoning_content":"The user wants the weather."}"#),
            chunk(#"{"content":"Let me look."}"#),
            chunk(call),
        ]
        for piece in toolArgumentPieces {
            parts.append(chunk(#"{"tool_calls":[{"index":0,"function":{"arguments":"\#(escaped(piece))"}}]}"#))
        }
        parts.append(chunk("{}", finish: "tool_calls"))
        let usage = usageChunk.replacingOccurrences(of: #""prompt_tokens":12,"completion_tokens":7,"total_tokens":19"#, with: #""prompt_tokens":30,"completion_tokens":12,"total_tokens":42"#)
        return ByteBuffer(string: parts.joined() + usage + "data: [DONE]\n\n")
    }

    static let anthropicToolBody = ByteBuffer(string: """
        {"id":"msg_tool","type":"message","role":"assistant","model":"claude-test",\
        "content":[{"type":"thinking","thinking":"The user wants the weather.","signature":"sig"},{"type":"text","text":"Let me look."},\
        {"type":"tool_use","id":"toolu_1","name":"get_weather","input":\(toolArguments)}],\
        "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":30,"output_tokens":12}}
        """)

    static var anthropicToolStream: ByteBuffer {
        func event(_ type: String, _ data: String) -> String { "event: \(type)\ndata: \(data)\n\n" }
        var events = [
            event("message_start", #"{"type":"message_start","message":{"id":"msg_tool","type":"message","role":"assistant","model":"claude-test","content":[],"stop_reason":null,"usage":{"input_tokens":30,"output_tokens":1}}}"#),
            event("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}"#),
            event("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"The user wants the weather."}}"#),
            event("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"sig"}}"#),
            event("content_block_stop", #"{"type":"content_block_stop","index":0}"#),
            event("content_block_start", #"{"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}"#),
            event("content_block_delta", #"{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Let me look."}}"#),
            event("content_block_stop", #"{"type":"content_block_stop","index":1}"#),
            event("content_block_start", #"{"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{}}}"#),
        ]
        for piece in toolArgumentPieces {
            events.append(event("content_block_delta", #"{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"\#(escaped(piece))"}}"#))
        }
        events += [
            event("content_block_stop", #"{"type":"content_block_stop","index":2}"#),
            event("message_delta", #"{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":12}}"#),
            event("message_stop", #"{"type":"message_stop"}"#),
        ]
        return ByteBuffer(string: events.joined())
    }

    /// `POST /{mode}/v1/messages/count_tokens`: 42, and what arrived kept under `count_tokens`.
    static func countTokens(request: Request, stats: UpstreamStats) async throws -> Response {
        let body = try await request.body.collect(upTo: 16 << 20)
        stats.record(received(request, body), mode: "count_tokens")
        return json(ByteBuffer(string: #"{"input_tokens":42}"#))
    }
}

extension TestUpstream {
    /// `POST /{mode}/v1/embeddings`: a 3-dimensional vector per input, usage of 2 tokens an input
    /// (`fail-500` fails), and what arrived kept under `embeddings`.
    static func embeddings(request: Request, mode: String, stats: UpstreamStats) async throws -> Response {
        let body = try await request.body.collect(upTo: 16 << 20)
        stats.record(received(request, body), mode: "embeddings")
        if mode == "fail-500" { return json(ByteBuffer(string: #"{"error":{"message":"down","type":"server_error"}}"#), status: .internalServerError) }
        let count = (try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]).flatMap { object -> Int? in
            if object["input"] is String { return 1 }
            return (object["input"] as? [Any])?.count
        } ?? 1
        let data = (0..<count).map { #"{"object":"embedding","index":\#($0),"embedding":[0.1,0.2,0.3]}"# }.joined(separator: ",")
        return json(ByteBuffer(string: #"{"object":"list","model":"test-embedder","data":[\#(data)],"usage":{"prompt_tokens":\#(2 * count),"total_tokens":\#(2 * count)}}"#))
    }
}
