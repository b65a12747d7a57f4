import FrontierCore
import FrontierLedger
import FrontierProviders
import FrontierRouting
import Logging
import Synchronization

/// Every catalog model's reported identity, watched on every answer: an ``IdentityTracker`` per model, and the
/// catalog's pins (`expect_identity`) enforced. A change, a first baseline and a pin mismatch are each logged,
/// counted (`frontier_model_identity_changes_total{model}` for changes) and appended to the ledger as an event.
final class IdentityWatch: Sendable {
    static let established = LedgerEvent.identityEstablished
    static let changed = LedgerEvent.identityChanged
    static let pinMismatch = LedgerEvent.identityPinMismatch

    private struct State {
        var trackers: [String: IdentityTracker] = [:]
        /// The last mismatching identity recorded per pinned model: one event per new wrong identity, not per answer.
        var lastMismatch: [String: ReportedIdentity?] = [:]
        var changes: [String: Int] = [:]
    }

    private let settings: IdentityTracker.Settings
    private let state = Mutex(State())
    private let ledger: LedgerWriter?
    private let metrics: GatewayMetrics?
    private let logger: Logger
    private let wallClockMs: @Sendable () -> Int64
    /// Told of every change (the canary's trigger, when one is configured).
    private let onChange: @Sendable (_ model: String) -> Void

    init(
        settings: IdentityTracker.Settings = .init(), ledger: LedgerWriter?, metrics: GatewayMetrics? = nil, logger: Logger,
        wallClockMs: @escaping @Sendable () -> Int64 = Tenancy.wallClockMs, onChange: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.settings = settings
        self.ledger = ledger
        self.metrics = metrics
        self.logger = logger
        self.wallClockMs = wallClockMs
        self.onChange = onChange
    }

    /// Watches one answer's identity; throws the failed attempt when `model` is pinned to another identity and
    /// fails over on a mismatch.
    nonisolated(nonsending) func check(_ reported: ReportedIdentity?, of model: ModelEntry) async throws(UpstreamError) {
        let now = wallClockMs()
        let pin = model.identity.pinned
        let mismatch = pin.map { pin in reported.map { !$0.matches(pinned: pin) } ?? true } ?? false
        let (observation, newMismatch) = state.withLock { s -> (IdentityTracker.Observation, Bool) in
            var observation = IdentityTracker.Observation.unchanged
            if let reported {
                observation = s.trackers[model.id, default: IdentityTracker(settings: settings)].observe(reported, nowMs: now)
                if case .changed = observation { s.changes[model.id, default: 0] += 1 }
            }
            guard mismatch else {
                if !s.lastMismatch.isEmpty { s.lastMismatch[model.id] = nil }
                return (observation, false)
            }
            let isNew = s.lastMismatch[model.id].map { $0 != reported } ?? true
            s.lastMismatch[model.id] = .some(reported)
            return (observation, isNew)
        }
        switch observation {
        case .unchanged: break
        case .established(let identity):
            await record(Self.established, model: model.id, now: now, detail: ["identity": Self.json(identity)])
        case .changed(let from, let to):
            logger.warning("a model's reported identity changed", metadata: [
                "model": "\(model.id)", "from": "\(from)", "to": "\(to)", "reported": "\(reported.map(\.description) ?? "none")",
            ])
            await record(Self.changed, model: model.id, now: now, detail: [
                "from": Self.json(from), "to": Self.json(to), "reported": Self.json(reported),
            ])
            metrics?.identityChanged(model: model.id)
            onChange(model.id)
        }
        guard mismatch, let pin else { return }
        let fails = model.identity.onChange == .fail
        if newMismatch {
            logger.warning("a pinned model answered as another", metadata: [
                "model": "\(model.id)", "expected": "\(pin)", "reported": "\(reported.map(\.description) ?? "none")",
                "action": "\(fails ? "failed over" : "served (on_identity_change: watch)")",
            ])
            await record(Self.pinMismatch, model: model.id, now: now, detail: [
                "expected": .string(pin), "reported": Self.json(reported), "action": .string(fails ? "fail" : "watch"),
            ])
        }
        if fails { throw .identity(expected: pin, reported: reported?.description) }
    }

    /// Model id -> its identity now, for `/healthz` and `/v1/models`.
    func identities() -> [String: JSONValue] {
        state.withLock { s in
            var out: [String: JSONValue] = [:]
            for (id, tracker) in s.trackers {
                guard let identity = tracker.identity else { continue }
                var o: JSONObject = [
                    "models": .array(identity.models.map { .string($0) }), "fingerprints": .array(identity.fingerprints.map { .string($0) }),
                    "state": .string(tracker.isEstablished ? "established" : "learning"),
                    "changes": .int(Int64(s.changes[id] ?? 0)),
                ]
                if let mismatch = s.lastMismatch[id] { o["pin_mismatch"] = .string(mismatch?.description ?? "none reported") }
                out[id] = .object(o)
            }
            return out
        }
    }

    /// Seeds each model's tracker with the identity the ledger last recorded for it (a baseline or a change).
    func restore(from store: any LedgerStore) async throws {
        var latest: [String: (time: Int64, identity: IdentityTracker.Identity)] = [:]
        for (name, field) in [(Self.established, "identity"), (Self.changed, "to")] {
            for stored in try await store.records(requestID: "event:" + name) {
                guard case .event(let event) = try LedgerEntry(json: try JSONParser.parse(stored.body)),
                      let models = event.detail[field]?["models"]?.arrayValue?.compactMap(\.stringValue), !models.isEmpty
                else { continue }
                let fingerprints = event.detail[field]?["fingerprints"]?.arrayValue?.compactMap(\.stringValue) ?? []
                if event.timeMs >= latest[event.subject]?.time ?? .min {
                    latest[event.subject] = (event.timeMs, IdentityTracker.Identity(models: models, fingerprints: fingerprints))
                }
            }
        }
        let now = wallClockMs()
        state.withLock { s in
            for (model, entry) in latest where s.trackers[model] == nil {
                s.trackers[model] = IdentityTracker(settings: settings, baseline: entry.identity, nowMs: now)
            }
        }
    }

    /// The operator accepted the model as it is now: its identity is learned again from the next answers.
    func reset(_ model: String) {
        state.withLock { s in
            s.trackers[model] = nil
            s.lastMismatch[model] = nil
        }
    }

    /// Model id -> changes noticed since start, for the metric.
    func changeCounts() -> [String: Int] { state.withLock { $0.changes } }

    private nonisolated(nonsending) func record(_ name: String, model: String, now: Int64, detail: JSONObject) async {
        do {
            try await ledger?.submit(.event(LedgerEvent(name: name, timeMs: now, subject: model, detail: .object(detail))), durability: .batched)
        } catch {
            logger.error("a model identity event could not be queued for the ledger", metadata: ["model": "\(model)", "error": "\(error)"])
        }
    }

    private static func json(_ identity: IdentityTracker.Identity) -> JSONValue {
        ["models": .array(identity.models.map { .string($0) }), "fingerprints": .array(identity.fingerprints.map { .string($0) })]
    }

    private static func json(_ reported: ReportedIdentity?) -> JSONValue {
        guard let reported else { return .null }
        var o: JSONObject = ["model": .string(reported.model)]
        if let fingerprint = reported.fingerprint { o["fingerprint"] = .string(fingerprint) }
        return .object(o)
    }
}
