import FrontierCore
import Hummingbird
import HummingbirdTesting
import Testing

/// Faults of an upstream before the first byte: the request moves to the
/// next candidate, or, with none left, gets a clear error. The gateway stays up.
@Suite struct FallbackTests {
    static let fastTimeouts = "  timeouts: {connect_ms: 300, first_token_ms: 500, total_ms: 2000}"

    @Test(arguments: ["fail-500", "fail-429", "malformed", "hang"])
    func autoFallsBackToTheNextModel(_ mode: String) async throws {
        let models = model("bad", mode: mode) + model("good", mode: "ok")
        try await withScriptedGateway(models: models, gateway: Self.fastTimeouts + "\n  default_models: [bad, good]") { client, provider in
            let response = try await client.chat(chatBody(model: "auto"))
            #expect(response.status == .ok)
            #expect(response.headers[.init("x-frontier-model")!] == "good")
            #expect(response.headers[.init("x-frontier-attempts")!] == "2")
            #expect(provider.count("bad") >= 1 && provider.count("good") == 1)  // bad: retried first where its error allows
            let body = try json(response)
            #expect(body["choices"]?[0]?["message"]?["content"] == "Hello from the test upstream.")
        }
    }

    @Test func connectionRefusedFallsBack() async throws {
        let models = "  - {id: gone, provider: openai-compatible, base_url: \"http://127.0.0.1:1/v1\", deployment: local}\n" + model("good", mode: "ok")
        try await withGateway(models: models, gateway: Self.fastTimeouts + "\n  default_models: [gone, good]") { client, _, _ in
            let response = try await client.chat(chatBody(model: "auto"))
            #expect(response.status == .ok)
            #expect(response.headers[.init("x-frontier-model")!] == "good")
        }
    }

    @Test(arguments: [
        ("fail-500", HTTPResponse.Status.badGateway, "HTTP 500"),
        ("fail-429", .tooManyRequests, "retry after 7 s"),
        ("malformed", .badGateway, "malformed"),
        ("hang", .gatewayTimeout, "first-token timeout after 500 ms"),
        ("fail-400", .badRequest, "rejected the request"),
    ])
    func aSingleFailingModelGivesItsOwnClearError(_ mode: String, _ status: HTTPResponse.Status, _ message: String) async throws {
        try await withScriptedGateway(models: model("only", mode: mode), gateway: Self.fastTimeouts) { client, _ in
            let response = try await client.chat(chatBody(model: "only"))
            #expect(response.status == status)
            let error = try json(response)["error"]
            #expect(error?["message"]?.stringValue?.contains(message) == true, "\(error?["message"]?.stringValue ?? "")")
            // Still serving.
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
        }
    }

    @Test func allModelsFailingGives503WithEachReason() async throws {
        let models = model("a", mode: "fail-500") + model("b", mode: "fail-429")
        try await withScriptedGateway(models: models, gateway: Self.fastTimeouts) { client, _ in
            let response = try await client.chat(chatBody(model: "auto"))
            #expect(response.status == .serviceUnavailable)
            let message = try json(response)["error"]?["message"]?.stringValue ?? ""
            #expect(message.contains("a: HTTP 500"))
            #expect(message.contains("b: HTTP 429"))
        }
    }

    @Test func aStreamWhoseFirstTokenNeverComesFallsBack() async throws {
        let models = model("slow", mode: "slow-first-token") + model("good", mode: "ok")
        try await withGateway(models: models, gateway: Self.fastTimeouts) { client, _, _ in
            let response = try await client.chat(chatBody(model: "auto", stream: true))
            #expect(response.status == .ok)
            #expect(response.headers[.init("x-frontier-model")!] == "good")
            #expect(events(response).last == "[DONE]")
        }
    }
}
