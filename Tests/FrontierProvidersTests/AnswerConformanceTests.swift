import FrontierCore
@testable import FrontierProviders
import Testing

@Suite struct AnswerConformanceTests {
    func conform(_ text: String) throws -> (spliced: [UInt8], rebuilt: JSONValue) {
        let bytes = Array(text.utf8)
        let json = try JSONParser.parse(bytes)
        let spliced = AnswerConformance.conforming(bytes, json: json)
        guard let object = json.objectValue, let choices = object["choices"]?.arrayValue else { return (spliced, json) }
        return (spliced, try JSONParser.parse(AnswerConformance.reserialized(object, choices)))
    }

    @Test(arguments: [
        #"{"id":"a","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}]}"#,
        #"{ "object" : "chat.completion", "choices" : [ { "message" : { } , "index":0 }, {"index":1,"message":{"content":"x{\"}[","role":"assistant"}} ] }"#,
        #"{"object":"chat.completion","choices":[{"index":0,"logprobs":null,"message":{"content":"a","role":"assistant"}}],"usage":{"prompt_tokens":1}}"#,
        #"{"object":"chat.completion","choices":[{}],"nested":{"choices":[{"message":{}}]}}"#,
        #"{"object":"chat.completion","choices":[{"message":"text, not an object","index":0}]}"#,
    ])
    func theSplicedAnswerEqualsTheRebuiltOne(_ text: String) throws {
        let (spliced, rebuilt) = try conform(text)
        #expect(try JSONParser.parse(spliced) == rebuilt)
    }

    @Test func theUpstreamsBytesStayWhereTheyConform() throws {
        let text = #"{"object":"chat.completion","choices":[{"index":0,"logprobs":null,"message":{"role":"assistant","content":"hi","refusal":null}}]}"#
        #expect(try conform(text).spliced == Array(text.utf8))
    }

    @Test func onlyTheMissingFieldsAreAdded() throws {
        let text = #"{"object":"chat.completion","choices":[{"index":0,"message":{"content":"hi"}}]}"#
        let spliced = String(decoding: try conform(text).spliced, as: UTF8.self)
        #expect(spliced == #"{"object":"chat.completion","choices":[{"logprobs":null,"index":0,"message":{"refusal":null,"content":"hi"}}]}"#)
    }

    /// Where bytes and the parsed value could disagree, the answer is rebuilt instead.
    @Test(arguments: [
        #"{"object":"chat.completion","\u0063hoices":[{"message":{}}]}"#,
        #"{"object":"chat.completion","choices":[],"choices":[{"message":{}}]}"#,
        #"{"object":"chat.completion","choices":[{"message":{},"message":{"content":"b"}}]}"#,
        #"{"choices":[{"message":{"content":"no object field"}}]}"#,
    ])
    func ambiguousAnswersAreRebuilt(_ text: String) throws {
        let bytes = Array(text.utf8)
        let json = try JSONParser.parse(bytes)
        let out = AnswerConformance.conforming(bytes, json: json)
        let parsed = try JSONParser.parse(out)
        #expect(parsed["object"] == "chat.completion")
        for choice in parsed["choices"]?.arrayValue ?? [] {
            #expect(choice["logprobs"] == .null)
            #expect(choice["message"]?["refusal"] == .null)
        }
    }
}
