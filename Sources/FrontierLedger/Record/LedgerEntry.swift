public import FrontierCore

/// What the chain holds: a request's record, a feedback record, an event, or an exploration.
public enum LedgerEntry: Sendable, Equatable {
    case request(LedgerRecord)
    case feedback(FeedbackRecord)
    case event(LedgerEvent)
    case exploration(ExplorationRecord)

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
        }
    }

    public var timeMs: Int64 {
        switch self {
        case .request(let r): r.timeMs
        case .feedback(let f): f.timeMs
        case .event(let e): e.timeMs
        case .exploration(let x): x.timeMs
        }
    }

    public var canonical: [UInt8] {
        switch self {
        case .request(let r): r.canonical
        case .feedback(let f): f.canonical
        case .event(let e): e.canonical
        case .exploration(let x): x.canonical
        }
    }

    /// A stored body read back: feedback, events and explorations by their kind, anything else as a request's record.
    public init(json: JSONValue) throws(LedgerError) {
        switch json["kind"]?.stringValue {
        case FeedbackRecord.kind: self = .feedback(try FeedbackRecord(json: json))
        case LedgerEvent.kind: self = .event(try LedgerEvent(json: json))
        case ExplorationRecord.kind: self = .exploration(try ExplorationRecord(json: json))
        default: self = .request(try LedgerRecord(json: json))
        }
    }
}
