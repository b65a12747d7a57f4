@testable import FrontierProviders
import Testing

@Suite struct ServerSentEventParserTests {
    @Test func dispatchesOnBlankLinesWhateverTheSplit() {
        let stream = Array("event: a\ndata: 1\n\n: comment\ndata: x\r\ndata: y\r\n\r\ndata:z\r\rdata: last".utf8)
        for split in 1..<stream.count {
            var parser = ServerSentEventParser()
            var events = parser.feed(stream[..<split])
            events += parser.feed(stream[split...])
            if let tail = parser.finish() { events.append(tail) }
            #expect(events == [
                ServerSentEvent(event: "a", data: Array("1".utf8)),
                ServerSentEvent(data: Array("x\ny".utf8)),
                ServerSentEvent(data: Array("z".utf8)),
                ServerSentEvent(data: Array("last".utf8)),
            ], "split at \(split)")
        }
    }

    @Test func ignoresBlankLinesWithoutData() {
        var parser = ServerSentEventParser()
        #expect(parser.feed("\n\nevent: ping\n\n".utf8).isEmpty)
        #expect(parser.finish() == nil)
    }
}
