import Foundation
import FrontierAnalysis
import FrontierCore
import FrontierGateway
import FrontierLedger
import FrontierRouting
import Hummingbird
import HummingbirdTesting
import Testing

/// The shadow router and the guarded experiment, in-process over the scripted
/// provider, with real fitted router files: what each request records, and a
/// bad candidate stopped by the guard from the feedback it earns.
@Suite struct LearningLoopTests {
    static let models = """
          - {id: lawyer, provider: openai-compatible, base_url: "http://scripted/ok/v1", deployment: local, price: {input_per_mtok: 1, output_per_mtok: 2}}
          - {id: mathematician, provider: openai-compatible, base_url: "http://scripted/ok/v1", deployment: local, price: {input_per_mtok: 1, output_per_mtok: 2}}
          - {id: general, provider: openai-compatible, base_url: "http://scripted/ok/v1", deployment: local, price: {input_per_mtok: 10, output_per_mtok: 20}}

        """
    static let law = ["contract", "tort", "court", "statute", "plaintiff", "liability", "negligence", "appeal"]
    static let math = ["integral", "derivative", "matrix", "prime", "polynomial", "equation", "theorem", "vector"]

    static func prompt(_ n: Int, law isLaw: Bool) -> String {
        "Question: " + (0..<12).map { (isLaw ? law : math)[($0 * 7 + n) % 8] }.joined(separator: " ") + "?"
    }

    /// A router file fitted on two domains: `truth(model, isLaw)` says who is right.
    static func routerFile(_ truth: (String, Bool) -> Double) throws -> RouterFile {
        let records = (0..<400).map { n -> OutcomeRecord in
            let isLaw = n % 2 == 0
            let results = Dictionary(uniqueKeysWithValues: ["lawyer", "mathematician", "general"].map { model in
                (model, ModelOutcome(score: truth(model, isLaw), costUSD: model == "general" ? 0.01 : 0.001))
            })
            return OutcomeRecord(id: "s-\(n)", prompt: prompt(n, law: isLaw), domain: isLaw ? "law" : "math", results: results)
        }
        // Read back from bytes, as the gateway would: that gives it its version.
        let file = RouterFitter().fit(OutcomeSet(records: records), dataName: "synthetic").file
        return try RouterFile.decode(file.json.serialized(), path: "test")
    }

    /// The specialists are right in their domain, the general model everywhere.
    static func good() throws -> RouterFile { try goodFile.get() }

    /// Fitted on data that says the cheap lawyer is right about everything: it sends math to the lawyer.
    static func bad() throws -> RouterFile { try badFile.get() }

    // Fitted once per test process: a fit is seconds of CPU that would otherwise hold a cooperative thread in every
    // test that asks, and starve the timers of tests running beside them on two cores.
    private static let goodFile = Result { try routerFile { model, isLaw in model == "general" || (model == "lawyer") == isLaw ? 1 : 0 } }
    private static let badFile = Result { try routerFile { model, _ in model == "mathematician" ? 0 : 1 } }

    func ask(_ client: any TestClientProtocol, _ prompt: String) async throws -> (id: String, model: String) {
        let body = #"{"model":"auto","messages":[{"role":"user","content":"\#(prompt)"}]}"#
        let response = try await client.execute(
            uri: "/v1/chat/completions", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body))
        #expect(response.status == .ok)
        let decision = response.headers[.init("x-frontier-decision")!] ?? ""
        let model = decision.split(separator: ";").first.map { String($0.dropFirst("model=".count)) } ?? ""
        return (try #require(response.headers[.init("x-frontier-request-id")!]), model)
    }

    /// The requests' records, once everything queued is committed (the ledger is batched).
    func requests(_ ledger: LedgerSetup) async throws -> [LedgerRecord] {
        try await ledger.writer.settle()
        return try await ledger.store.records(fromMs: nil, toMs: nil).compactMap { try LedgerEntry(json: try JSONParser.parse($0.body)).request }
    }

    @Test func theShadowsChoiceIsRecordedBesideTheLiveOneAndNeverServed() async throws {
        let live = try Self.good(), shadow = try Self.bad()
        try await withLedgerGateway(models: Self.models, routerFile: live, candidates: .init(shadow: shadow)) { client, provider, ledger in
            for n in 0..<6 { _ = try await ask(client, Self.prompt(n, law: false)) }
            let records = try await requests(ledger)
            #expect(records.count == 6)
            #expect(records.allSatisfy { $0.routerVersion == live.digest && $0.shadowVersion == shadow.digest })
            // Live sends math to the mathematician; the shadow would have sent it to the lawyer; only live's calls were made.
            #expect(records.allSatisfy { $0.model == "mathematician" && $0.shadowModel == "lawyer" })
            #expect(provider.count("lawyer") == 0 && provider.count("mathematician") == 6)
            // The shadow report predicts the bad candidate's loss before it has served one request.
            let report = ShadowReport(records: try await ledger.store.records(fromMs: nil, toMs: nil))
            let all = try #require(report.rows.last)
            #expect(all.domain == "all" && all.requests == 6 && all.agreed == 0 && all.estimated == 6)
            #expect(all.qualityDelta < -0.5, "\(report.table)")
            #expect(all.costRatio < 1.01)
        }
    }

    @Test func theGuardStopsABadCandidateFromItsFeedbackAndEveryRequestGoesLiveAgain() async throws {
        let live = try Self.good(), candidate = try Self.bad()
        let extra = "router: {experiment: {file: candidate.json, share: 0.5, guard: {min_quality_delta: -0.05, min_samples: 5}}}\n"
        try await withLedgerGateway(models: Self.models, extra: extra, routerFile: live, candidates: .init(experiment: candidate)) { client, _, ledger in
            var stoppedAfter: Int?
            for n in 0..<400 {
                let (id, model) = try await ask(client, Self.prompt(n, law: false))
                // The truth on math prompts: the lawyer is wrong.
                let score = model == "lawyer" ? 0 : 1
                let posted = try await client.execute(
                    uri: "/v1/feedback", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"request_id":"\#(id)","score":\#(score)}"#))
                #expect(posted.status == .ok)
                let health = try json(try await client.execute(uri: "/healthz", method: .get))
                if health["experiment"]?["state"]?.stringValue == "stopped" {
                    stoppedAfter = n + 1
                    #expect(health["experiment"]?["reason"]?.stringValue?.hasPrefix("quality:") == true)
                    break
                }
            }
            let stopped = try #require(stoppedAfter)
            print("the guard stopped the bad candidate after \(stopped) requests at a 50 % share")
            let records = try await requests(ledger)
            #expect(records.contains { $0.arm == "candidate" && $0.model == "lawyer" && $0.routerVersion == candidate.digest })
            #expect(records.contains { $0.arm == "live" && $0.model == "mathematician" && $0.routerVersion == live.digest })
            // After the stop: no arm, the live router.
            for n in 0..<10 { #expect(try await ask(client, Self.prompt(n, law: false)).model == "mathematician") }
            let after = try await requests(ledger).suffix(10)
            #expect(after.allSatisfy { $0.arm == nil })
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains("frontier_experiment_running 0"))
            // The stop is in the chain, as its own event.
            try await ledger.writer.settle()
            let events = try await ledger.store.records(requestID: "event:" + LedgerEvent.experimentStopped)
            let event = try #require(events.first.flatMap { try? LedgerEntry(json: try JSONParser.parse($0.body)) })
            guard case .event(let stop) = event else { Issue.record("not an event"); return }
            #expect(stop.subject == candidate.digest)
            // And the chain, the event in it, verifies (an event's request_id column is its name).
            let stored = try await ledger.store.records(fromMs: nil, toMs: nil)
            let report = ChainVerifier.verify(stored, checkpoints: try await ledger.store.checkpoints(), key: ledger.key, head: try await ledger.store.head())
            #expect(report.ok, "\(report.problems)")
        }
    }
}
