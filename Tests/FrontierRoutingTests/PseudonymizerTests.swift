import Foundation
import FrontierCore
@testable import FrontierRouting
import Testing

@Suite struct PseudonymizerTests {
    private func request(_ json: String) throws -> ChatRequest {
        try ChatRequest(json: JSONParser.parse(json))
    }

    private func strings(_ value: JSONValue) -> [String] {
        switch value {
        case .string(let s): return [s]
        case .array(let items): return items.flatMap(strings)
        case .object(let members): return members.flatMap { strings($0.value) }
        default: return []
        }
    }

    @Test func everyValueIsReplacedEverywhereWithOnePlaceholderPerValue() throws {
        let chat = try request(#"""
            {"model":"gpt","messages":[
              {"role":"system","content":"You help the ward clerk."},
              {"role":"user","content":"Patient: Jane Doe, MRN: 00482913, email jane.doe@example.org. Write to Jane Doe."},
              {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"lookup","arguments":"{\"mrn\":\"00482913\"}"}}]},
              {"role":"tool","tool_call_id":"c1","content":"MRN 00482913 belongs to Jane Doe"}],
             "user":"jane.doe@example.org"}
            """#)
        var pseudonyms = Pseudonymizer()
        let result = pseudonyms.mask(chat, detector: PIIDetector())
        let masked = try #require(result)
        let sent = strings(.object(masked.body)).joined(separator: "\n")
        for value in ["Jane Doe", "00482913", "jane.doe@example.org"] { #expect(!sent.contains(value), "\(value) left in \(sent)") }
        #expect(sent.contains("<MRN_1>"))
        #expect(sent.contains("<EMAIL_1>"))
        #expect(!sent.contains("<MRN_2>"))  // the same number is the same placeholder in every field
        #expect(pseudonyms.counts[.medicalRecordNumber] == 1)
        #expect(pseudonyms.restore("Dear <PERSON_1>, about <MRN_1>.") == "Dear Jane Doe, about 00482913.")
        #expect(masked.native == nil)
    }

    @Test func aValueSplitAcrossTwoFieldsIsNotMaskedAndTheRequestStaysInItsZone() throws {
        let chat = try request(#"{"model":"gpt","messages":[{"role":"user","content":"card 4111 1111"},{"role":"user","content":"1111 1111 please"}]}"#)
        var pseudonyms = Pseudonymizer()
        #expect(pseudonyms.mask(chat, detector: PIIDetector()) == nil)
    }

    @Test func contentThatCannotBeScannedIsNeverMasked() throws {
        let chat = try request(#"{"model":"gpt","messages":[{"role":"user","content":[{"type":"text","text":"jane@example.org"},{"type":"image_url","image_url":{"url":"https://x.example/a.png"}}]}]}"#)
        var pseudonyms = Pseudonymizer()
        #expect(pseudonyms.mask(chat, detector: PIIDetector()) == nil)
    }

    @Test func aPlaceholderTheRequestAlreadyHoldsIsNotReused() throws {
        let chat = try request(#"{"model":"gpt","messages":[{"role":"user","content":"Template <EMAIL_1> goes to jane@example.org"}]}"#)
        var pseudonyms = Pseudonymizer()
        let result = pseudonyms.mask(chat, detector: PIIDetector())
        let masked = try #require(result)
        #expect(masked.messages[0].content.stringValue == "Template <EMAIL_1> goes to <EMAIL_2>")
        #expect(pseudonyms.restore("<EMAIL_1> <EMAIL_2>") == "<EMAIL_1> jane@example.org")
    }

    @Test func restoringInsideAJSONStringEscapesTheValue() throws {
        let chat = try request(#"{"model":"gpt","messages":[{"role":"user","content":"Patient: Jane \"JJ\" Doe"}]}"#)
        var pseudonyms = Pseudonymizer()
        _ = pseudonyms.mask(chat, detector: PIIDetector(operatorRules: OperatorRecognizers(patterns: [
            try PatternRecognizer(name: "nick", category: .personName, pattern: #"Jane "JJ" Doe"#)
        ])))
        let arguments = #"{"name":"<PERSON_1>"}"#
        let restored = pseudonyms.restore(arguments, jsonString: true)
        #expect(try JSONParser.parse(restored)["name"]?.stringValue == #"Jane "JJ" Doe"#)
    }

    @Test func aStreamRestoresAPlaceholderSplitAnywhere() throws {
        let chat = try request(#"{"model":"gpt","messages":[{"role":"user","content":"Patient: Jane Doe, MRN: 00482913"}]}"#)
        var pseudonyms = Pseudonymizer()
        #expect(pseudonyms.mask(chat, detector: PIIDetector()) != nil)
        let answer = "Dear <PERSON_1>, your record <MRN_1> is ready. 3 < 4 and <b>bold</b> <MRN_9> <"
        let expected = "Dear Jane Doe, your record 00482913 is ready. 3 < 4 and <b>bold</b> <MRN_9> <"
        let bytes = Array(answer.utf8)
        // Every way of cutting the answer in two, and many in pieces of every size.
        for cut in 0...bytes.count {
            var stream = PlaceholderStream(pseudonyms)
            let out = stream.feed(String(decoding: bytes[..<cut], as: UTF8.self)) + stream.feed(String(decoding: bytes[cut...], as: UTF8.self)) + stream.finish()
            #expect(out == expected, "cut at \(cut)")
        }
        for size in 1...9 {
            var stream = PlaceholderStream(pseudonyms)
            var out = ""
            var i = 0
            while i < bytes.count {
                out += stream.feed(String(decoding: bytes[i..<min(bytes.count, i + size)], as: UTF8.self))
                i += size
            }
            out += stream.finish()
            #expect(out == expected, "pieces of \(size)")
        }
    }

    @Test func restoreOfMaskIsTheOriginalOnRandomTexts() throws {
        var rng = SeededGenerator(seed: 11)
        let pieces = ["Patient: Jane Doe", " MRN: 00482913", " jane@example.org", " call (415) 555-0132", " <", ">", " <MRN_1>", " text", " é", "\n", " 4111 1111 1111 1111"]
        for _ in 0..<500 {
            let text = (0..<Int.random(in: 1...8, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let chat = try ChatRequest(json: .object(["model": "gpt", "messages": [["role": "user", "content": .string(text)]]]))
            var pseudonyms = Pseudonymizer()
            guard let masked = pseudonyms.mask(chat, detector: PIIDetector()) else { continue }
            let sent = try #require(masked.messages[0].content.stringValue)
            #expect(pseudonyms.restore(sent) == text, "\(text.debugDescription)")
        }
    }
}
