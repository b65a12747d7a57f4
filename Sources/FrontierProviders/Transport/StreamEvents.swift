public import AsyncAlgorithms

/// A stream's events, handed over in batches: everything the pump parsed out
/// of one upstream read crosses from its task to the consumer in one step
/// instead of one rendezvous each, and the consumer can tell (``AsyncIterator/hasBuffered``)
/// whether more is at hand, to write it to the client in one go. Nothing waits to fill a
/// batch: an upstream that sends one event a read gives batches of one.
public struct StreamEvents: AsyncSequence, Sendable {
    public typealias Element = StreamEvent
    let batches: AsyncThrowingChannel<[StreamEvent], any Error>

    public init(_ batches: AsyncThrowingChannel<[StreamEvent], any Error>) {
        self.batches = batches
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(batches: batches.makeAsyncIterator(), buffer: [])
    }

    /// An iterator that first yields `leftover` (what an earlier iterator had taken from the channel and not
    /// yielded), then goes on with the stream.
    public func iterator(startingWith leftover: [StreamEvent]) -> AsyncIterator {
        AsyncIterator(batches: batches.makeAsyncIterator(), buffer: leftover)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var batches: AsyncThrowingChannel<[StreamEvent], any Error>.AsyncIterator
        var buffer: [StreamEvent]
        var index = 0

        init(batches: AsyncThrowingChannel<[StreamEvent], any Error>.AsyncIterator, buffer: [StreamEvent]) {
            self.batches = batches
            self.buffer = buffer
        }

        public mutating func next() async throws -> StreamEvent? {
            while index == buffer.count {
                guard let batch = try await batches.next() else { return nil }
                (buffer, index) = (batch, 0)
            }
            defer { index += 1 }
            return buffer[index]
        }

        /// Whether the next event is already here (``next()`` returns it without waiting).
        public var hasBuffered: Bool { index < buffer.count }

        /// The events taken from the channel and not yet yielded.
        public var leftover: [StreamEvent] { Array(buffer[index...]) }
    }
}
