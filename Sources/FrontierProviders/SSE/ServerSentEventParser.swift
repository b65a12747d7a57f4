/// One server-sent event: its `event:` name (nil for the default "message") and joined `data:` lines.
public struct ServerSentEvent: Sendable, Equatable {
    public var event: String?
    public var data: [UInt8]

    public init(event: String? = nil, data: [UInt8]) {
        self.event = event
        self.data = data
    }
}

/// Splits a byte stream into server-sent events, incrementally: feed it
/// chunks as they arrive, in any split, and take the complete events.
///
/// Follows the WHATWG EventSource rules that matter to LLM APIs: CRLF, LF
/// or CR line ends, several `data:` lines joined by LF, comments (`:`)
/// ignored, an event dispatched on a blank line.
///
/// An event may hold at most `maxEventBytes` (its lines and data together):
/// an upstream that never sends a newline fails the stream instead of growing
/// the gateway's memory until its total timeout.
public struct ServerSentEventParser: Sendable {
    /// An event (or a line) longer than the limit.
    public struct EventTooLong: Error, Equatable {
        public var limit: Int
    }

    public static let defaultMaxEventBytes = 1 << 20

    public let maxEventBytes: Int
    private var line: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false
    private var event: String?
    private var lastWasCR = false

    public init(maxEventBytes: Int = defaultMaxEventBytes) {
        self.maxEventBytes = maxEventBytes
    }

    /// Bytes held back for an event not yet complete; large values mean a stream without blank lines.
    public var pendingByteCount: Int { line.count + data.count }

    public mutating func feed(_ bytes: some Sequence<UInt8>) throws(EventTooLong) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            if byte == 0x0A, lastWasCR {
                lastWasCR = false
                continue
            }
            lastWasCR = byte == 0x0D
            if byte == 0x0A || byte == 0x0D {
                if let event = endLine() { events.append(event) }
            } else {
                line.append(byte)
                if line.count + data.count > maxEventBytes { throw EventTooLong(limit: maxEventBytes) }
            }
        }
        return events
    }

    /// Ends the stream; returns an event whose blank line never came, if any.
    public mutating func finish() -> ServerSentEvent? {
        if !line.isEmpty { _ = endLine() }
        return endLine()
    }

    private mutating func endLine() -> ServerSentEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty {
            guard hasData else {
                event = nil
                return nil
            }
            let dispatched = ServerSentEvent(event: event, data: data)
            data.removeAll(keepingCapacity: true)
            hasData = false
            event = nil
            return dispatched
        }
        if line[0] == UInt8(ascii: ":") { return nil }
        let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.endIndex
        let field = line[..<colon]
        var valueStart = colon < line.endIndex ? colon + 1 : colon
        if valueStart < line.endIndex, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        let value = line[valueStart...]
        if field.elementsEqual("data".utf8) {
            if hasData { data.append(0x0A) }
            data.append(contentsOf: value)
            hasData = true
        } else if field.elementsEqual("event".utf8) {
            event = String(decoding: value, as: UTF8.self)
        }
        return nil
    }
}
