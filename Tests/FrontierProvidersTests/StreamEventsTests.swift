import AsyncAlgorithms
import FrontierCore
import FrontierProviders
import Testing

/// The batches a stream's events cross in: every event comes out once, in order, whether one iterator reads them
/// all or a second one resumes from the first's leftover (the relay resumes after the opening chunk).
@Suite struct StreamEventsTests {
    static func chunk(_ text: String) -> StreamEvent { .chunk(Array(text.utf8)) }

    @Test func yieldsEveryEventOfEveryBatchInOrderAndSaysWhatIsAtHand() async throws {
        let batches = AsyncThrowingChannel<[StreamEvent], any Error>()
        let producer = Task {
            await batches.send([Self.chunk("a"), Self.chunk("b"), Self.chunk("c")])
            await batches.send([Self.chunk("d")])
            batches.finish()
        }
        var events = StreamEvents(batches).makeAsyncIterator()
        #expect(try await events.next() == Self.chunk("a"))
        #expect(events.hasBuffered)
        #expect(events.leftover == [Self.chunk("b"), Self.chunk("c")])
        #expect(try await events.next() == Self.chunk("b"))
        #expect(try await events.next() == Self.chunk("c"))
        #expect(!events.hasBuffered)
        #expect(try await events.next() == Self.chunk("d"))
        #expect(try await events.next() == nil)
        await producer.value
    }

    @Test func aSecondIteratorStartsWithTheFirstOnesLeftoverThenGoesOn() async throws {
        let batches = AsyncThrowingChannel<[StreamEvent], any Error>()
        let producer = Task {
            await batches.send([Self.chunk("first"), .usage(Usage(promptTokens: 1, completionTokens: 2), chunk: nil), Self.chunk("second")])
            await batches.send([Self.chunk("third")])
            batches.finish()
        }
        let stream = StreamEvents(batches)
        var opening = stream.makeAsyncIterator()
        #expect(try await opening.next() == Self.chunk("first"))
        var rest = stream.iterator(startingWith: opening.leftover)
        var seen: [StreamEvent] = []
        while let event = try await rest.next() { seen.append(event) }
        #expect(seen == [.usage(Usage(promptTokens: 1, completionTokens: 2), chunk: nil), Self.chunk("second"), Self.chunk("third")])
        await producer.value
    }

    @Test func aFailureAfterTheBufferedEventsComesAfterThem() async throws {
        struct Broken: Error {}
        let batches = AsyncThrowingChannel<[StreamEvent], any Error>()
        let producer = Task {
            await batches.send([Self.chunk("a"), Self.chunk("b")])
            batches.fail(Broken())
        }
        var events = StreamEvents(batches).makeAsyncIterator()
        #expect(try await events.next() == Self.chunk("a"))
        #expect(try await events.next() == Self.chunk("b"))
        await #expect(throws: Broken.self) { try await events.next() }
        await producer.value
    }
}
