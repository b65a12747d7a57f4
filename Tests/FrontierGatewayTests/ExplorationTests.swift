import Foundation
import FrontierCore
import FrontierGateway
import FrontierLedger
import FrontierRouting
import Hummingbird
import HummingbirdTesting
import Testing

/// `router.explore` in-process over the scripted provider: a sampled request
/// is answered a second time in the background by another model inside its
/// zone, graded by the configured check, recorded as its own ledger record,
/// exported as a second result on the prompt's line, and paid by the
/// operator (its own line in the cost report), never by the request.
@Suite struct ExplorationTests {
    /// Each model's answer says whether it passes the check; `cloudy` is outside an on-prem zone.
    static let models = """
          - {id: lawyer, provider: openai-compatible, base_url: "http://scripted/reply/v1", deployment: local, headers: {x-test-reply: "verdict: fail"}, price: {input_per_mtok: 1, output_per_mtok: 2}}
          - {id: mathematician, provider: openai-compatible, base_url: "http://scripted/reply/v1", deployment: local, headers: {x-test-reply: "verdict: pass"}, price: {input_per_mtok: 1, output_per_mtok: 2}}
          - {id: general, provider: openai-compatible, base_url: "http://scripted/reply/v1", deployment: on-prem, headers: {x-test-reply: "verdict: pass"}, price: {input_per_mtok: 10, output_per_mtok: 20}}
          - {id: cloudy, provider: openai-compatible, base_url: "http://scripted/reply/v1", deployment: cloud, headers: {x-test-reply: "verdict: pass"}, price: {input_per_mtok: 3, output_per_mtok: 6}}

        """

    static func config(share: Double = 0.5, cap: Double = 10) -> String {
        """
        privacy: {pii: on-prem}
        ledger: {implicit_feedback: false}
        router: {explore: {share: \(share), max_cost_usd_per_day: \(cap), seed: 3, max_output_tokens: 64, concurrency: 64, check: {must_contain: "pass"}}}

        """
    }

    /// Everything the chain holds, once the background work has landed: waits (up to 20 s, a margin for two busy
    /// cores) until `explorations` records are there.
    func entries(_ ledger: LedgerSetup, explorations: Int) async throws -> [LedgerEntry] {
        let deadline = ContinuousClock.now + .seconds(20)
        while true {
            try await ledger.writer.settle()
            let all = try await ledger.store.records(fromMs: nil, toMs: nil).map { try LedgerEntry(json: try JSONParser.parse($0.body)) }
            let found = all.filter { if case .exploration = $0 { true } else { false } }.count
            if found >= explorations || ContinuousClock.now > deadline { return all }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    static func explorations(_ entries: [LedgerEntry]) -> [ExplorationRecord] {
        entries.compactMap { if case .exploration(let x) = $0 { x } else { nil } }
    }

    @Test func aSampledShareIsAnsweredAgainGradedRecordedAndExported() async throws {
        let live = try LearningLoopTests.good()
        try await withLedgerGateway(models: Self.models, extra: Self.config(), routerFile: live) { client, provider, ledger in
            var ids: [String] = []
            for n in 0..<40 {
                let (id, model) = try await LearningLoopTests().ask(client, LearningLoopTests.prompt(n, law: false))
                #expect(model == "mathematician")
                ids.append(id)
            }
            let sampler = ExplorationChooser(share: 0.5, maxCostUSDPerDay: 10, seed: 3)
            let expected = ids.filter { sampler.samples(requestID: $0) }
            #expect(expected.count > 5)
            let entries = try await entries(ledger, explorations: expected.count)
            let explored = Self.explorations(entries)
            // Exactly the sampled requests, each once, never to the model that served it.
            #expect(explored.map(\.requestID).sorted() == expected.sorted())
            #expect(explored.allSatisfy { $0.servedModel == "mathematician" && $0.model != "mathematician" && $0.grader == "check" })
            // The least-known model first: the others in turn, not one of them over and over.
            let perModel = Dictionary(grouping: explored, by: \.model).mapValues(\.count)
            #expect(Set(perModel.keys) == ["lawyer", "general", "cloudy"], "\(perModel)")
            #expect(perModel.values.max()! - perModel.values.min()! <= 1, "\(perModel)")
            // Graded by the check: the lawyer's answer fails it, the others pass.
            #expect(explored.allSatisfy { $0.score == ($0.model == "lawyer" ? 0 : 1) })
            #expect(explored.allSatisfy { $0.costUSD > 0 && $0.inputTokens == 12 && $0.outputTokens == 7 })
            #expect(provider.count("mathematician") == 40 && provider.count("lawyer") + provider.count("general") + provider.count("cloudy") == expected.count)
            // The request's own record holds only what served it: the exploration is not on its bill.
            let requests = entries.compactMap(\.request).filter { $0.kind == nil }
            #expect(requests.count == 40 && requests.allSatisfy { $0.attempts.map(\.model) == ["mathematician"] })
            // The chain verifies with the new kind in it.
            let stored = try await ledger.store.records(fromMs: nil, toMs: nil)
            let verified = ChainVerifier.verify(stored, checkpoints: try await ledger.store.checkpoints(), key: ledger.key, head: try await ledger.store.head())
            #expect(verified.ok, "\(verified.problems)")
            // Exported: one line per prompt with the served model's feedback and the explored model's grade.
            let first = try #require(expected.first)
            let posted = try await client.execute(
                uri: "/v1/feedback", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"request_id":"\#(first)","score":1}"#))
            #expect(posted.status == .ok)
            let (lines, summary) = OutcomeExport().lines(from: try await ledger.store.records(fromMs: nil, toMs: nil))
            let line = try #require(lines.first { $0["id"]?.stringValue == first })
            let explorer = try #require(explored.first { $0.requestID == first })
            #expect(line["results"]?["mathematician"]?["source"]?.stringValue == "client")
            #expect(line["results"]?[explorer.model]?["source"]?.stringValue == "exploration")
            #expect(line["results"]?[explorer.model]?["cost_usd"]?.doubleValue == explorer.costUSD)
            #expect(summary.scores["exploration"] == expected.count)
            // The cost report puts the operator's spend on its own line.
            let report = CostReport(
                records: requests, explorations: explored, catalog: [], fromMs: 0, toMs: Int64(Date().timeIntervalSince1970 * 1000) + 1, by: .model, reference: nil)
            // Summed as nanodollars, each cost rounded to the nearest one.
            #expect(report.explorations == expected.count && abs(report.explorationUSD - explored.map(\.costUSD).reduce(0, +)) <= 1e-9 * Double(expected.count))
            #expect(report.table(by: .model).contains("exploration"))
        }
    }

    @Test func aPromptWithPersonalDataIsExploredOnlyInsideItsZone() async throws {
        let live = try LearningLoopTests.good()
        try await withLedgerGateway(models: Self.models, extra: Self.config(share: 0.5), routerFile: live) { client, provider, ledger in
            var ids: [String] = []
            for n in 0..<30 {
                let (id, _) = try await LearningLoopTests().ask(client, LearningLoopTests.prompt(n, law: false) + " Reply to jane.doe@example.com")
                ids.append(id)
            }
            let expected = ids.filter { ExplorationChooser(share: 0.5, maxCostUSDPerDay: 10, seed: 3).samples(requestID: $0) }
            let explored = Self.explorations(try await entries(ledger, explorations: expected.count))
            #expect(explored.count == expected.count)
            #expect(!explored.isEmpty && explored.allSatisfy { $0.model != "cloudy" }, "\(explored.map(\.model))")
            #expect(provider.count("cloudy") == 0)
            // Left out of the default export: the prompt had personal data.
            let (_, summary) = OutcomeExport().lines(from: try await ledger.store.records(fromMs: nil, toMs: nil))
            #expect(summary.exported == 0 && summary.withheldForPII > 0)
        }
    }

    @Test func theDailyCapStopsExplorationAndCountsWhatWasSkipped() async throws {
        let live = try LearningLoopTests.good()
        // The cheapest other model's worst case (64 output tokens, twice the prompt) is about $0.0002, a call $0.000026:
        // $0.0003 a day lets about four calls start.
        try await withLedgerGateway(models: Self.models, extra: Self.config(share: 0.5, cap: 0.0003), routerFile: live) { client, _, ledger in
            for n in 0..<40 {
                _ = try await LearningLoopTests().ask(client, LearningLoopTests.prompt(n, law: false))
            }
            try await Task.sleep(for: .milliseconds(300))
            let explored = Self.explorations(try await entries(ledger, explorations: 0))
            #expect(explored.map(\.costUSD).reduce(0, +) <= 0.0003)
            #expect(!explored.isEmpty && explored.count <= 5, "\(explored.count)")
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains(#"frontier_explorations_total{outcome="skipped_budget"}"#), "\(metrics)")
        }
    }
}
