public import FrontierCore

/// Something the gateway decided or noticed by itself that an auditor should find
/// in the chain beside the requests it affected: an experiment stopped by its
/// guard, a model's identity established or changed, a pin answered by another
/// model, a drift alarm with its evidence and action, a recovery, an operator's
/// baseline reset. Its own record kind (`event`), hash-chained like every record.
public struct LedgerEvent: Sendable, Equatable {
    public static let kind = "event"
    public static let experimentStopped = "experiment_stopped"
    public static let identityEstablished = "identity_established"
    public static let identityChanged = "identity_changed"
    public static let identityPinMismatch = "identity_pin_mismatch"
    public static let driftAlarm = "drift_alarm"
    public static let driftRecovered = "drift_recovered"
    public static let driftBaselineReset = "drift_baseline_reset"
    /// The events about models, in the order a model's history reads them.
    public static let modelEvents = [identityEstablished, identityChanged, identityPinMismatch, driftAlarm, driftRecovered, driftBaselineReset]

    /// What happened (`experiment_stopped`).
    public var name: String
    public var timeMs: Int64
    /// What it happened to (the candidate router version, a model id).
    public var subject: String
    /// The figures behind it (never a prompt).
    public var detail: JSONValue

    public init(name: String, timeMs: Int64, subject: String, detail: JSONValue = .object([:])) {
        self.name = name
        self.timeMs = timeMs
        self.subject = subject
        self.detail = detail
    }

    /// The `request_id` column of an event: no request, so its name (events are found by it).
    public var requestID: String { "event:" + name }

    public var canonical: [UInt8] {
        var w = CanonicalObjectWriter()
        w.field("detail", detail)
        w.field("event", name)
        w.field("kind", Self.kind)
        w.field("subject", subject)
        w.field("time_ms", timeMs)
        return w.finish()
    }

    public init(json: JSONValue) throws(LedgerError) {
        guard json["kind"]?.stringValue == Self.kind, let name = json["event"]?.stringValue, let subject = json["subject"]?.stringValue,
              let time = json["time_ms"]?.intValue
        else { throw LedgerError.corrupt("an event record lacks its event, subject or time_ms") }
        self.init(name: name, timeMs: Int64(time), subject: subject, detail: json["detail"] ?? .object([:]))
    }
}
