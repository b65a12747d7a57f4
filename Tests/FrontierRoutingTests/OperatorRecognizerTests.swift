import Foundation
import FrontierCore
@testable import FrontierRouting
import Testing

/// The operator's own recognizers and deny lists inside the detector: on the normalised text (so the evasion
/// defences hold for them), with context and check digits, before the built-in rules, never keeping a term.
@Suite struct OperatorRecognizerTests {
    /// An invented hospital format: HSP- then seven digits and a mod-11 check digit.
    static func hospitalNumber(_ seed: Int) -> String {
        var payload = String(format: "%07d", (seed * 7_919 + 1_234_567) % 10_000_000)
        while true {
            let digits = payload.utf8.map { Int($0) - 48 }
            let sum = digits.reversed().enumerated().reduce(0) { $0 + $1.element * ($1.offset + 2) }
            let check = (11 - sum % 11) % 11
            if check != 10 { return "HSP-\(payload)\(check)" }
            payload = String(format: "%07d", (Int(payload)! + 1) % 10_000_000)
        }
    }

    static let hsp = OperatorRecognizers(patterns: [
        try! PatternRecognizer(name: "hsp", category: .medicalRecordNumber, pattern: "\\bHSP-?\\s?[0-9]{8}\\b", validation: .mod11)
    ])

    @Test func aCustomFormatIsFoundWithItsCheckDigitAndOnlyThen() throws {
        let detector = PIIDetector(operatorRules: Self.hsp)
        for seed in 0..<200 {
            let number = Self.hospitalNumber(seed)
            let findings = detector.findings(in: "Please summarise the discharge letter for \(number) today.")
            #expect(findings.map(\.category) == [.medicalRecordNumber], "\(number)")
            #expect(findings.first?.rule == .recognizer("hsp"))
            // One digit changed: the check digit no longer holds.
            var wrong = Array(number)
            wrong[5] = wrong[5] == "9" ? "0" : Character(String(wrong[5].wholeNumberValue! + 1))
            #expect(detector.findings(in: "letter for \(String(wrong)) today").allSatisfy { $0.rule != .recognizer("hsp") }, "\(String(wrong))")
        }
    }

    @Test func theEvasionDefencesApplyToCustomPatterns() throws {
        let detector = PIIDetector(operatorRules: Self.hsp)
        let number = Self.hospitalNumber(3)
        let digits = number.dropFirst(4)
        let fullwidth = String(digits.unicodeScalars.map { Character(Unicode.Scalar($0.value - 48 + 0xFF10)!) })
        for evasive in [
            "HSP-" + fullwidth,  // fullwidth digits
            "HSP\u{2011}" + digits,  // a non-breaking hyphen
            "HSP-" + digits.prefix(3) + "\u{200B}" + digits.dropFirst(3),  // a zero-width space inside
        ] {
            let text = "record \(evasive) please"
            let findings = detector.findings(in: text)
            #expect(findings.map(\.rule) == [.recognizer("hsp")], "\(evasive.debugDescription)")
        }
        // Split across two fields of one request, as the built-in values are caught.
        let request = try ChatRequest(json: JSONParser.parse(#"{"model":"auto","messages":[{"role":"user","content":"patient \#(number.prefix(4))"},{"role":"user","content":"\#(number.dropFirst(4)) needs a letter"}]}"#))
        #expect(detector.scan(SentContent(request)).findings.map(\.category).contains(.medicalRecordNumber))
    }

    @Test func theOperatorsRulesReadToolArgumentsAndEveryOtherField() throws {
        let list = try DenyList(name: "patients", category: .personName, lines: (0..<10_000).map { Substring("Given\($0) Family\($0)") })
        let detector = PIIDetector(operatorRules: OperatorRecognizers(patterns: Self.hsp.patterns, denyLists: [list]))
        let number = Self.hospitalNumber(5)
        let request = try ChatRequest(json: JSONParser.parse(#"""
            {"model":"auto","messages":[{"role":"user","content":"file it"},
             {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"file","arguments":"{\"patient\":\"Given77 Family77\",\"id\":\"\#(number)\"}"}}]}],
             "tools":[{"type":"function","function":{"name":"file","description":"for Given9 Family9"}}]}
            """#))
        let (_, fields) = detector.scan(SentContent(request))
        let byField = Set(fields.map { "\($0.category.rawValue)@\($0.field)" })
        #expect(byField.contains("person_name@messages[1].tool_calls[0].function.arguments.patient"), "\(byField)")
        #expect(byField.contains("medical_record_number@messages[1].tool_calls[0].function.arguments.id"), "\(byField)")
        #expect(byField.contains("person_name@tools[0].function.description"), "\(byField)")
    }

    @Test func contextWordsRaiseTheScoreOrAreRequired() throws {
        let required = OperatorRecognizers(patterns: [
            try PatternRecognizer(name: "matter", category: PIICategory(operatorDefined: "matter_number")!, pattern: "[A-Z]{2}-[0-9]{5}", context: ["matter", "case no"], window: 30, minScore: 0.9)
        ])
        let detector = PIIDetector(operatorRules: required)
        #expect(detector.findings(in: "Draft a memo on matter AB-12345 for the client").map(\.category.rawValue) == ["matter_number"])
        #expect(detector.findings(in: "the part AB-12345 is out of stock").isEmpty)
        #expect(detector.findings(in: "AB-12345 (case no. for the appeal)").map(\.category.rawValue) == ["matter_number"])  // after the match too
        let optional = OperatorRecognizers(patterns: [
            try PatternRecognizer(name: "matter", category: PIICategory(operatorDefined: "matter_number")!, pattern: "[A-Z]{2}-[0-9]{5}", context: ["matter"])
        ])
        #expect(PIIDetector(operatorRules: optional).findings(in: "the part AB-12345 is out of stock").count == 1)
    }

    @Test func theOperatorsRuleWinsOverABuiltInReadingOfTheSameBytes() throws {
        // Ten digits read as a phone number by the built-in rules; the operator knows they are an account.
        let account = OperatorRecognizers(patterns: [try PatternRecognizer(name: "acct", category: PIICategory(operatorDefined: "bank_account")!, pattern: "ACC \\d{3}-\\d{3}-\\d{4}")])
        let findings = PIIDetector(operatorRules: account).findings(in: "call about ACC 415-555-0132 now")
        #expect(findings.map(\.category.rawValue) == ["bank_account"])
    }

    @Test func aDenyListMatchesWholeWordsAfterNormalisation() throws {
        let names = (0..<10_000).map { "Given\($0) Family\($0 * 31 % 10_000)" } + ["Project Nightingale", "ZX-81"]
        let list = try DenyList(name: "patients", category: .personName, lines: names.map { Substring($0) })
        #expect(list.count == 10_002)
        let detector = PIIDetector(operatorRules: OperatorRecognizers(denyLists: [list]))
        #expect(detector.findings(in: "Summarise the notes on Given42 Family1302 from Tuesday").map(\.rule) == [.denyList("patients")])
        #expect(detector.findings(in: "notes on GIVEN42  FAMILY1302.").count == 1)  // case and spacing
        #expect(detector.findings(in: "notes on Given42\u{00A0}Family1302").count == 1)  // a no-break space
        #expect(detector.findings(in: "status of project nightingale and zx 81").count == 2)
        #expect(detector.findings(in: "notes on Given42 Family13020").isEmpty)  // not inside a longer word
        #expect(detector.findings(in: "notes on Given42 alone").isEmpty)  // a term is all its words
        #expect(detector.findings(in: "nightingales sing").isEmpty)
    }

    @Test func aDenyListKeepsHashesNotTerms() throws {
        let term = "Ottoline Featherstonehaugh"
        let list = try DenyList(name: "vip", category: .personName, lines: [Substring(term)])
        let dumped = String(describing: list) + String(reflecting: list)
        #expect(!dumped.lowercased().contains("featherstonehaugh"))
        #expect(!dumped.lowercased().contains("ottoline"))
        // An error names the line, never the term.
        do {
            _ = try DenyList(name: "vip", category: .personName, lines: ["a b c d e f g h i Secretname"])
            Issue.record("a nine-word term was accepted")
        } catch {
            #expect(!error.message.contains("Secretname"))
            #expect(error.message.contains("line 1"))
        }
    }

    @Test func categoriesSwitchedOffStillLeaveTheOperatorsOwn() {
        let detector = PIIDetector(categories: [], operatorRules: Self.hsp)
        let number = Self.hospitalNumber(9)
        #expect(detector.findings(in: "email jane@example.com about \(number)").map(\.category) == [.medicalRecordNumber])
    }
}
