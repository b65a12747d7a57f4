@testable import FrontierProviders
import Testing

@Suite struct ServerSentEventParserTests {
    @Test func dispatchesOnBlankLinesWhateverTheSplit() throws {
        let stream = Array("event: a\ndata: 1\n\n: comment\ndata: x\r\ndata: y\r\n\r\ndata:z\r\rdata: last".utf8)
        for split in 1..<stream.count {
            var parser = ServerSentEventParser()
            var events = try parser.feed(stream[..<split])
            events += try parser.feed(stream[split...])
            if let tail = parser.finish() { events.append(tail) }
            #expect(events == [
                ServerSentEvent(event: "a", data: Array("1".utf8)),
                ServerSentEvent(data: Array("x\ny".utf8)),
                ServerSentEvent(data: Array("z".utf8)),
                ServerSentEvent(data: Array("last".utf8)),
            ], "split at \(split)")
        }
    }

    @Test func ignoresBlankLinesWithoutData() throws {
        var parser = ServerSentEventParser()
        #expect(try parser.feed("\n\nevent: ping\n\n".utf8).isEmpty)
        #expect(parser.finish() == nil)
    }

    /// An upstream that never sends a line break must not grow the gateway without bound.
    @Test func aLineOverTheLimitFailsInsteadOfGrowing() throws {
        var parser = ServerSentEventParser(maxEventBytes: 1_024)
        #expect(try parser.feed(Array(repeating: UInt8(ascii: "x"), count: 1_000)).isEmpty)
        #expect(throws: ServerSentEventParser.EventTooLong(limit: 1_024)) {
            try parser.feed(Array(repeating: UInt8(ascii: "x"), count: 100))
        }
        // Many data lines of one event count together.
        var lines = ServerSentEventParser(maxEventBytes: 1_024)
        #expect(throws: ServerSentEventParser.EventTooLong.self) {
            try lines.feed(Array(String(repeating: "data: 0123456789\n", count: 100).utf8))
        }
    }
}
