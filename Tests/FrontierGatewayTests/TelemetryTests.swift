import FrontierCore
@testable import FrontierProviders
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import InMemoryTracing
import NIOCore
import Testing
import Tracing
@testable import FrontierGateway

/// The request's spans, in-process against swift-distributed-tracing's in-memory tracer (the OTLP export
/// itself is tested with a real receiver in tests/python/test_telemetry.py).
@Suite struct TelemetryTests {
    static let models = """
          - {id: broken, provider: openai-compatible, base_url: "http://scripted/fail-500/v1", deployment: on-prem, quality: 0.99}
          - {id: good, provider: openai-compatible, base_url: "http://scripted/ok/v1", upstream_model: good-7b, deployment: on-prem, quality: 0.8}
        routes:
          - name: pair
            models: [broken, good]
        router: {default_objective: best}
        """

    func body(_ model: String, _ text: String) -> ByteBuffer {
        ByteBuffer(string: #"{"model":"\#(model)","max_tokens":32,"messages":[{"role":"user","content":"\#(text)"}]}"#)
    }

    @Test func aFallbackIsAServerSpanWithTheDecisionAndBothCalls() async throws {
        let tracer = InMemoryTracer()
        try await withScriptedGateway(models: Self.models, telemetry: Telemetry(tracer: tracer)) { client, _ in
            let response = try await client.chat(body("pair", "What is a cardiac troponin?"))
            #expect(response.status == .ok)
        }
        let spans = tracer.finishedSpans
        let root = try #require(spans.first { $0.kind == .server })
        #expect(root.operationName == "chat pair")
        #expect(root.attributes.get("gen_ai.request.model")?.toSpanAttribute() == "pair")
        #expect(root.attributes.get("gen_ai.request.max_tokens")?.toSpanAttribute() == 32)
        #expect(root.attributes.get("gen_ai.usage.input_tokens")?.toSpanAttribute() == 12)
        #expect(root.attributes.get("gen_ai.usage.output_tokens")?.toSpanAttribute() == 7)
        #expect(root.attributes.get("frontier.model")?.toSpanAttribute() == "good")
        #expect(root.attributes.get("http.response.status_code")?.toSpanAttribute() == 200)
        let children = spans.filter { $0.parentSpanID == root.spanID }
        #expect(children.map(\.operationName).sorted() == ["chat broken", "chat good-7b", "frontier.route"])
        let failed = try #require(children.first { $0.operationName == "chat broken" })
        #expect(failed.kind == .client && failed.status?.code == .error)
        #expect(failed.attributes.get("error.type")?.toSpanAttribute() == "500")
        let served = try #require(children.first { $0.operationName == "chat good-7b" })
        #expect(served.attributes.get("frontier.fallback_from")?.toSpanAttribute() == "broken")
        #expect(served.attributes.get("gen_ai.response.finish_reasons")?.toSpanAttribute() == .stringArray(["stop"]))
        #expect(!spans.contains { "\($0.attributes)".contains("troponin") }, "no prompt text without capture_content")
    }

    @Test func contentIsCapturedOnlyWhenAskedAndNeverWithSensitiveData() async throws {
        let tracer = InMemoryTracer()
        try await withScriptedGateway(models: Self.models, telemetry: Telemetry(tracer: tracer, captureContent: true)) { client, _ in
            let plain = try await client.chat(body("good", "What is a cardiac troponin?"))
            #expect(plain.status == .ok)
            // A named model: no routing policy scanned it, so the capture scans it itself.
            let sensitive = try await client.chat(body("good", "Write to jane.doe@example.com about troponin"))
            #expect(sensitive.status == .ok)
        }
        let roots = tracer.finishedSpans.filter { $0.kind == .server }
        #expect(roots.count == 2)
        let captured = roots.compactMap { $0.attributes.get("gen_ai.input.messages")?.toSpanAttribute() }.map { "\($0)" }
        #expect(captured.count == 1)
        #expect(captured.first?.contains("cardiac troponin") == true)
        #expect(!tracer.finishedSpans.contains { "\($0.attributes)".contains("jane.doe") })
        let answers = tracer.finishedSpans.compactMap { $0.attributes.get("gen_ai.output.messages")?.toSpanAttribute() }
        #expect(answers.count == 1, "the answer only where the request was captured")
    }

    @Test func aRequestTheClientGotWrongIsStillOneServerSpan() async throws {
        let tracer = InMemoryTracer()
        try await withScriptedGateway(models: Self.models, telemetry: Telemetry(tracer: tracer)) { client, _ in
            let response = try await client.chat(ByteBuffer(string: #"{"model":"good","messages":"not a list"}"#))
            #expect(response.status == .badRequest)
        }
        let spans = tracer.finishedSpans
        #expect(spans.count == 1)
        #expect(spans.first?.attributes.get("http.response.status_code")?.toSpanAttribute() == 400)
        #expect(spans.first?.status?.code != .error, "a client's 4xx is not the server's error")
    }

    @Test func theTraceContextGoesOnlyToModelsThatAllowIt() async throws {
        let inside = ModelEntry(id: "a", provider: .openAICompatible, baseURL: "http://127.0.0.1:1/v1", deployment: .onPrem, propagatesTraceContext: true)
        let cloud = ModelEntry(id: "b", provider: .openAICompatible, baseURL: "https://api.openai.com/v1", deployment: .cloud)
        let headers = [("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")]
        UpstreamTraceContext.$headers.withValue(headers) {
            #expect(OpenAICompatibleProvider.headers(inside).contains { $0.0 == "traceparent" })
            #expect(!OpenAICompatibleProvider.headers(cloud).contains { $0.0 == "traceparent" })
        }
        #expect(!OpenAICompatibleProvider.headers(inside).contains { $0.0 == "traceparent" }, "outside a traced call, nothing")
    }
}

/// Only a W3C-shaped traceparent reaches the tracer; nothing else of the request's headers ever does.
@Suite struct IncomingTraceContextTests {
    @Test func onlyTheW3CFormIsRead() {
        let valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        #expect(IncomingTraceContext([.traceparent: valid, .authorization: "Bearer sk-secret"])?.traceparent == valid)
        #expect("\(IncomingTraceContext([.traceparent: valid, .authorization: "Bearer sk-secret"]).map { "\($0)" } ?? "")".contains("sk-secret") == false)
        for bad in [
            "", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            String(repeating: "0", count: 10_000),
        ] {
            #expect(IncomingTraceContext([.traceparent: bad]) == nil, "\(bad.prefix(60))")
        }
        #expect(IncomingTraceContext([.traceparent: valid, .tracestate: String(repeating: "a", count: 600)])?.tracestate == nil)
        #expect(IncomingTraceContext([.traceparent: valid, .tracestate: "congo=t61rcWkgMzE"])?.tracestate == "congo=t61rcWkgMzE")
    }
}

@Suite struct FinishReasonsTests {
    @Test func theReasonsAreReadFromTheBytesAndBounded() {
        let body = Array(#"{"choices":[{"finish_reason":"stop"},{"finish_reason": "length"},{"finish_reason":null},{"finish_reason":"tool_calls"}]}"#.utf8)
        #expect(FinishReasons.scan(body) == ["stop", "length", "tool_calls"])
        #expect(FinishReasons.scan(Array(#"{"finish_reason":"unterminated"#.utf8)) == [])
        #expect(FinishReasons.scan(Array((#"{"finish_reason":""# + String(repeating: "x", count: 100) + #""}"#).utf8)) == [])
        let many = "[" + Array(repeating: #"{"finish_reason":"stop"}"#, count: 100).joined(separator: ",") + "]"
        #expect(FinishReasons.scan(Array(many.utf8)).count == 16)
        #expect(FinishReasons.scan([]) == [])
    }
}
