import Foundation
import FrontierCore
import FrontierLedger
import FrontierRouting
import Hummingbird
import HummingbirdTesting
import Testing
@testable import FrontierGateway

/// Canaries in-process: the first good run is the baseline; a model that answers the suite worse after its
/// identity changed is degraded within one run and `auto` moves; a run stops short of its cost cap.
@Suite struct CanaryTests {
    /// Ten cases a good answer passes: the scripted model's usual reply contains "Hello".
    static func suite() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("canary-\(UUID()).jsonl").path
        let lines = (0..<10).map { #"{"id":"c\#($0)","prompt":"Say hello, case \#($0).","grader":"contains","expected":"Hello"}"# }
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func models(suite: String, price: String = "{input_per_mtok: 1, output_per_mtok: 2}", cap: Double = 0.5, concurrency: Int = 2) -> String {
        "  - {id: tuned, provider: openai-compatible, base_url: \"http://scripted/identity/v1\", deployment: local, price: \(price), quality: 0.8, "
            + "canary: {suite: \(suite), every: 24h, max_cost_usd_per_run: \(cap), concurrency: \(concurrency)}, regression: {max_quality_drop: 0.05}}\n"
            + "  - {id: general, provider: openai-compatible, base_url: \"http://scripted/ok/v1\", deployment: local, price: {input_per_mtok: 5, output_per_mtok: 10}, quality: 0.7}\n"
    }

    func canaryRuns(_ ledger: LedgerSetup, _ count: Int) async throws -> [CanaryRecord] {
        let deadline = ContinuousClock.now + .seconds(20)
        while true {
            try await ledger.writer.settle()
            let runs = try await ledger.store.records(requestID: CanaryRecord.requestID(model: "tuned")).compactMap { stored -> CanaryRecord? in
                if case .canary(let run) = try LedgerEntry(json: try JSONParser.parse(stored.body)) { run } else { nil }
            }
            if runs.count >= count || ContinuousClock.now > deadline { return runs }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    func served(_ client: any TestClientProtocol, _ n: Int) async throws -> [String] {
        var models: [String] = []
        for _ in 0..<n {
            let response = try await client.chat(chatBody(model: "auto"))
            models.append(response.headers[.init("x-frontier-model")!] ?? "none")
        }
        return models
    }

    @Test func aNewIdentityThatAnswersWorseIsDegradedWithinOneRunAndAutoMoves() async throws {
        let suite = try Self.suite()
        try await withLedgerGatewayServer(models: Self.models(suite: suite)) { client, provider, ledger, server in
            let scheduler = try #require(server.canaryScheduler(tick: .milliseconds(20)))
            let running = Task { try await scheduler.run() }
            defer { running.cancel() }
            let baseline = try #require(try await canaryRuns(ledger, 1).first)
            #expect(baseline.action == "baseline" && baseline.good && baseline.meanScore == 1 && baseline.trigger == "start")
            #expect(baseline.status == "complete" && baseline.identities == ["test-upstream-model (fp_test_a)"])
            let before = try await served(client, 20)  // the identity's warm-up, too
            #expect(before.allSatisfy { $0 == "tuned" })
            // Redeployed behind the same name: a new build that answers the suite worse.
            provider.identity.withLock { $0 = ReportedIdentity(model: "test-upstream-model", fingerprint: "fp_test_b") }
            provider.identityReply.withLock { $0 = "I am not sure." }
            _ = try await served(client, 3)  // the new fingerprint persists: a change, and the canary runs
            let runs = try await canaryRuns(ledger, 2)
            let after = try #require(runs.count >= 2 ? runs[1] : nil, "no second canary run")
            #expect(after.trigger == "identity_change")
            #expect(after.action == "degraded" && !after.good && after.meanScore == 0)
            #expect(after.comparison["score_drop"]?.doubleValue == 1)
            #expect(after.comparison["answers_changed"]?.doubleValue == 1)
            #expect(after.identities == ["test-upstream-model (fp_test_b)"])
            let moved = try await served(client, 20)
            print("auto share of tuned: before \(before.filter { $0 == "tuned" }.count)/20, after \(moved.filter { $0 == "tuned" }.count)/20")
            #expect(moved.allSatisfy { $0 == "general" }, "\(moved)")
            try await ledger.writer.settle()
            let events = try await DriftReport.read(from: ledger.store).events.map(\.name)
            #expect(events.contains(LedgerEvent.identityChanged))
            let stored = try await ledger.store.records(fromMs: nil, toMs: nil)
            let verified = ChainVerifier.verify(stored, checkpoints: try await ledger.store.checkpoints(), key: ledger.key, head: try await ledger.store.head())
            #expect(verified.ok, "\(verified.problems)")
        }
    }

    @Test func aRunStopsShortOfItsCostCapWhenAnswersCostMuchMore() async throws {
        let suite = try Self.suite()
        // Each answer reports 250 output tokens at $1,000 per million: $0.25, and each call may cost $0.256.
        let models = Self.models(suite: suite, price: "{input_per_mtok: 0, output_per_mtok: 1000}", cap: 1.0)
        try await withLedgerGatewayServer(models: models) { _, provider, _, server in
            provider.identityUsage.withLock { $0 = Usage(promptTokens: 12, completionTokens: 250) }
            let scheduler = try #require(server.canaryScheduler())
            let canary = try #require(scheduler.canaries.first)
            let run = await scheduler.runOnce(canary, trigger: "schedule", baseline: nil)
            #expect(run.status == "capped")
            #expect(run.costUSD <= 1.0, "spent \(run.costUSD)")
            #expect(provider.count("tuned") == 3, "\(provider.count("tuned")) calls")
            #expect(abs(run.costUSD - 0.75) < 1e-9)
            // Capped before half the suite: it decides nothing and is no baseline.
            #expect(run.action == "inconclusive" && !run.good)
        }
    }

    @Test func aChangeOfAnswersThatKeepsTheScoreIsReportedNotActedOn() async throws {
        let suite = try Self.suite()
        try await withLedgerGatewayServer(models: Self.models(suite: suite)) { _, provider, _, server in
            let scheduler = try #require(server.canaryScheduler())
            let canary = try #require(scheduler.canaries.first)
            let first = await scheduler.runOnce(canary, trigger: "start", baseline: nil)
            #expect(first.action == "baseline")
            provider.identityReply.withLock { $0 = "Hello! A different model says hi." }
            let baseline = CanaryScheduler.Baseline(timeMs: first.timeMs, mean: first.meanScore ?? 0, answers: CanaryScheduler.answers(first))
            let second = await scheduler.runOnce(canary, trigger: "schedule", baseline: baseline)
            #expect(second.meanScore == 1)
            #expect(second.action == "watch", "\(second.comparison)")
            #expect(server.quality.mark(of: "tuned") == nil)
        }
    }
}
