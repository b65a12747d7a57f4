import Foundation
public import FrontierCore

/// Every model's history as the ledger tells it: identities established and changed, pins answered by another
/// model, drift alarms with their evidence and action, canary runs with theirs, recoveries, resets.
/// `frontier drift report` prints the timeline, `frontier models list` each model's state now; both read this one
/// reading, and the gateway restores its degraded marks from it.
public struct DriftReport: Sendable {
    /// The model events, oldest first.
    public var events: [LedgerEvent]
    /// The canary runs, oldest first.
    public var canaries: [CanaryRecord]

    public init(events: [LedgerEvent], canaries: [CanaryRecord] = []) {
        self.events = events.sorted { $0.timeMs < $1.timeMs }
        self.canaries = canaries.sorted { $0.timeMs < $1.timeMs }
    }

    /// The model events and the canary runs of `models` in `store` (found by their names, not by scanning every record).
    public static func read(from store: any LedgerStore, models: [String] = []) async throws -> DriftReport {
        var events: [LedgerEvent] = []
        for name in LedgerEvent.modelEvents {
            for stored in try await store.records(requestID: "event:" + name) {
                if case .event(let event) = try LedgerEntry(json: try JSONParser.parse(stored.body)) { events.append(event) }
            }
        }
        var canaries: [CanaryRecord] = []
        for model in models {
            for stored in try await store.records(requestID: CanaryRecord.requestID(model: model)) {
                if case .canary(let run) = try LedgerEntry(json: try JSONParser.parse(stored.body)) { canaries.append(run) }
            }
        }
        return DriftReport(events: events, canaries: canaries)
    }

    /// Events and canary runs in time order.
    enum Entry {
        case event(LedgerEvent)
        case canary(CanaryRecord)

        var timeMs: Int64 {
            switch self {
            case .event(let e): e.timeMs
            case .canary(let c): c.timeMs
            }
        }
    }

    var entries: [Entry] {
        (events.map(Entry.event) + canaries.map(Entry.canary)).enumerated().sorted { a, b in
            a.element.timeMs != b.element.timeMs ? a.element.timeMs < b.element.timeMs : a.offset < b.offset
        }.map(\.element)
    }

    /// Each model's degraded mark as the ledger last left it: alarms and canary runs that degraded, less
    /// recoveries and resets (what a restarted gateway routes by).
    public func marks() -> [String: (drop: Double, signal: String, sinceMs: Int64)] {
        var marks: [String: (drop: Double, signal: String, sinceMs: Int64)] = [:]
        for entry in entries {
            switch entry {
            case .event(let event):
                switch event.name {
                case LedgerEvent.driftAlarm where event.detail["action"]?.stringValue == "degraded":
                    marks[event.subject] = (event.detail["quality_drop"]?.doubleValue ?? 0, event.detail["signal"]?.stringValue ?? "unknown", event.timeMs)
                case LedgerEvent.driftRecovered, LedgerEvent.driftBaselineReset:
                    marks[event.subject] = nil
                default:
                    break
                }
            case .canary(let run):
                if run.action == "degraded" { marks[run.model] = (run.comparison["score_drop"]?.doubleValue ?? 0, "canary", run.timeMs) }
                if run.action == "recovered", marks[run.model]?.signal == "canary" { marks[run.model] = nil }
            }
        }
        return marks
    }

    public struct ModelState: Sendable, Equatable {
        public var model: String
        /// The last identity recorded (established or changed to), as text.
        public var identity: String?
        public var identityChanges = 0
        public var lastIdentityChangeMs: Int64?
        /// The last pinned-identity mismatch, as reported.
        public var pinMismatch: String?
        /// Set while an alarm that degraded the model has not been followed by a recovery or a reset.
        public var degraded: (drop: Double, signal: String, sinceMs: Int64)?
        public var alarms = 0
        /// The last canary run: when, its mean score, its action.
        public var lastCanary: (timeMs: Int64, score: Double?, action: String)?

        public static func == (a: ModelState, b: ModelState) -> Bool {
            a.model == b.model && a.identity == b.identity && a.identityChanges == b.identityChanges && a.pinMismatch == b.pinMismatch
                && a.degraded?.drop == b.degraded?.drop && a.degraded?.signal == b.degraded?.signal && a.alarms == b.alarms
                && a.lastCanary?.timeMs == b.lastCanary?.timeMs && a.lastCanary?.action == b.lastCanary?.action
        }
    }

    /// Each of `models` (the catalog's) as its events and canary runs leave it, in catalog order.
    public func states(models: [String]) -> [ModelState] {
        var byModel = Dictionary(uniqueKeysWithValues: models.map { ($0, ModelState(model: $0)) })
        let marks = marks()
        for run in canaries { byModel[run.model]?.lastCanary = (run.timeMs, run.meanScore, run.action) }
        for event in events {
            guard var state = byModel[event.subject] else { continue }
            switch event.name {
            case LedgerEvent.identityEstablished:
                state.identity = Self.identity(event.detail["identity"])
            case LedgerEvent.identityChanged:
                state.identity = Self.identity(event.detail["to"])
                state.identityChanges += 1
                state.lastIdentityChangeMs = event.timeMs
            case LedgerEvent.identityPinMismatch:
                state.pinMismatch = Self.reported(event.detail["reported"])
            case LedgerEvent.driftAlarm:
                state.alarms += 1
            case LedgerEvent.driftBaselineReset:
                state.pinMismatch = nil
            default:
                break
            }
            byModel[event.subject] = state
        }
        for (model, mark) in marks { byModel[model]?.degraded = mark }
        return models.compactMap { byModel[$0] }
    }

    /// One line per event and canary run: when, which model, what, and its evidence.
    public func timeline() -> String {
        guard !events.isEmpty || !canaries.isEmpty else { return "no identity change, pin mismatch, drift alarm or canary run is in the ledger" }
        return entries.map { entry in
            guard case .event(let event) = entry else {
                guard case .canary(let run) = entry else { return "" }
                return "\(ISOTime.string(ms: run.timeMs))  \(run.model)  " + Self.describe(run)
            }
            let d = event.detail
            let what: String = switch event.name {
            case LedgerEvent.identityEstablished: "identity established: \(Self.identity(d["identity"]) ?? "?")"
            case LedgerEvent.identityChanged: "identity changed: \(Self.identity(d["from"]) ?? "?") -> \(Self.identity(d["to"]) ?? "?")"
            case LedgerEvent.identityPinMismatch:
                "pinned \(d["expected"]?.stringValue ?? "?") answered as \(Self.reported(d["reported"]) ?? "an unnamed model") (\(d["action"]?.stringValue ?? "?"))"
            case LedgerEvent.driftAlarm:
                "drift alarm on \(d["signal"]?.stringValue ?? "?"): baseline \(Self.number(d["baseline"])), recent \(Self.number(d["recent"])) "
                    + "after \(d["scores_watched"]?.intValue ?? 0) scores (drop \(Self.number(d["quality_drop"])), threshold \(Self.number(d["max_quality_drop"]))) -> \(d["action"]?.stringValue ?? "?")"
            case LedgerEvent.driftRecovered:
                "recovered on \(d["signal"]?.stringValue ?? "?"): baseline \(Self.number(d["baseline"])), now \(Self.number(d["now"]))"
            case LedgerEvent.driftBaselineReset: "baseline reset by the operator" + (d["reason"]?.stringValue.map { ": \($0)" } ?? "")
            default: event.name
            }
            return "\(ISOTime.string(ms: event.timeMs))  \(event.subject)  \(what)"
        }.joined(separator: "\n")
    }

    /// A canary run in one line: trigger, status, score against the baseline, answers changed, cost, action.
    static func describe(_ run: CanaryRecord) -> String {
        let c = run.comparison
        var parts = ["canary (\(run.trigger)): \(run.status)"]
        if let score = run.meanScore { parts.append(String(format: "score %.4f", score)) }
        if let baseline = c["baseline_score"]?.doubleValue { parts.append(String(format: "baseline %.4f", baseline)) }
        if let changed = c["answers_changed"]?.doubleValue { parts.append(String(format: "answers changed %.0f%%", changed * 100)) }
        if let p = c["distribution_p"]?.doubleValue { parts.append(String(format: "p %.4f", p)) }
        parts.append(String(format: "$%.4f of $%.2f", run.costUSD, run.capUSD))
        if !run.identities.isEmpty { parts.append("as " + run.identities.joined(separator: ", ")) }
        return parts.joined(separator: ", ") + " -> \(run.action)"
    }

    static func identity(_ json: JSONValue?) -> String? {
        guard let models = json?["models"]?.arrayValue?.compactMap(\.stringValue), !models.isEmpty else { return nil }
        let fingerprints = json?["fingerprints"]?.arrayValue?.compactMap(\.stringValue) ?? []
        return models.joined(separator: ", ") + (fingerprints.isEmpty ? "" : " (" + fingerprints.joined(separator: ", ") + ")")
    }

    static func reported(_ json: JSONValue?) -> String? {
        guard let model = json?["model"]?.stringValue else { return nil }
        return json?["fingerprint"]?.stringValue.map { "\(model) (\($0))" } ?? model
    }

    static func number(_ json: JSONValue?) -> String {
        json?.doubleValue.map { String(format: "%.4f", $0) } ?? "?"
    }
}
