/// Notices a conversation sent again by the same key soon after it was
/// answered: a retry or a regenerate, the client's way of saying the answer
/// did not do. A plain value on an injected clock. It keeps, per conversation
/// (a hash of the key, the model asked for and the messages, never the text), the last answer
/// within the window, at most `capacity` of them, the oldest forgotten first.
/// A conversation is a hash the caller makes (an in-process hash is enough:
/// nothing is stored, and 64 bits over ten thousand entries leave collisions
/// at about one in 10^11).
public struct RetryDetector: Sendable {
    public var windowMs: Int64
    public var capacity: Int

    /// An answered request a later one repeated.
    public struct Answer: Sendable, Equatable {
        public var requestID: String
        public var model: String
        public var timeMs: Int64
    }

    private var last: [Int: Answer] = [:]
    /// Conversations in the order their answer came (with that answer's time), to forget the oldest.
    private var order: [(conversation: Int, timeMs: Int64)] = []
    private var head = 0

    public init(windowMs: Int64, capacity: Int = 10_000) {
        self.windowMs = max(1, windowMs)
        self.capacity = max(1, capacity)
    }

    public var count: Int { last.count }

    /// A request for `conversation` ended at `nowMs`: the earlier answer it repeats within the window, if any
    /// (each answer is repeated once: a third send repeats the second's answer). An answered request
    /// (`answeredBy` a model) is remembered for the next.
    public mutating func ended(conversation: Int, requestID: String, answeredBy model: String?, nowMs: Int64) -> Answer? {
        forget(before: nowMs - windowMs)
        var repeated: Answer?
        if let previous = last[conversation], previous.requestID != requestID, nowMs - previous.timeMs <= windowMs {
            repeated = previous
            last[conversation] = nil
        }
        if let model {
            last[conversation] = Answer(requestID: requestID, model: model, timeMs: nowMs)
            order.append((conversation, nowMs))
            while last.count > capacity { forgetOldest() }
        }
        return repeated
    }

    private mutating func forget(before cutoff: Int64) {
        while head < order.count, order[head].timeMs < cutoff { forgetOldest() }
    }

    private mutating func forgetOldest() {
        guard head < order.count else { return }
        let (conversation, time) = order[head]
        head += 1
        // Only if it is still that answer: a newer one for the same conversation stays.
        if last[conversation]?.timeMs == time { last[conversation] = nil }
        if head > 1_024, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }
}
