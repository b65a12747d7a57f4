import FrontierCore
import FrontierRouting

extension FuzzTarget {
    /// Pseudonymisation on any text: what the model is sent, restored, is the text itself (restore(mask(x)) == x),
    /// and the same restored piece by piece, as a stream is, gives the same text.
    public static let pseudonymize = FuzzTarget(name: "pseudonymize") { bytes in
        let text = String(decoding: bytes, as: UTF8.self)
        let request = ChatRequest(model: "m", messages: [ChatMessage(role: "user", content: .string(text))])
        var pseudonyms = Pseudonymizer()
        guard let masked = pseudonyms.mask(request, detector: PIIDetector()), let sent = masked.messages.first?.content.stringValue else { return }
        precondition(pseudonyms.restore(sent) == text, "restore(mask(x)) != x")
        // The masked text as a model might echo it, cut every few bytes (the first byte picks how many).
        let size = 1 + Int(bytes.first ?? 0) % 9
        var stream = PlaceholderStream(pseudonyms)
        var out = ""
        var rest = Substring(sent)
        while !rest.isEmpty {
            out += stream.feed(String(rest.prefix(size)))
            rest = rest.dropFirst(size)
        }
        out += stream.finish()
        precondition(out == text, "a streamed restore differs from the whole one")
    }
}
