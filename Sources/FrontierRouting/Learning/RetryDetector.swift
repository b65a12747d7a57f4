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

    private var last: [Int: (answer: Answer, sequence: Int)] = [:]
    /// Conversations in the order their answers came (each answer's number and time), to forget the oldest. A
    /// conversation answered again leaves its older entry behind; ``compact()`` drops those before they pile up.
    private var order: [(conversation: Int, sequence: Int, timeMs: Int64)] = []
    private var head = 0
    private var sequence = 0

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
        if let previous = last[conversation]?.answer, previous.requestID != requestID, nowMs - previous.timeMs <= windowMs {
            repeated = previous
            last[conversation] = nil
        }
        if let model {
            sequence += 1
            last[conversation] = (Answer(requestID: requestID, model: model, timeMs: nowMs), sequence)
            order.append((conversation, sequence, nowMs))
            while last.count > capacity { forgetOldest() }
            if order.count - head > 2 * capacity + 1_024 { compact() }
        }
        return repeated
    }

    private mutating func forget(before cutoff: Int64) {
        while head < order.count, order[head].timeMs < cutoff { forgetOldest() }
    }

    private mutating func forgetOldest() {
        guard head < order.count else { return }
        let (conversation, number, _) = order[head]
        head += 1
        // Only if it is still that answer: a newer one for the same conversation stays.
        if last[conversation]?.sequence == number { last[conversation] = nil }
        if head > 1_024, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }

    /// The order of the answers still kept, without the entries of answers since replaced.
    private mutating func compact() {
        order = last.map { ($0.key, $0.value.sequence, $0.value.answer.timeMs) }.sorted { $0.sequence < $1.sequence }
        head = 0
    }

    /// Entries kept for the order of forgetting (for the test of its bound).
    var orderCount: Int { order.count - head }
}
