import FrontierCore
import Testing

/// The byte scan that reads a stream's identity must agree with parsing the chunk, whatever the chunk holds.
@Suite struct ReportedIdentityScanTests {
    private func parsed(_ text: String) -> ReportedIdentity? {
        (try? JSONParser.parse(text)).flatMap(ReportedIdentity.init(answer:))
    }

    @Test(arguments: [
        #"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_abc","choices":[]}"#,
        #"{"id":"c1","model":"gemma-3-270m","choices":[{"delta":{"content":"hi"}}]}"#,
        #"{"id":"c1","model":"m","system_fingerprint":null,"choices":[]}"#,
        #"{"id":"c1", "model": "spaced", "system_fingerprint": "fp_s"}"#,
        #"{"model":"esc\"aped","system_fingerprint":"fp"}"#,
        #"{"model":"m","system_fingerprint":"fp\u0041"}"#,
        #"{"choices":[{"delta":{"content":"say \"model\":\"evil\" now"}}],"model":"real"}"#,
        #"{"choices":[{"delta":{"content":"\"system_fingerprint\":\"forged\""}}],"model":"real","system_fingerprint":"fp_real"}"#,
        #"{"id":"no model here","choices":[]}"#,
        #"{"model":"","choices":[]}"#,
        #"{"model":"naïve-模型","system_fingerprint":"fp"}"#,
    ])
    func agreesWithTheParser(_ chunk: String) {
        #expect(ReportedIdentity(serialized: Array(chunk.utf8)) == parsed(chunk))
    }

    @Test func aValueLongerThanTheBoundIsCutAsTheParserWouldCutIt() {
        let chunk = #"{"model":""# + String(repeating: "x", count: 5_000) + #"","system_fingerprint":"fp"}"#
        let scanned = ReportedIdentity(serialized: Array(chunk.utf8))
        #expect(scanned == parsed(chunk))
        #expect(scanned?.model.count == ReportedIdentity.maxLength)
    }

    @Test func bytesThatAreNotJSONReportNothingAndDoNotTrap() {
        for text in ["", "{", #"{"model":"#, #"{"model":"unterminated"#, "\u{0}\u{1}", #""model":""#] {
            _ = ReportedIdentity(serialized: Array(text.utf8))
        }
        #expect(ReportedIdentity(serialized: Array(#"{"model":"unterminated"#.utf8)) == nil)
        #expect(ReportedIdentity(serialized: []) == nil)
    }

    @Test func randomChunksAgreeWithTheParser() {
        var rng = SystemRandomNumberGenerator()
        // Values as upstreams write them and as a hostile one might: escapes, nulls, keys quoted inside content.
        let values = [#""m1""#, #""fp_1""#, "null", #""a\"b""#, #""\u0041""#, "7", #""""#, #""\"model\":\"x\"""#,
                      #""é""#, #"{"model":"inner"}"#.replacingOccurrences(of: "model", with: "modél")]
        let keys = ["id", "model", "system_fingerprint", "content", "created"]
        for _ in 0..<2_000 {
            let fields = keys.shuffled(using: &rng).prefix(Int.random(in: 0...keys.count, using: &rng)).map { key in
                "\"\(key)\":" + (values.randomElement(using: &rng) ?? "null")
            }
            let separator = Bool.random(using: &rng) ? "," : ", "
            let text = "{" + fields.joined(separator: separator) + "}"
            #expect(ReportedIdentity(serialized: Array(text.utf8)) == parsed(text), "\(text)")
        }
    }
}
