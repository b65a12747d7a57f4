import FrontierCore
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Cascade routes in the gateway, against the test upstream's fixed replies.
@Suite struct CascadeTests {
    static let valid = #"{\"answer\": \"yes\"}"#
    static let models = """
          - {id: chatty, provider: openai-compatible, base_url: "http://127.0.0.1:PORT/reply/v1", deployment: local, headers: {x-test-reply: "Sure! The answer is yes."}, latency: {first_token_ms: 100}}
          - {id: jsonny, provider: openai-compatible, base_url: "http://127.0.0.1:PORT/reply/v1", deployment: local, headers: {x-test-reply: "\(valid)"}, price: {input_per_mtok: 1, output_per_mtok: 2}, latency: {first_token_ms: 100}}
          - {id: hanging, provider: openai-compatible, base_url: "http://127.0.0.1:PORT/hang/v1", deployment: local}
          - {id: broken, provider: openai-compatible, base_url: "http://127.0.0.1:PORT/fail-500/v1", deployment: local}
          - {id: judge, provider: openai-compatible, base_url: "http://127.0.0.1:PORT/reply/v1", deployment: local, headers: {x-test-reply: "Score: 3"}}
        gateway: {retries: {max_retries: 0}}
        routes:
          - name: support
            cascade:
              - {model: chatty, accept: {json_schema: true}}
              - {model: jsonny}
          - name: lenient
            cascade:
              - {model: chatty, accept: {must_contain: "yes", min_chars: 5}}
              - {model: jsonny}
          - name: verified
            cascade:
              - {model: chatty, accept: {verifier: {model: judge, min_score: 0.5}}}
              - {model: jsonny}
          - name: deadline
            deadline_ms: 1000
            cascade:
              - {model: hanging}
              - {model: jsonny}
          - name: hopeless
            deadline_ms: 800
            cascade:
              - {model: hanging}
              - {model: hanging}
          - name: failing
            cascade:
              - {model: broken}
              - {model: jsonny}

        """

    func body(_ model: String, stream: Bool = false) -> ByteBuffer {
        ByteBuffer(string: #"{"model":"\#(model)","stream":\#(stream),"messages":[{"role":"user","content":"Is it?"}],"#
            + #""response_format":{"type":"json_schema","json_schema":{"name":"a","schema":{"type":"object","required":["answer"]}}}}"#)
    }

    func header(_ response: TestResponse, _ name: String) -> String? {
        response.headers[.init(name)!]
    }

    @Test func aFailedCheckEscalatesAndEveryAttemptIsRecorded() async throws {
        try await withScriptedGateway(models: Self.models) { client, _ in
            let response = try await client.chat(body("support"))
            #expect(response.status == .ok)
            #expect(header(response, "x-frontier-model") == "jsonny")
            #expect(header(response, "x-frontier-escalation") == "chatty:rejected(json_schema) > jsonny:accepted")
            #expect(header(response, "x-frontier-attempts") == "2")
            #expect(header(response, "x-frontier-decision")?.contains("rule=cascade; tiers=chatty>jsonny") == true)
            let json = try json(response)
            #expect(json["choices"]?[0]?["message"]?["content"]?.stringValue == #"{"answer": "yes"}"#)
            let attempts = try #require(json["x_frontier_cascade"]?["attempts"]?.arrayValue)
            #expect(attempts.count == 2)
            #expect(attempts[0]["outcome"] == "rejected")
            #expect(attempts[0]["checks"]?.arrayValue?.contains { $0["check"] == "json_schema" && $0["passed"] == false && $0["value"] == "not valid JSON" } == true)
            #expect(attempts[1]["outcome"] == "accepted")
            #expect(attempts[1]["upstream_model"] == "test-upstream-model")
            // 12 prompt and 7 completion tokens at $1 / $2 per million.
            #expect(attempts[1]["cost_usd"]?.doubleValue == 0.000026)
        }
    }

    @Test func aPassingAnswerDoesNotEscalate() async throws {
        try await withScriptedGateway(models: Self.models) { client, _ in
            let response = try await client.chat(body("lenient"))
            #expect(header(response, "x-frontier-model") == "chatty")
            #expect(header(response, "x-frontier-escalation") == "chatty:accepted")
        }
    }

    @Test func theVerifiersLowScoreEscalates() async throws {
        try await withScriptedGateway(models: Self.models) { client, _ in
            let response = try await client.chat(body("verified"))
            #expect(header(response, "x-frontier-escalation") == "chatty:rejected(verifier) > jsonny:accepted")
            let checks = try json(response)["x_frontier_cascade"]?["attempts"]?[0]?["checks"]?.arrayValue ?? []
            #expect(checks.contains { $0["value"]?.stringValue == "judge scored 0.3, min 0.5" })
        }
    }

    @Test func aFailingTierEscalatesToo() async throws {
        try await withScriptedGateway(models: Self.models) { client, _ in
            let response = try await client.chat(body("failing"))
            #expect(response.status == .ok)
            #expect(header(response, "x-frontier-escalation") == "broken:failed > jsonny:accepted")
        }
    }

    @Test func theDeadlineCutsAHangingTierAndLeavesTimeForTheNext() async throws {
        try await withScriptedGateway(models: Self.models) { client, _ in
            let started = ContinuousClock.now
            let response = try await client.chat(body("deadline"))
            let elapsed = ContinuousClock.now - started
            #expect(response.status == .ok)
            #expect(header(response, "x-frontier-escalation") == "hanging:failed > jsonny:accepted")
            // The hanging tier never answers, so an answer at all proves the cut; the shares are CascadeDeadlineTests'.
            // liveness: 20 s is 20x the 1 s deadline (idle: ~1 s), a bound that holds on two busy cores.
            #expect(elapsed < .seconds(20))  // liveness bound, not a speed
        }
    }

    @Test func whenNothingAnswersInTimeTheClientGets504() async throws {
        try await withScriptedGateway(models: Self.models) { client, _ in
            let started = ContinuousClock.now
            let response = try await client.chat(body("hopeless"))
            let elapsed = ContinuousClock.now - started
            #expect(response.status == .gatewayTimeout)
            // liveness: 20 s is 25x the 800 ms deadline (idle: ~0.8 s); the timing itself is CascadeDeadlineTests'.
            #expect(elapsed < .seconds(20))  // liveness bound, not a speed
            #expect(try json(response)["error"]?["code"] == "deadline_exceeded")
        }
    }

    @Test func theAcceptedAnswerIsStreamedAfterItsChecks() async throws {
        try await withScriptedGateway(models: Self.models) { client, _ in
            let response = try await client.chat(body("support", stream: true))
            #expect(response.headers[.contentType] == "text/event-stream")
            #expect(header(response, "x-frontier-escalation") == "chatty:rejected(json_schema) > jsonny:accepted")
            let payloads = events(response)
            #expect(payloads.last == "[DONE]")
            let text = payloads.dropLast().compactMap { try? JSONParser.parse($0)["choices"]?[0]?["delta"]?["content"]?.stringValue }.joined()
            #expect(text == #"{"answer": "yes"}"#)
        }
    }
}

@Suite struct CascadeZoneTests {
    /// The leak that was reproduced: a local tier with a cloud verifier sent an SSN to the cloud model.
    @Test func aVerifierOutsideTheRequestsZoneIsNotCalled() async throws {
        let models = """
              - {id: tier, provider: openai-compatible, base_url: "http://127.0.0.1:PORT/reply/v1", deployment: local, headers: {x-test-reply: "fine"}}
              - {id: last, provider: openai-compatible, base_url: "http://127.0.0.1:PORT/ok/v1", deployment: on-prem}
              - {id: judge, provider: openai-compatible, base_url: "http://127.0.0.1:PORT/capture/v1", deployment: cloud, price: {input_per_mtok: 1, output_per_mtok: 1}}
            privacy: {pii: on-prem}
            gateway: {retries: {max_retries: 0}}
            routes:
              - name: checked
                cascade:
                  - {model: tier, accept: {verifier: {model: judge, min_score: 0.5}}}
                  - {model: last}
            """
        try await withScriptedGateway(models: models) { client, provider in
            let body = #"{"model":"checked","messages":[{"role":"user","content":"my SSN is 123-45-6789, is that right?"}]}"#
            let response = try await client.chat(ByteBuffer(string: body))
            #expect(response.status == .ok)
            #expect(provider.count("judge") == 0, "the cloud verifier saw the prompt")
            let attempts = try json(response)["x_frontier_cascade"]?["attempts"]?.arrayValue ?? []
            let verifier = attempts.first?["checks"]?.arrayValue?.first { $0["check"] == "verifier" }
            #expect(verifier?["value"]?.stringValue?.contains("outside this request's on-prem zone") == true, "\(attempts)")
            #expect(response.headers[.init("x-frontier-model")!] == "last")
        }
    }
}
