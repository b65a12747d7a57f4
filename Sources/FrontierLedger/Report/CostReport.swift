import Foundation
public import FrontierCore

/// The total cost of intelligence over a period, from ledger records and
/// the catalog: per-token fees (catalog prices x recorded tokens, every
/// attempt), hosting (a model's `usd_per_hour` x the period's hours) and
/// fine-tuning (each run's cost spread evenly over its `amortize_days`, the
/// part inside the period). Hosting and fine-tuning are allocated to the
/// requests a model served in proportion to their tokens; what no request
/// used is reported as idle. The counterfactual prices every served answer's
/// tokens at the reference model: what the same traffic would have cost
/// without routing.
public struct CostReport: Sendable {
    public enum Dimension: String, Sendable, CaseIterable { case model, domain, key, route }

    public struct Row: Sendable, Equatable {
        public var group: String
        public var requests: Int
        public var apiUSD: Double
        public var hostingUSD: Double
        public var fineTuningUSD: Double
        public var totalUSD: Double { apiUSD + hostingUSD + fineTuningUSD }
    }

    public var fromMs: Int64
    public var toMs: Int64
    public var requests: Int
    public var apiUSD: Double
    public var hostingUSD: Double
    public var fineTuningUSD: Double
    /// Hosting and fine-tuning of models no request used in the period (part of the totals above).
    public var idleUSD: Double
    public var rows: [Row]
    public var reference: String?
    public var counterfactualUSD: Double?
    /// `router.explore`'s second answers and their grading: the operator's spend, not any key's (not in `apiUSD`).
    public var explorationUSD = 0.0
    public var explorations = 0

    public var totalUSD: Double { apiUSD + hostingUSD + fineTuningUSD + explorationUSD }
    public var perRequestUSD: Double { requests == 0 ? 0 : totalUSD / Double(requests) }
    public var savingsUSD: Double? { counterfactualUSD.map { $0 - totalUSD } }

    public init(
        records: [LedgerRecord], explorations: [ExplorationRecord] = [], catalog: [ModelEntry], fromMs: Int64, toMs: Int64, by dimension: Dimension,
        reference: ModelEntry?
    ) {
        // Write-ahead intents are not requests of their own: each request's final record carries its attempts.
        let records = records.filter { $0.kind == nil }
        self.fromMs = fromMs
        self.toMs = toMs
        self.requests = records.count
        self.reference = reference?.id
        let hours = Double(max(0, toMs - fromMs)) / 3_600_000
        var fixedPerModel: [String: (hosting: Double, fineTuning: Double)] = [:]
        for model in catalog {
            let hosting = model.fixedCosts.usdPerHour * hours
            let fineTuning = model.fixedCosts.fineTuning.map { Self.amortized($0, fromMs: fromMs, toMs: toMs) }.reduce(0, +)
            if hosting > 0 || fineTuning > 0 { fixedPerModel[model.id] = (hosting, fineTuning) }
        }
        // Tokens each model served in the period: the allocation keys.
        var tokensPerModel: [String: Int] = [:]
        for record in records {
            for attempt in record.attempts { tokensPerModel[attempt.model, default: 0] += attempt.inputTokens + attempt.outputTokens }
        }
        var groups: [String: Row] = [:]
        var api = 0.0, hosting = 0.0, fineTuning = 0.0
        for record in records {
            let key = Self.group(record, dimension)
            var row = groups[key] ?? Row(group: key, requests: 0, apiUSD: 0, hostingUSD: 0, fineTuningUSD: 0)
            row.requests += 1
            for attempt in record.attempts {
                row.apiUSD += attempt.costUSD
                api += attempt.costUSD
                guard let fixed = fixedPerModel[attempt.model], let total = tokensPerModel[attempt.model], total > 0 else { continue }
                let share = Double(attempt.inputTokens + attempt.outputTokens) / Double(total)
                row.hostingUSD += fixed.hosting * share
                row.fineTuningUSD += fixed.fineTuning * share
                hosting += fixed.hosting * share
                fineTuning += fixed.fineTuning * share
            }
            groups[key] = row
        }
        // Fixed costs of models nobody used still had to be paid.
        var idle = 0.0
        for (model, fixed) in fixedPerModel where (tokensPerModel[model] ?? 0) == 0 {
            idle += fixed.hosting + fixed.fineTuning
            hosting += fixed.hosting
            fineTuning += fixed.fineTuning
        }
        if idle > 0 { groups["(idle models)"] = Row(group: "(idle models)", requests: 0, apiUSD: 0, hostingUSD: 0, fineTuningUSD: idle) }
        self.explorations = explorations.count
        self.explorationUSD = explorations.map(\.costUSD).reduce(0, +)
        if !explorations.isEmpty {
            groups["(exploration)"] = Row(group: "(exploration)", requests: 0, apiUSD: explorationUSD, hostingUSD: 0, fineTuningUSD: 0)
        }
        self.apiUSD = api
        self.hostingUSD = hosting
        self.fineTuningUSD = fineTuning
        self.idleUSD = idle
        self.rows = groups.values.sorted { $0.totalUSD > $1.totalUSD }
        if let reference {
            counterfactualUSD = records.map { record in
                // The served answer's tokens, priced at the reference model.
                guard let served = record.attempts.last(where: { ["served", "accepted"].contains($0.outcome) }) else { return 0 }
                return reference.price.cost(of: Usage(promptTokens: served.inputTokens, completionTokens: served.outputTokens))
            }.reduce(0, +)
        }
    }

    /// The part of a fine-tuning run's cost that falls in [from, to): spread evenly over its days.
    static func amortized(_ run: FineTuningRun, fromMs: Int64, toMs: Int64) -> Double {
        guard let start = ISO8601DateFormatter().date(from: run.date + "T00:00:00Z"), run.amortizeDays > 0 else { return 0 }
        let startMs = Int64(start.timeIntervalSince1970 * 1000)
        let endMs = startMs + Int64(run.amortizeDays) * 86_400_000
        let overlap = max(0, min(endMs, toMs) - max(startMs, fromMs))
        return run.costUSD * Double(overlap) / Double(endMs - startMs)
    }

    static func group(_ record: LedgerRecord, _ dimension: Dimension) -> String {
        switch dimension {
        case .model: record.model ?? "(no model)"
        case .domain: record.domain ?? "(unknown)"
        case .key: record.apiKeyID ?? "(no key)"
        case .route: record.route
        }
    }
}
