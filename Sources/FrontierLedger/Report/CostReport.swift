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

    /// The report of ledger records (what `frontier report` and the dashboard read from the store's sums: the
    /// same figures either way).
    public init(
        records: [LedgerRecord], explorations: [ExplorationRecord] = [], catalog: [ModelEntry], fromMs: Int64, toMs: Int64, by dimension: Dimension,
        reference: ModelEntry?
    ) {
        let usage = UsageRollup.sums(of: records.map(LedgerEntry.request) + explorations.map(LedgerEntry.exploration))
        self.init(usage: usage, catalog: catalog, fromMs: fromMs, toMs: toMs, by: dimension, reference: reference)
    }

    /// The report of the ledger's usage sums (``UsageRollup``) over [from, to).
    public init(
        usage: some Collection<(key: UsageKey, value: UsageSums)>, catalog: [ModelEntry], fromMs: Int64, toMs: Int64, by dimension: Dimension,
        reference: ModelEntry?
    ) {
        self.fromMs = fromMs
        self.toMs = toMs
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
        for (key, sums) in usage where !key.attemptModel.isEmpty && !key.isExploration {
            tokensPerModel[key.attemptModel, default: 0] += sums.inputTokens + sums.outputTokens
        }
        var groups: [String: Row] = [:]
        var requests = 0, explorations = 0
        var api = 0.0, hosting = 0.0, fineTuning = 0.0, exploration = 0.0, counterfactual = 0.0
        for (key, sums) in usage {
            if key.isExploration {
                explorations += sums.requests
                exploration += sums.costUSD
                continue
            }
            let group = Self.group(key, dimension)
            var row = groups[group] ?? Row(group: group, requests: 0, apiUSD: 0, hostingUSD: 0, fineTuningUSD: 0)
            if key.attemptModel.isEmpty {
                row.requests += sums.requests
                requests += sums.requests
                // The served answers' tokens, priced at the reference model.
                if let reference { counterfactual += reference.price.cost(of: Usage(promptTokens: sums.inputTokens, completionTokens: sums.outputTokens)) }
            } else {
                row.apiUSD += sums.costUSD
                api += sums.costUSD
                if let fixed = fixedPerModel[key.attemptModel], let total = tokensPerModel[key.attemptModel], total > 0 {
                    let share = Double(sums.inputTokens + sums.outputTokens) / Double(total)
                    row.hostingUSD += fixed.hosting * share
                    row.fineTuningUSD += fixed.fineTuning * share
                    hosting += fixed.hosting * share
                    fineTuning += fixed.fineTuning * share
                }
            }
            groups[group] = row
        }
        // Fixed costs of models nobody used still had to be paid.
        var idle = 0.0
        for (model, fixed) in fixedPerModel where (tokensPerModel[model] ?? 0) == 0 {
            idle += fixed.hosting + fixed.fineTuning
            hosting += fixed.hosting
            fineTuning += fixed.fineTuning
        }
        if idle > 0 { groups["(idle models)"] = Row(group: "(idle models)", requests: 0, apiUSD: 0, hostingUSD: 0, fineTuningUSD: idle) }
        self.requests = requests
        self.explorations = explorations
        self.explorationUSD = exploration
        if explorations > 0 {
            groups["(exploration)"] = Row(group: "(exploration)", requests: 0, apiUSD: exploration, hostingUSD: 0, fineTuningUSD: 0)
        }
        self.apiUSD = api
        self.hostingUSD = hosting
        self.fineTuningUSD = fineTuning
        self.idleUSD = idle
        self.rows = groups.values.sorted { $0.totalUSD > $1.totalUSD || ($0.totalUSD == $1.totalUSD && $0.group < $1.group) }
        self.counterfactualUSD = reference == nil ? nil : counterfactual
    }

    /// The reference general model of the counterfactual: `id` when given (nil when the catalog has no such model),
    /// else the catalog's dearest by output price.
    public static func referenceModel(_ id: String?, in catalog: [ModelEntry]) -> ModelEntry? {
        if let id { return catalog.first { $0.id == id } }
        return catalog.max { $0.price.outputPerMTok < $1.price.outputPerMTok }
    }

    /// The part of a fine-tuning run's cost that falls in [from, to): spread evenly over its days.
    static func amortized(_ run: FineTuningRun, fromMs: Int64, toMs: Int64) -> Double {
        guard let start = ISO8601DateFormatter().date(from: run.date + "T00:00:00Z"), run.amortizeDays > 0 else { return 0 }
        let startMs = Int64(start.timeIntervalSince1970 * 1000)
        let endMs = startMs + Int64(run.amortizeDays) * 86_400_000
        let overlap = max(0, min(endMs, toMs) - max(startMs, fromMs))
        return run.costUSD * Double(overlap) / Double(endMs - startMs)
    }

    static func group(_ key: UsageKey, _ dimension: Dimension) -> String {
        switch dimension {
        case .model: key.model.isEmpty ? "(no model)" : key.model
        case .domain: key.domain.isEmpty ? "(unknown)" : key.domain
        case .key: key.keyID.isEmpty ? "(no key)" : key.keyID
        case .route: key.route
        }
    }
}
