import Crypto
import Foundation
import FrontierConfig
import FrontierCore
import FrontierLedger
import FrontierRouting
import Logging

/// Writes each request's record to the ledger with its route's durability.
/// Strict: the response waits for the commit, and a failed commit becomes 503.
struct RequestLedger: Sendable {
    let writer: LedgerWriter
    let key: SymmetricKey
    let bodyKey: SymmetricKey?
    let durability: LedgerDurability
    /// The live planner's detector (the config's categories, the privacy rules as last reloaded): the record
    /// lists what routing would count, and scans only a request the plan did not (a named model without a
    /// privacy policy).
    let detector: @Sendable () -> PIIDetector

    /// The record's PII categories: the plan's when it scanned; else (a named model without a privacy policy
    /// skips the scan) what the same detector finds in everything the request sent.
    func piiCategories(_ s: RequestTrace.State) -> [String] {
        guard !s.piiScanned, let content = s.content else { return s.pii }
        return Array(Set(detector().scan(content).findings.map(\.category.rawValue))).sorted()
    }

    /// The request's route's durability (read from its resolved target), else the ledger's.
    func durability(of s: RequestTrace.State) -> LedgerDurability {
        s.routeDurability ?? durability
    }

    /// The write-ahead record for a strict route, committed before the prompt leaves for `model`
    /// (a model outside `local`): if the gateway dies mid-call, the ledger still says what left, where
    /// to, under which zone, with which PII categories. The request's final record completes it.
    nonisolated(nonsending) func intent(_ trace: RequestTrace, model: ModelEntry) async throws(APIError) {
        let s = trace.state.withLock { $0 }
        let pii = piiCategories(s)
        let record = LedgerRecord(
            requestID: trace.requestID, timeMs: Int64(Date().timeIntervalSince1970 * 1000), apiKeyID: trace.apiKeyID,
            route: s.route, model: model.id, status: 0, decision: s.decision, attempts: [], piiCategories: pii, domain: s.domain,
            promptHMAC: ChainHash.promptHMAC(s.prompt, key: key), latencyMs: 0, kind: LedgerRecord.intentKind, zone: s.zone)
        do {
            try await writer.submit(record, durability: .strict)
        } catch {
            throw .ledgerRefusedIntent(model: model.id, error.description)
        }
    }

    /// Records the request; throws what the client gets instead when a strict record could not be committed.
    nonisolated(nonsending) func record(_ trace: RequestTrace, status: Int) async throws(APIError) {
        let s = trace.state.withLock { $0 }
        guard !s.route.isEmpty else { return }  // never parsed: no model saw anything
        let pii = piiCategories(s)
        // Upstream error text can echo the prompt: sealed with the bodies' key, or not kept.
        var attempts = s.attempts
        if let bodyKey {
            for (n, detail) in s.errorDetails where n < attempts.count { attempts[n].errorSealed = BodyCipher.seal(Array(detail.utf8), key: bodyKey) }
        }
        let record = LedgerRecord(
            requestID: trace.requestID, timeMs: Int64(trace.startedAt.timeIntervalSince1970 * 1000), apiKeyID: trace.apiKeyID,
            route: s.route, model: s.model, status: status, decision: s.decision, decisionDetail: s.routed?.json, attempts: attempts,
            piiCategories: pii, domain: s.domain, promptHMAC: ChainHash.promptHMAC(s.prompt, key: key),
            latencyMs: (ContinuousClock.now - trace.started).milliseconds,
            encryptedPrompt: bodyKey.flatMap { BodyCipher.seal(Array(s.prompt.utf8), key: $0) },
            encryptedResponse: bodyKey.flatMap { key in s.response.flatMap { BodyCipher.seal($0, key: key) } }, zone: s.zone,
            routerVersion: s.routerVersion, arm: s.arm, experiment: s.experiment, shadowModel: s.shadowModel, shadowVersion: s.shadowVersion,
            pseudonymized: s.pseudonymized, door: trace.door)
        do {
            try await writer.submit(record, durability: durability(of: s))
        } catch {
            throw .ledgerWithheldResponse(error.description)
        }
    }
}
