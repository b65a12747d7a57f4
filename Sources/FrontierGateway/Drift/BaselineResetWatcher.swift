import FrontierCore
import FrontierLedger
import Logging
public import ServiceLifecycle

/// Applies the operator's `frontier models reset-baseline` on this gateway: polls the ledger (every `interval`)
/// for reset events newer than the last one seen, and resets that model's drift watch and identity (its next canary
/// run becomes the baseline, and runs now). Every gateway
/// on one ledger does the same, so a reset reaches all of them within an interval.
public struct BaselineResetWatcher: Service {
    let store: any LedgerStore
    let drift: DriftWatch
    let identities: IdentityWatch
    let canaries: CanaryTriggers
    let interval: Duration
    /// The ledger's head when the restore at start read it: the resets up to there are applied already.
    let after: Int64
    let logger: Logger

    public func run() async throws {
        var seen = after
        while !Task.isCancelledOrShuttingDown {
            await Task.pause(for: interval)
            guard let resets = try? await store.records(requestID: "event:" + LedgerEvent.driftBaselineReset) else { continue }
            for stored in resets where stored.seq > seen {
                seen = stored.seq
                guard let json = try? JSONParser.parse(stored.body), case .event(let event)? = try? LedgerEntry(json: json) else { continue }
                drift.reset(event.subject)
                identities.reset(event.subject)
                canaries.baselineReset(event.subject)
            }
        }
    }
}
