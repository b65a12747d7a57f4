import Foundation
import FrontierConfig
import FrontierProviders
import Logging
import FrontierCore
import FrontierGateway
import FrontierLedger
import Hummingbird
import HummingbirdTesting
import Testing

/// A model's reported identity, watched on every answer: a pinned model answering as another fails over at that
/// answer, a persistent new fingerprint is a change, and each lands in the chain, the log, `/healthz`,
/// `/v1/models` and `/metrics`.
@Suite struct IdentityTests {
    static let gateway = "gateway: {default_models: [pinned, fallback]}\n"

    static func models(pin: String = "test-upstream-model", action: String? = nil) -> String {
        let pinned = ", expect_identity: \(pin)" + (action.map { ", on_identity_change: \($0)" } ?? "")
        return model("pinned", mode: "identity", extra: pinned) + model("fallback", mode: "ok")
    }

    func events(_ ledger: LedgerSetup, _ name: String) async throws -> [LedgerEvent] {
        try await ledger.writer.settle()
        return try await ledger.store.records(requestID: "event:" + name).compactMap {
            if case .event(let e) = try LedgerEntry(json: try JSONParser.parse($0.body)) { e } else { nil }
        }
    }

    func served(_ response: TestResponse) -> String? { response.headers[.init("x-frontier-model")!] }

    @Test(arguments: [false, true])
    func aPinnedModelAnsweringAsAnotherFailsOverAtTheFirstMismatchingAnswer(stream: Bool) async throws {
        try await withLedgerGateway(models: Self.models(), extra: Self.gateway) { client, provider, ledger in
            let first = try await client.chat(chatBody(model: "auto", stream: stream))
            #expect(first.status == .ok && served(first) == "pinned")
            provider.identity.withLock { $0 = ReportedIdentity(model: "test-upstream-model-v2", fingerprint: "fp_test_a") }
            let second = try await client.chat(chatBody(model: "auto", stream: stream))
            #expect(second.status == .ok)
            #expect(served(second) == "fallback")
            #expect(second.headers[.init("x-frontier-attempts")!] == "2")
            // Not retried on the same model: another identity answers a second call too.
            #expect(provider.count("pinned") == 2)
            // One event per new wrong identity, not per answer.
            _ = try await client.chat(chatBody(model: "auto", stream: stream))
            let mismatches = try await events(ledger, "identity_pin_mismatch")
            #expect(mismatches.count == 1)
            #expect(mismatches.first?.subject == "pinned")
            #expect(mismatches.first?.detail["reported"]?["model"]?.stringValue == "test-upstream-model-v2")
            #expect(mismatches.first?.detail["action"]?.stringValue == "fail")
            // The failed attempt says why, in the request's record.
            let records = try await ledger.store.records(fromMs: nil, toMs: nil).compactMap { try LedgerEntry(json: try JSONParser.parse($0.body)).request }
            let failed = records.flatMap(\.attempts).filter { $0.outcome == "failed" }
            #expect(failed.first?.error?.contains("not the pinned identity test-upstream-model") == true, "\(failed)")
            let health = try json(try await client.execute(uri: "/healthz", method: .get))
            let entry = health["models"]?.arrayValue?.first { $0["id"]?.stringValue == "pinned" }
            #expect(entry?["expect_identity"]?.stringValue == "test-upstream-model")
            #expect(entry?["identity"]?["pin_mismatch"]?.stringValue == "test-upstream-model-v2 (fp_test_a)")
        }
    }

    @Test func aPinWithWatchServesTheAnswerAndRecordsTheMismatch() async throws {
        try await withLedgerGateway(models: Self.models(pin: "gpt-4o-2024-08-06", action: "watch"), extra: Self.gateway) { client, _, ledger in
            let response = try await client.chat(chatBody(model: "auto"))
            #expect(response.status == .ok && served(response) == "pinned")
            let mismatches = try await events(ledger, "identity_pin_mismatch")
            #expect(mismatches.map(\.subject) == ["pinned"])
            #expect(mismatches.first?.detail["action"]?.stringValue == "watch")
        }
    }

    @Test func aPersistentNewFingerprintIsAChangeInTheChainTheMetricsAndTheModelList() async throws {
        try await withLedgerGateway(models: model("watched", mode: "identity")) { client, provider, ledger in
            for _ in 0..<20 { #expect(try await client.chat(chatBody(model: "watched")).status == .ok) }
            let established = try await events(ledger, "identity_established")
            #expect(established.map(\.subject) == ["watched"])
            #expect(established.first?.detail["identity"]?["fingerprints"] == ["fp_test_a"])
            provider.identity.withLock { $0 = ReportedIdentity(model: "test-upstream-model", fingerprint: "fp_test_b") }
            for n in 0..<3 {
                #expect(try await client.chat(chatBody(model: "watched")).status == .ok)
                let changes = try await events(ledger, "identity_changed")
                #expect(changes.count == (n == 2 ? 1 : 0), "after \(n + 1) answers of the new build")
            }
            let change = try #require(try await events(ledger, "identity_changed").first)
            #expect(change.detail["from"]?["fingerprints"] == ["fp_test_a"])
            #expect(change.detail["to"]?["fingerprints"] == ["fp_test_a", "fp_test_b"])
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains(#"frontier_model_identity_changes_total{model="watched"} 1"#), "\(metrics)")
            let list = try json(try await client.execute(uri: "/v1/models", method: .get))
            let entry = list["data"]?.arrayValue?.first { $0["id"]?.stringValue == "watched" }
            #expect(entry?["x_frontier"]?["identity"]?["fingerprints"] == ["fp_test_a", "fp_test_b"])
            #expect(entry?["x_frontier"]?["identity"]?["changes"] == 1)
            let stored = try await ledger.store.records(fromMs: nil, toMs: nil)
            let report = ChainVerifier.verify(stored, checkpoints: try await ledger.store.checkpoints(), key: ledger.key, head: try await ledger.store.head())
            #expect(report.ok, "\(report.problems)")
        }
    }

    /// A restarted gateway starts from the identity the ledger last recorded: a change made while it was down is a
    /// change at once, with no second warm-up and no second baseline event.
    @Test func aRestartedGatewayKnowsTheLastIdentityFromTheLedger() async throws {
        try await withLedgerGateway(models: model("watched", mode: "identity")) { client, _, ledger in
            for _ in 0..<20 { _ = try await client.chat(chatBody(model: "watched")) }
            #expect(try await events(ledger, "identity_established").count == 1)
            let yaml = "storage: {sqlite: /unused}\nmodels:\n" + model("watched", mode: "identity")
            let provider = ScriptedProvider()
            provider.identity.withLock { $0 = ReportedIdentity(model: "test-upstream-model", fingerprint: "fp_test_b") }
            var quiet = Logger(label: "restarted")
            quiet.logLevel = .error
            let restarted = GatewayServer(
                configuration: try ConfigLoader(environment: [:]).parse(yaml, file: "test.yaml"), ledger: ledger,
                providers: ProviderRegistry([.openAICompatible: provider]), logger: quiet)
            await restarted.restoreFromLedger()
            try await restarted.application(host: "127.0.0.1", port: 0).test(.router) { (again: any TestClientProtocol) async throws in
                for _ in 0..<3 {
                    let response = try await again.chat(chatBody(model: "watched"))
                    #expect(response.status == .ok)
                }
            }
            try await restarted.shutdown()
            #expect(try await events(ledger, "identity_established").count == 1)
            let change = try #require(try await events(ledger, "identity_changed").first)
            #expect(change.detail["to"]?["fingerprints"] == ["fp_test_a", "fp_test_b"])
        }
    }
}
