import Crypto
import Foundation
import FrontierCore
import Testing
@testable import FrontierLedger

/// The ledger's scored requests as outcome lines: the latest client score
/// wins over a check, cascade checks score their tiers, personal data stays
/// out unless asked for, and a line without its prompt says why.
@Suite struct OutcomeExportTests {
    static let bodyKey = SymmetricKey(size: .bits256)
    static let linker = ChainLinker(checkpointEvery: 0, key: SymmetricKey(size: .bits256))

    func request(_ id: String, model: String = "local", pii: [String] = [], prompt: String? = "user: What is 2+2?", attempts: [LedgerRecord.Attempt]? = nil, time: Int64 = 1_000) -> LedgerRecord {
        LedgerRecord(
            requestID: id, timeMs: time, route: "auto", model: model, status: 200, decision: "model=\(model)",
            attempts: attempts ?? [.init(model: model, outcome: "served", inputTokens: 10, outputTokens: 4, costUSD: 0.002, latencyMs: 30)],
            piiCategories: pii, domain: "math", promptHMAC: "h-\(id)", latencyMs: 31,
            encryptedPrompt: prompt.flatMap { BodyCipher.seal(Array($0.utf8), key: Self.bodyKey) }, routerVersion: "00112233aabbccdd")
    }

    func feedback(_ id: String, model: String = "local", score: Double, source: FeedbackRecord.Source = .client) -> FeedbackRecord {
        FeedbackRecord(requestID: id, timeMs: 2_000, model: model, score: score, source: source)
    }

    func stored(_ entries: [LedgerEntry]) -> [StoredRecord] {
        Self.linker.link(entries, after: (0, ChainHash.genesis)).stored
    }

    @Test func theLatestClientScoreCountsAndTheLineCarriesWhatFitReads() throws {
        let records = stored([
            .request(request("a")), .feedback(feedback("a", score: 0)), .feedback(feedback("a", score: 1)),
            .request(request("b")),  // no score: not exported
        ])
        let (lines, summary) = OutcomeExport(bodyKey: Self.bodyKey).lines(from: records)
        #expect(lines.count == 1 && summary.exported == 1 && summary.unscored == 1)
        let line = try #require(lines.first)
        #expect(line["id"]?.stringValue == "a")
        #expect(line["prompt"]?.stringValue == "What is 2+2?")
        #expect(line["domain"]?.stringValue == "math")
        #expect(line["router_version"]?.stringValue == "00112233aabbccdd")
        let result = try #require(line["results"]?["local"])
        #expect(result["score"]?.doubleValue == 1)
        #expect(result["source"]?.stringValue == "client")
        #expect(result["cost_usd"]?.doubleValue == 0.002)
        #expect(result["input_tokens"]?.intValue == 10 && result["output_tokens"]?.intValue == 4)
    }

    @Test func cascadeChecksScoreEachTierAndAClientScoreWinsForItsModel() throws {
        let passed: JSONValue = [["check": "min_length", "passed": true, "value": "40 chars"]]
        let failed: JSONValue = [["check": "min_length", "passed": false, "value": "3 chars"]]
        let tiers: [LedgerRecord.Attempt] = [
            .init(model: "small", outcome: "rejected", inputTokens: 10, outputTokens: 1, costUSD: 0.0001, checks: failed),
            .init(model: "large", outcome: "accepted", inputTokens: 10, outputTokens: 9, costUSD: 0.01, checks: passed),
        ]
        let records = stored([.request(request("c", model: "large", attempts: tiers)), .feedback(feedback("c", model: "large", score: 0.5))])
        let (lines, summary) = OutcomeExport(bodyKey: Self.bodyKey).lines(from: records)
        let results = try #require(lines.first?["results"])
        #expect(results["small"]?["score"]?.doubleValue == 0)
        #expect(results["small"]?["source"]?.stringValue == "check")
        #expect(results["large"]?["score"]?.doubleValue == 0.5)  // the person's score, not the check's
        #expect(results["large"]?["source"]?.stringValue == "client")
        #expect(summary.scores == ["check": 1, "client": 1])
        // An operator who switches checks off gets only what people said.
        let clientOnly = OutcomeExport(sources: [.client], bodyKey: Self.bodyKey).lines(from: records).lines
        #expect(clientOnly.first?["results"]?["small"] == nil)
    }

    @Test func personalDataStaysOutUnlessAskedAndAMissingPromptIsSaidSo() throws {
        let records = stored([
            .request(request("p", pii: ["email"])), .feedback(feedback("p", score: 1)),
            .request(request("q", prompt: nil)), .feedback(feedback("q", score: 1)),
        ])
        let safe = OutcomeExport(bodyKey: Self.bodyKey).lines(from: records)
        #expect(safe.lines.map { $0["id"]?.stringValue } == ["q"])
        #expect(safe.summary.withheldForPII == 1 && safe.summary.withoutPrompt == 1)
        #expect(safe.lines.first?["prompt"]?.stringValue == "")
        #expect(safe.lines.first?["prompt_unavailable"]?.stringValue?.contains("store_bodies") == true)
        let all = OutcomeExport(includePII: true, bodyKey: Self.bodyKey).lines(from: records)
        #expect(all.lines.count == 2)
        #expect(all.lines.first?["pii"] == ["email"])
        // Without the body key, the sealed prompt cannot be read, and the line says so.
        let keyless = OutcomeExport(includePII: true).lines(from: records)
        #expect(keyless.lines.first?["prompt_unavailable"]?.stringValue?.contains("body key") == true)
    }

    @Test func onePromptSentToSeveralModelsIsOneLineWithSeveralResults() throws {
        var a = request("x1", model: "small"), b = request("x2", model: "large")
        (a.promptHMAC, b.promptHMAC) = ("same", "same")
        let records = stored([.request(a), .feedback(feedback("x1", model: "small", score: 0)), .request(b), .feedback(feedback("x2", model: "large", score: 1))])
        let (lines, summary) = OutcomeExport(bodyKey: Self.bodyKey).lines(from: records)
        #expect(lines.count == 1 && summary.exported == 1)
        #expect(lines.first?["id"]?.stringValue == "x1")
        #expect(lines.first?["results"]?["small"]?["score"]?.doubleValue == 0)
        #expect(lines.first?["results"]?["large"]?["score"]?.doubleValue == 1)
    }

    @Test func thePromptIsTheTextTheRouterReads() {
        #expect(OutcomeExport.routerText("system: Be brief.\nuser: What is\n2+2?") == "Be brief.\nWhat is\n2+2?")
    }

    @Test func theWindowIsTheRequestsTimeNotTheFeedbacks() {
        let records = stored([
            .request(request("old", time: 100)), .feedback(feedback("old", score: 1)),
            .request(request("new", time: 5_000)), .feedback(feedback("new", score: 1)),
        ])
        let lines = OutcomeExport(bodyKey: Self.bodyKey, fromMs: 1_000).lines(from: records).lines
        #expect(lines.map { $0["id"]?.stringValue } == ["new"])
    }
}
