import FrontierCore
import Testing
@testable import FrontierLedger

/// The report's arithmetic against a hand computation.
@Suite struct CostReportTests {
    // A day: 2026-11-10T00:00Z to 2026-11-11T00:00Z.
    let from: Int64 = 1_794_268_800_000
    let to: Int64 = 1_794_355_200_000

    var catalog: [ModelEntry] {
        [
            ModelEntry(
                id: "local", provider: .openAICompatible, baseURL: "http://x/v1", deployment: .local, price: .free,
                fixedCosts: FixedCosts(usdPerHour: 0.5, fineTuning: [FineTuningRun(costUSD: 300, date: "2026-11-01", amortizeDays: 30)])),
            ModelEntry(id: "cloud", provider: .openAICompatible, baseURL: "http://x/v1", deployment: .cloud, price: Price(inputPerMTok: 1, outputPerMTok: 2)),
            ModelEntry(id: "big", provider: .openAICompatible, baseURL: "http://x/v1", deployment: .cloud, price: Price(inputPerMTok: 10, outputPerMTok: 30)),
            ModelEntry(
                id: "idle", provider: .openAICompatible, baseURL: "http://x/v1", deployment: .onPrem, price: .free,
                fixedCosts: FixedCosts(usdPerHour: 0.25)),
        ]
    }

    func record(_ id: String, _ model: String, input: Int, output: Int, cost: Double, key: String) -> LedgerRecord {
        LedgerRecord(
            requestID: id, timeMs: from + 1_000, apiKeyID: key, route: "auto", model: model, status: 200, decision: "",
            attempts: [.init(model: model, outcome: "served", inputTokens: input, outputTokens: output, costUSD: cost)], promptHMAC: "", latencyMs: 1)
    }

    @Test func thePartsAddUpAndTheCounterfactualMatchesAHandComputation() {
        let records = [
            record("a", "local", input: 300, output: 100, cost: 0, key: "k1"),  // 400 of local's 1,000 tokens
            record("b", "local", input: 500, output: 100, cost: 0, key: "k2"),  // 600
            record("c", "cloud", input: 1_000, output: 500, cost: 0.002, key: "k1"),
        ]
        let report = CostReport(records: records, catalog: catalog, fromMs: from, toMs: to, by: .model, reference: catalog[2])
        // Hosting: local 24 h x $0.50 = $12; idle 24 h x $0.25 = $6. Fine-tuning: $300 / 30 days x 1 day = $10.
        #expect(abs(report.apiUSD - 0.002) < 1e-12)
        #expect(abs(report.hostingUSD - 18) < 1e-9)
        #expect(abs(report.fineTuningUSD - 10) < 1e-9)
        #expect(abs(report.totalUSD - (report.apiUSD + report.hostingUSD + report.fineTuningUSD)) < 1e-12)
        #expect(abs(report.totalUSD - 28.002) < 1e-9)
        #expect(abs(report.idleUSD - 6) < 1e-9)
        // Rows add up to the total too.
        #expect(abs(report.rows.map(\.totalUSD).reduce(0, +) - report.totalUSD) < 1e-9)
        let local = report.rows.first { $0.group == "local" }
        #expect(abs((local?.hostingUSD ?? 0) - 12) < 1e-9 && abs((local?.fineTuningUSD ?? 0) - 10) < 1e-9)
        // Counterfactual on "big" ($10 / $30): (300 x 10 + 100 x 30 + 500 x 10 + 100 x 30 + 1000 x 10 + 500 x 30) / 1e6.
        #expect(abs((report.counterfactualUSD ?? 0) - 0.039) < 1e-12)
        #expect(abs((report.savingsUSD ?? 0) - (0.039 - 28.002)) < 1e-9)
    }

    @Test func byKeySplitsTheFixedCostsByTokens() {
        let records = [
            record("a", "local", input: 300, output: 100, cost: 0, key: "k1"),
            record("b", "local", input: 500, output: 100, cost: 0, key: "k2"),
        ]
        let report = CostReport(records: records, catalog: Array(catalog.prefix(3)), fromMs: from, toMs: to, by: .key, reference: nil)
        let k1 = report.rows.first { $0.group == "k1" }, k2 = report.rows.first { $0.group == "k2" }
        #expect(abs((k1?.totalUSD ?? 0) - 22 * 0.4) < 1e-9)  // ($12 + $10) x 400 / 1,000
        #expect(abs((k2?.totalUSD ?? 0) - 22 * 0.6) < 1e-9)
        #expect(report.counterfactualUSD == nil)
    }

    @Test func fineTuningIsAmortizedOnlyInsideThePeriod() {
        let run = FineTuningRun(costUSD: 300, date: "2026-11-01", amortizeDays: 30)
        let dayMs: Int64 = 86_400_000
        let start: Int64 = 1_793_491_200_000  // 2026-11-01
        #expect(abs(CostReport.amortized(run, fromMs: start - 10 * dayMs, toMs: start + 5 * dayMs) - 50) < 1e-9)
        #expect(CostReport.amortized(run, fromMs: start + 40 * dayMs, toMs: start + 41 * dayMs) == 0)
        #expect(abs(CostReport.amortized(run, fromMs: start - dayMs, toMs: start + 60 * dayMs) - 300) < 1e-9)
    }
}
