public import FrontierCore

/// One catalog model's reported identity as a plain state machine: answers in, changes out, wall time injected.
///
/// Identity strings are noisy (OpenAI's `system_fingerprint` takes several values over identical calls, one per
/// serving pool), so the identity is the *set* of values seen: the first `warmup` answers make the baseline, and
/// after it a value outside the set is a change only once it persists, `persistence` answers within `window`. A
/// one-off value never is; a new model name is at its first answer (the name is not noise). Values not seen for
/// `window` leave the set, so a build that comes back after a month is a change again. Memory is bounded: at most
/// `maxValues` known and `maxValues` pending values, however many an upstream invents.
///
/// ```swift
/// var tracker = IdentityTracker(settings: .init())
/// if case .changed(let from, let to) = tracker.observe(identity, nowMs: now) { ...record the change... }
/// ```
public struct IdentityTracker: Sendable {
    public struct Settings: Sendable, Equatable {
        /// Answers that make the first baseline (every value they report is the identity).
        public var warmup: Int
        /// Answers a new fingerprint must appear in, within `window`, to be a change.
        public var persistence: Int
        /// How long a value stays known without being seen, and how long a pending one has to persist.
        public var windowMs: Int64
        public var maxValues: Int

        public init(warmup: Int = 20, persistence: Int = 3, windowMs: Int64 = 7 * 86_400_000, maxValues: Int = 16) {
            self.warmup = max(1, warmup)
            self.persistence = max(1, persistence)
            self.windowMs = max(1, windowMs)
            self.maxValues = max(1, maxValues)
        }
    }

    /// The identity as a set of values: the model names and fingerprints seen.
    public struct Identity: Sendable, Equatable, CustomStringConvertible {
        public var models: [String]
        public var fingerprints: [String]

        public init(models: [String], fingerprints: [String]) {
            (self.models, self.fingerprints) = (models.sorted(), fingerprints.sorted())
        }

        public var description: String {
            fingerprints.isEmpty ? models.joined(separator: ", ") : "\(models.joined(separator: ", ")) (\(fingerprints.joined(separator: ", ")))"
        }
    }

    public enum Observation: Sendable, Equatable {
        /// The baseline is complete with this answer.
        case established(Identity)
        /// Nothing new, or still learning the baseline, or a new value not (yet) persistent.
        case unchanged
        /// A new value persisted: the identity before and after.
        case changed(from: Identity, to: Identity)
    }

    public let settings: Settings
    public private(set) var answers = 0
    /// Known values -> when last seen (ms).
    private var models: [String: Int64] = [:]
    private var fingerprints: [String: Int64] = [:]
    /// New fingerprints -> (first seen, sightings).
    private var pending: [String: (first: Int64, count: Int)] = [:]
    /// When values were last aged out: at most every window/168 (an hour of a week), not on every answer.
    private var sweptAtMs = Int64.min

    public init(settings: Settings) {
        self.settings = settings
    }

    /// A tracker that starts from a known identity (the last one the ledger recorded), not from a new warm-up.
    public init(settings: Settings, baseline: Identity, nowMs: Int64) {
        self.settings = settings
        answers = settings.warmup
        for model in baseline.models.prefix(settings.maxValues) { models[model] = nowMs }
        for fingerprint in baseline.fingerprints.prefix(settings.maxValues) { fingerprints[fingerprint] = nowMs }
    }

    /// The identity now; nil before the first answer.
    public var identity: Identity? {
        models.isEmpty ? nil : Identity(models: Array(models.keys), fingerprints: Array(fingerprints.keys))
    }

    public var isEstablished: Bool { answers >= settings.warmup }

    /// New fingerprints waiting to persist (bounded by `maxValues`).
    public var pendingCount: Int { pending.count }

    public mutating func observe(_ reported: ReportedIdentity, nowMs: Int64) -> Observation {
        if sweptAtMs == .min || nowMs.subtractingReportingOverflow(sweptAtMs).partialValue >= max(1, settings.windowMs / 168) || nowMs < sweptAtMs {
            sweptAtMs = nowMs
            forget(before: nowMs.subtractingReportingOverflow(settings.windowMs).partialValue)
        }
        if !isEstablished {
            answers += 1
            remember(reported.model, in: &models, nowMs)
            if let fingerprint = reported.fingerprint { remember(fingerprint, in: &fingerprints, nowMs) }
            guard isEstablished, let identity else { return .unchanged }
            return .established(identity)
        }
        answers = answers == Int.max ? answers : answers + 1
        let newModel = models[reported.model] == nil
        var persisted: String?
        if let fingerprint = reported.fingerprint {
            if fingerprints[fingerprint] != nil {
                fingerprints[fingerprint] = nowMs
            } else {
                var sighting = pending[fingerprint] ?? (nowMs, 0)
                sighting.count += 1
                if sighting.count >= settings.persistence {
                    pending[fingerprint] = nil
                    persisted = fingerprint
                } else {
                    pending[fingerprint] = sighting
                    if pending.count > settings.maxValues, let oldest = pending.min(by: { $0.value.first < $1.value.first })?.key {
                        pending[oldest] = nil
                    }
                }
            }
        }
        guard newModel || persisted != nil else {
            models[reported.model] = nowMs
            return .unchanged
        }
        // Only a change builds the identity's value (sorted arrays): the usual answer allocates nothing here.
        guard let before = identity else { return .unchanged }
        // A new name: the model behind it is another one. The old names stay until they age out.
        remember(reported.model, in: &models, nowMs)
        if let persisted { remember(persisted, in: &fingerprints, nowMs) }
        guard let after = identity else { return .unchanged }
        return .changed(from: before, to: after)
    }

    /// Values last seen before `cutoff` leave the set; pending ones that did not persist in time are dropped.
    private mutating func forget(before cutoff: Int64) {
        if models.count > 1 { models = models.filter { $0.value >= cutoff } }
        fingerprints = fingerprints.filter { $0.value >= cutoff }
        pending = pending.filter { $0.value.first >= cutoff }
    }

    private func remember(_ value: String, in set: inout [String: Int64], _ nowMs: Int64) {
        set[value] = nowMs
        if set.count > settings.maxValues, let oldest = set.min(by: { $0.value < $1.value })?.key { set[oldest] = nil }
    }
}
