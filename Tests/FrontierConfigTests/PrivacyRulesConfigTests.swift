import Foundation
import FrontierConfig
import FrontierRouting
import Testing

/// `privacy.recognizers` and `privacy.deny_lists`: compiled at load, every refusal named with its reason.
@Suite struct PrivacyRulesConfigTests {
    static let model = "models:\n  - {id: m, provider: openai-compatible, base_url: \"http://127.0.0.1:1/v1\", deployment: on-prem}\n"

    @Test func recognizersAndADenyListLoadAndFindTheirValues() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("privacy-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "Ottoline Featherstonehaugh\n\nProject Nightingale\n".write(to: folder.appendingPathComponent("names.txt"), atomically: true, encoding: .utf8)
        let yaml = Self.model + """
            privacy:
              pii: on-prem
              recognizers:
                - {name: matter, category: matter_number, pattern: '[A-Z]{2}-[0-9]{5}', context: [matter], window: 30, min_score: 0.9}
                - {name: hsp, category: medical_record_number, pattern: 'HSP-?[0-9]{8}', validate: mod11}
              deny_lists:
                - {name: vip, category: person_name, file: names.txt}
            """
        let config = try ConfigLoader(environment: [:]).parse(yaml, file: folder.appendingPathComponent("frontier.yaml").path)
        let rules = try #require(config.router.privacy.operatorRules)
        #expect(rules.patterns.map(\.name) == ["matter", "hsp"])
        #expect(rules.denyLists.first?.count == 2)
        let detector = config.router.privacy.detector
        #expect(detector.findings(in: "memo on matter AB-12345").map(\.category.rawValue) == ["matter_number"])
        #expect(detector.findings(in: "a note for ottoline featherstonehaugh").map(\.rule) == [.denyList("vip")])
    }

    @Test func aPatternThatNeedsBacktrackingIsRefusedAtLoadWithTheReason() {
        let failure = configFailure(Self.model + "privacy:\n  recognizers:\n    - {name: bad, category: phone, pattern: '(a+)+$'}\n")
        #expect(failure.contains("privacy.recognizers[0]"))
        #expect(failure.contains("'pattern'"))
        #expect(failure.contains("exponential time"))
        #expect(configFailure(Self.model + "privacy:\n  recognizers:\n    - {name: bad, category: phone, pattern: '(\\d)\\1'}\n").contains("backreference"))
        #expect(configFailure(Self.model + "privacy:\n  recognizers:\n    - {name: bad, category: phone, pattern: 'x(?=y)'}\n").contains("lookahead"))
    }

    @Test func eachMistakeIsNamed() {
        let base = Self.model + "privacy:\n  recognizers:\n    - "
        #expect(configFailure(base + "{name: a, category: phone}\n").contains("'pattern' is required"))
        #expect(configFailure(base + "{name: a, category: 'Bad Name', pattern: x}\n").contains("name of your own"))
        #expect(configFailure(base + "{name: 'a b', category: phone, pattern: x}\n").contains("a-z, 0-9"))
        #expect(configFailure(base + "{name: a, category: phone, pattern: x, validate: crc}\n").contains("none, luhn, mod11, iban"))
        #expect(configFailure(base + "{name: a, category: phone, pattern: x, min_score: 0.9}\n").contains("no context words"))
        #expect(configFailure(base + "{name: a, category: phone, pattern: x, context: [k], min_score: 0.95}\n").contains("highest score"))
        #expect(configFailure(base + "{name: a, category: phone, pattern: x, window: 5000}\n").contains("window"))
        #expect(configFailure(base + "{name: a, category: phone, pattern: x}\n    - {name: a, category: phone, pattern: y}\n").contains("used by another"))
        #expect(configFailure(base + "{name: a, category: phone, pattern: x, colour: red}\n").contains("unknown field"))
        #expect(configFailure(Self.model + "privacy:\n  deny_lists:\n    - {name: d, category: person_name, file: /nonexistent/names.txt}\n").contains("cannot be read"))
    }
}
