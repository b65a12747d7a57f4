public import FrontierCore

/// What the chain holds: a request's record, a feedback record, an event, an exploration, or a canary run.
public enum LedgerEntry: Sendable, Equatable {
    case request(LedgerRecord)
    case feedback(FeedbackRecord)
    case event(LedgerEvent)
    case exploration(ExplorationRecord)
    case canary(CanaryRecord)

    public var request: LedgerRecord? {
        if case .request(let r) = self { r } else { nil }
    }

    public var feedback: FeedbackRecord? {
        if case .feedback(let f) = self { f } else { nil }
    }

    public var requestID: String {
        switch self {
        case .request(let r): r.requestID
        case .feedback(let f): f.requestID
        case .event(let e): e.requestID
        case .exploration(let x): x.requestID
        case .canary(let c): c.requestID
        }
    }

    public var timeMs: Int64 {
        switch self {
        case .request(let r): r.timeMs
        case .feedback(let f): f.timeMs
        case .event(let e): e.timeMs
        case .exploration(let x): x.timeMs
        case .canary(let c): c.timeMs
        }
    }

    public var canonical: [UInt8] {
        switch self {
        case .request(let r): r.canonical
        case .feedback(let f): f.canonical
        case .event(let e): e.canonical
        case .exploration(let x): x.canonical
        case .canary(let c): c.canonical
        }
    }

    /// A stored body read back: feedback, events, explorations and canary runs by their kind, anything else as a request's record.
    public init(json: JSONValue) throws(LedgerError) {
        switch json["kind"]?.stringValue {
        case FeedbackRecord.kind: self = .feedback(try FeedbackRecord(json: json))
        case LedgerEvent.kind: self = .event(try LedgerEvent(json: json))
        case ExplorationRecord.kind: self = .exploration(try ExplorationRecord(json: json))
        case CanaryRecord.kind: self = .canary(try CanaryRecord(json: json))
        default: self = .request(try LedgerRecord(json: json))
        }
    }
}
