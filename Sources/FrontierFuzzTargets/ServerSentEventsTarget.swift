import FrontierCore
import FrontierProviders

extension FuzzTarget {
    /// The upstream stream parser and both stream translators: the events do not
    /// depend on how the bytes were split, every event stays under the limit, and
    /// the translators never trap on what an upstream might send.
    public static let serverSentEvents = FuzzTarget(name: "sse") { bytes in
        func events(splitAt split: Int) -> [ServerSentEvent]? {
            var parser = ServerSentEventParser(maxEventBytes: 4_096)
            do {
                var out = try parser.feed(bytes[..<split])
                out += try parser.feed(bytes[split...])
                if let tail = parser.finish() { out.append(tail) }
                return out
            } catch {
                return nil
            }
        }
        let whole = events(splitAt: bytes.count)
        let split = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
        let parts = events(splitAt: split)
        precondition((whole == nil) == (parts == nil), "the event limit depends on the split")
        precondition(whole == parts, "events differ when the bytes are split at \(split)")
        for event in whole ?? [] { precondition(event.data.count <= 4_096, "an event over the limit got through") }
        var openAI = OpenAIStreamTranslator(promptTokenEstimate: 0)
        var anthropic = AnthropicStreamTranslator(created: 0)
        for event in whole ?? [] {
            if let chunks = try? openAI.translate(event) {
                for case .chunk(let data) in chunks { precondition(!data.contains(0x0A) && !data.contains(0x0D), "a relayed chunk holds a line break") }
            }
            _ = try? anthropic.translate(event)
        }
        _ = try? openAI.finish()
        _ = try? anthropic.finish()
    }
}
