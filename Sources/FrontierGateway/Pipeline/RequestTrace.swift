import FrontierCore
import FrontierLedger
import FrontierProviders
import FrontierRouting
import Foundation
import Synchronization

/// What happens to one request, gathered while it is served, for its ledger
/// record. A reference, so the stream relay can add the last attempt when
/// the stream ends.
final class RequestTrace: Sendable {
    struct State: Sendable {
        var route = ""
        /// The named route's ledger durability, once the target is resolved; the ledger's default when nil.
        var routeDurability: LedgerDurability?
        var prompt = ""
        var model: String?
        var status = 0
        var decision = ""
        /// The router's decision; turned into JSON only for the ledger.
        var routed: Decision?
        var pii: [String] = []
        /// The zone the request was bound to, when it is narrower than any.
        var zone: String?
        /// Whether `pii` came from the planner's scan (else the ledger scans what was sent itself).
        var piiScanned = false
        /// Everything the request sends, for the ledger's own PII scan when the planner did none.
        var content: SentContent?
        var domain: String?
        var routerVersion: String?
        var arm: String?
        var experiment: String?
        var shadowModel: String?
        var shadowVersion: String?
        /// Per category, the values replaced by placeholders for a model outside the zone (never the values).
        var pseudonymized: [String: Int]?
        var attempts: [LedgerRecord.Attempt] = []
        /// The full error text of attempts, by index: upstream words that may echo the prompt.
        var errorDetails: [Int: String] = [:]
        var response: [UInt8]?
    }

    let requestID: String
    let apiKeyID: String?
    let started = ContinuousClock.now
    let startedAt = Date()
    let state = Mutex(State())

    /// The front door's name, as the ledger record keeps it.
    let door: String

    init(requestID: String, apiKeyID: String?, door: String) {
        self.requestID = requestID
        self.apiKeyID = apiKeyID
        self.door = door
    }

    func update(_ body: (inout State) -> Void) {
        state.withLock { body(&$0) }
    }

    /// The request's resolved target: what the ledger needs of it before any plan (a strict route's durability).
    func targeted(_ target: Target) {
        update { $0.routeDurability = target.route?.durability }
    }

    func planned(_ plan: RoutePlanner.Plan) {
        update { s in
            s.routeDurability = plan.target.route?.durability
            s.decision = plan.shortForm
            s.routed = plan.decision
            if let features = plan.decision?.features {
                s.pii = features.piiCategories.map(\.rawValue)
                s.domain = features.domain?.domain
            } else if !plan.piiFields.isEmpty {
                s.pii = Array(Set(plan.piiFields.map(\.category.rawValue))).sorted()
            }
            s.piiScanned = plan.piiScanned
            s.routerVersion = plan.routerVersion
            s.zone = plan.zone == .any ? nil : plan.zone.rawValue
        }
    }

    /// A failed call: the record keeps the gateway's summary in plain text, and the upstream's full text
    /// aside, for the ledger to seal (store_bodies) or drop.
    func failed(_ model: ModelEntry, _ error: UpstreamError, since started: ContinuousClock.Instant) {
        update { s in
            s.errorDetails[s.attempts.count] = error.description
            s.attempts.append(.init(model: model.id, outcome: "failed", latencyMs: (ContinuousClock.now - started).milliseconds, error: error.summary))
        }
    }

    func served(_ model: ModelEntry, usage: Usage?, upstreamModel: String?, firstTokenMs: Double?, since started: ContinuousClock.Instant, status: Int = 200) {
        update { s in
            let usage = usage ?? Usage(promptTokens: 0, completionTokens: 0, isEstimated: true)
            s.attempts.append(.init(
                model: model.id, upstreamModel: upstreamModel, outcome: "served", inputTokens: usage.promptTokens,
                outputTokens: usage.completionTokens, cachedInputTokens: usage.cachedPromptTokens, costUSD: model.price.cost(of: usage),
                firstTokenMs: firstTokenMs, latencyMs: (ContinuousClock.now - started).milliseconds))
            s.model = model.id
            s.status = status
        }
    }

    func cascade(_ attempts: [CascadeAttempt]) {
        update { s in
            for a in attempts where a.outcome != .streamed {
                if a.errorSummary != nil, let detail = a.error { s.errorDetails[s.attempts.count] = detail }
                s.attempts.append(.init(
                    model: a.model, upstreamModel: a.upstreamModel, outcome: a.outcome.rawValue, inputTokens: a.inputTokens, outputTokens: a.outputTokens,
                    costUSD: a.costUSD, latencyMs: a.latencyMs, error: a.errorSummary ?? a.error, checks: a.checks.isEmpty ? nil : .array(a.checks.map(\.json))))
                if a.outcome == .accepted {
                    s.model = a.model
                    s.status = 200
                }
            }
        }
    }
}
