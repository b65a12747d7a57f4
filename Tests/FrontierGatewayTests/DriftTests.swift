import Foundation
import FrontierCore
import FrontierGateway
import FrontierLedger
import FrontierRouting
import Hummingbird
import HummingbirdTesting
import Testing

/// Live signals that fall mark a model degraded: `auto` moves to the next model by itself, a request that names
/// the model still goes there with a warning, the alarm with its evidence and action is one chained event, and the
/// operator's reset lifts the mark on the running gateway.
@Suite struct DriftTests {
    // The cheaper model is also the better one, until its feedback says otherwise.
    static let models = model("cheap", mode: "ok", extra: ", quality: 0.8, regression: {max_quality_drop: 0.2}")
        + "  - {id: dear, provider: openai-compatible, base_url: \"http://127.0.0.1:PORT/ok/v1\", deployment: local, price: {input_per_mtok: 3, output_per_mtok: 6}, quality: 0.7}\n"
    /// A short baseline so the test reads in a few dozen requests (the defaults need 2,000 scores).
    static let detector = QualityCUSUM.Settings(drop: 0.3, threshold: 3, baselineCount: 20)

    func ask(_ client: any TestClientProtocol, _ model: String = "auto") async throws -> (model: String?, id: String, warning: String?) {
        let response = try await client.chat(chatBody(model: model))
        #expect(response.status == .ok)
        return (response.headers[.init("x-frontier-model")!], try #require(response.headers[.init("x-frontier-request-id")!]),
                response.headers[.init("x-frontier-warning")!])
    }

    func score(_ client: any TestClientProtocol, _ id: String, _ score: Double) async throws {
        let response = try await client.execute(
            uri: "/v1/feedback", method: .post, headers: [.contentType: "application/json"],
            body: ByteBuffer(string: #"{"request_id":"\#(id)","score":\#(score)}"#))
        #expect(response.status == .ok)
    }

    func degraded(_ client: any TestClientProtocol) async throws -> JSONValue? {
        let health = try json(try await client.execute(uri: "/healthz", method: .get))
        return health["models"]?.arrayValue?.first { $0["id"]?.stringValue == "cheap" }?["degraded"]
    }

    @Test func fallingFeedbackDegradesTheModelAndAutoMovesOnUntilTheOperatorResetsIt() async throws {
        try await withLedgerGatewayServer(models: Self.models, driftDetector: Self.detector) { client, _, ledger, server in
            var before: [String?] = []
            for n in 0..<20 {
                let answer = try await ask(client)
                before.append(answer.model)
                try await score(client, answer.id, n % 10 == 9 ? 0 : 1)  // a baseline of 0.9
            }
            #expect(before.allSatisfy { $0 == "cheap" })
            // The model behind the name got worse: every answer is scored 0 from here.
            var scoredZero = 0
            while try await degraded(client) == nil, scoredZero < 50 {
                let answer = try await ask(client, "cheap")
                try await score(client, answer.id, 0)
                scoredZero += 1
            }
            let mark = try #require(try await degraded(client), "no alarm after \(scoredZero) zero scores")
            #expect(mark["signal"]?.stringValue == "feedback")
            #expect((mark["quality_drop"]?.doubleValue ?? 0) > 0.2)
            print("degraded after \(scoredZero) zero scores")
            var after: [String?] = []
            for _ in 0..<20 { after.append(try await ask(client).model) }
            #expect(after.allSatisfy { $0 == "dear" }, "\(after)")
            // Named, it still goes there, with the warning.
            let named = try await ask(client, "cheap")
            #expect(named.model == "cheap")
            #expect(named.warning?.contains("cheap is degraded") == true, "\(named.warning ?? "no warning")")
            // One event: the evidence and the action.
            try await ledger.writer.settle()
            try await Task.sleep(for: .milliseconds(100))  // the event is queued off the request path
            try await ledger.writer.settle()
            let report = try await DriftReport.read(from: ledger.store)
            let alarm = try #require(report.events.first { $0.name == LedgerEvent.driftAlarm })
            #expect(alarm.subject == "cheap" && alarm.detail["action"]?.stringValue == "degraded")
            #expect(alarm.detail["baseline"]?.doubleValue == 0.9 && (alarm.detail["recent"]?.doubleValue ?? 1) < 0.5, "\(alarm.detail)")
            #expect(report.states(models: ["cheap", "dear"]).first?.degraded != nil)
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains(#"frontier_model_degraded{model="cheap"} 1"#))
            #expect(metrics.contains(#"frontier_drift_alarms_total{model="cheap",signal="feedback"} 1"#), "\(metrics)")
            // The operator accepts the model as it is now (what `frontier models reset-baseline` writes).
            let watcher = try #require(server.baselineResetWatcher(after: try await ledger.store.head().seq, interval: .milliseconds(20)))
            try await ledger.writer.submit(.event(LedgerEvent(name: LedgerEvent.driftBaselineReset, timeMs: 1, subject: "cheap")), durability: .strict)
            let running = Task { try await watcher.run() }
            let deadline = ContinuousClock.now + .seconds(20)
            while try await degraded(client) != nil, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            running.cancel()
            #expect(try await degraded(client) == nil)
            #expect(try await ask(client).model == "cheap")
            let stored = try await ledger.store.records(fromMs: nil, toMs: nil)
            let verified = ChainVerifier.verify(stored, checkpoints: try await ledger.store.checkpoints(), key: ledger.key, head: try await ledger.store.head())
            #expect(verified.ok, "\(verified.problems)")
        }
    }

    @Test func answersThatFailAreWatchedButDoNotLowerTheQualityEstimate() async throws {
        let models = model("flaky", mode: "fail-500") + model("steady", mode: "ok")
        try await withLedgerGatewayServer(models: models, extra: "gateway: {default_models: [flaky, steady]}\n", driftDetector: Self.detector) { client, _, ledger, _ in
            for _ in 0..<60 { _ = try await client.chat(chatBody(model: "auto")) }
            try await Task.sleep(for: .milliseconds(100))
            try await ledger.writer.settle()
            let alarms = try await DriftReport.read(from: ledger.store).events.filter { $0.name == LedgerEvent.driftAlarm }
            // flaky never answered: no baseline of successes to fall from, so no alarm; steady never failed.
            #expect(alarms.isEmpty, "\(alarms)")
        }
    }
}
