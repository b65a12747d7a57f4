import FrontierCore
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct StreamingTests {
    @Test func relaysChunksAndEndsWithDone() async throws {
        try await withGateway(models: model("m", mode: "ok")) { client, _, _ in
            let response = try await client.chat(chatBody(model: "m", stream: true))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/event-stream")
            let data = events(response)
            #expect(data.last == "[DONE]")
            let text = try data.dropLast().map { try JSONParser.parse($0) }
                .compactMap { $0["choices"]?[0]?["delta"]?["content"]?.stringValue }.joined()
            #expect(text == "Hello from the test upstream.")
            // The client did not ask for usage: the usage-only chunk the gateway requested is not forwarded.
            #expect(try data.dropLast().allSatisfy { try JSONParser.parse($0)["usage"] == nil })
            #expect(response.trailerHeaders?[.init("x-frontier-cost-usd")!] == "0.000026")
        }
    }

    @Test func forwardsUsageWhenTheClientAsks() async throws {
        try await withGateway(models: model("m", mode: "ok")) { client, _, _ in
            let response = try await client.chat(chatBody(model: "m", stream: true, includeUsage: true))
            let data = events(response)
            let usage = try JSONParser.parse(data[data.count - 2])["usage"]
            #expect(usage?["prompt_tokens"] == 12)
            #expect(usage?["completion_tokens"] == 7)
        }
    }

    @Test func estimatesUsageWhenTheUpstreamReportsNone() async throws {
        try await withGateway(models: model("m", mode: "no-usage")) { client, _, _ in
            let response = try await client.chat(chatBody(model: "m", stream: true, includeUsage: true))
            let data = events(response)
            let usageChunk = try JSONParser.parse(data[data.count - 2])
            #expect(usageChunk["x_frontier_usage_estimated"] == true)
            #expect(usageChunk["usage"]?["completion_tokens"] == 8)  // 29 characters / 4, rounded up
            #expect(response.trailerHeaders?[.init("x-frontier-usage-estimated")!] == "true")

            let plain = try await client.chat(chatBody(model: "m"))
            #expect(plain.headers[.init("x-frontier-usage-estimated")!] == "true")
        }
    }

    @Test func aStreamCutMidwayEndsWithAnErrorEventTheClientCanSee() async throws {
        try await withGateway(models: model("cut", mode: "cut-stream") + model("good", mode: "ok")) { client, _, _ in
            let response = try await client.chat(chatBody(model: "auto", stream: true))
            #expect(response.status == .ok)
            #expect(response.headers[.init("x-frontier-model")!] == "cut")
            let data = events(response)
            #expect(data.last != "[DONE]")
            let error = try JSONParser.parse(try #require(data.last))["error"]
            #expect(error?["code"] == "stream_interrupted")
        }
    }

    @Test func anthropicStreamsAreTranslated() async throws {
        try await withGateway(models: model("claude", mode: "ok", provider: "anthropic")) { client, _, _ in
            let response = try await client.chat(chatBody(model: "claude", stream: true, includeUsage: true))
            let data = events(response)
            #expect(data.last == "[DONE]")
            let chunks = try data.dropLast().map { try JSONParser.parse($0) }
            #expect(chunks.first?["choices"]?[0]?["delta"]?["role"] == "assistant")
            #expect(chunks.compactMap { $0["choices"]?[0]?["delta"]?["content"]?.stringValue }.joined() == "Hello from the test upstream.")
            #expect(chunks.contains { $0["choices"]?[0]?["finish_reason"] == "stop" })
            #expect(chunks.last?["usage"]?["prompt_tokens"] == 15)
            #expect(chunks.last?["usage"]?["completion_tokens"] == 9)
        }
    }

    @Test func anthropicCompletionsAreTranslated() async throws {
        try await withGateway(models: model("claude", mode: "ok", provider: "anthropic")) { client, _, _ in
            let response = try await client.chat(chatBody(model: "claude"))
            #expect(response.status == .ok)
            let body = try json(response)
            #expect(body["object"] == "chat.completion")
            #expect(body["choices"]?[0]?["message"]?["content"] == "Hello from the test upstream.")
            #expect(body["choices"]?[0]?["finish_reason"] == "stop")
            #expect(body["usage"]?["prompt_tokens"] == 20)  // 15 input + 5 cache reads
            #expect(body["usage"]?["prompt_tokens_details"]?["cached_tokens"] == 5)
            // 15 * 1 + 5 * 1 + 9 * 2 = 38 per million
            #expect(response.headers[.init("x-frontier-cost-usd")!] == "0.000038")
        }
    }
}
