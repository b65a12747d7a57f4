import Foundation
import FrontierCore
@testable import FrontierRouting
import Testing

/// The PII detector on the corpus of scripts/make-pii-corpus.py: per
/// category precision over 0.95 and recall over 0.9, snippet by snippet.
@Suite struct PIIDetectorTests {
    struct Snippet {
        var text: String
        var expected: Set<PIICategory>
    }

    static func corpus() throws -> [Snippet] {
        let url = try #require(Bundle.module.url(forResource: "Resources/pii-corpus", withExtension: "jsonl"))
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let json = try JSONParser.parse(String(line))
            let categories = try (json["categories"]?.arrayValue ?? []).map { value in
                try #require(PIICategory(rawValue: value.stringValue ?? ""), "unknown category \(value)")
            }
            return Snippet(text: json["text"]?.stringValue ?? "", expected: Set(categories))
        }
    }

    @Test func corpusHasEnoughPositivesAndNegatives() throws {
        let corpus = try Self.corpus()
        #expect(corpus.filter { !$0.expected.isEmpty }.count >= 200)
        #expect(corpus.filter { $0.expected.isEmpty }.count >= 200)
        for category in PIICategory.allCases {
            #expect(corpus.filter { $0.expected.contains(category) }.count >= 20, "\(category)")
        }
    }

    @Test func precisionAndRecallPerCategory() throws {
        let detector = PIIDetector()
        var truePositives: [PIICategory: Int] = [:]
        var falsePositives: [PIICategory: Int] = [:]
        var falseNegatives: [PIICategory: Int] = [:]
        var mistakes: [String] = []
        for snippet in try Self.corpus() {
            let found = Set(detector.categories(in: snippet.text))
            for category in found.union(snippet.expected) {
                switch (found.contains(category), snippet.expected.contains(category)) {
                case (true, true): truePositives[category, default: 0] += 1
                case (true, false):
                    falsePositives[category, default: 0] += 1
                    mistakes.append("false \(category): \(snippet.text)")
                case (false, true):
                    falseNegatives[category, default: 0] += 1
                    mistakes.append("missed \(category): \(snippet.text)")
                case (false, false): break
                }
            }
        }
        var report = "category               precision  recall  (tp fp fn)\n"
        for category in PIICategory.allCases {
            let tp = Double(truePositives[category, default: 0])
            let fp = Double(falsePositives[category, default: 0])
            let fn = Double(falseNegatives[category, default: 0])
            let precision = tp + fp == 0 ? 1 : tp / (tp + fp)
            let recall = tp + fn == 0 ? 1 : tp / (tp + fn)
            report += "\(category.rawValue.padding(toLength: 22, withPad: " ", startingAt: 0)) \(String(format: "%9.3f  %6.3f", precision, recall))  (\(Int(tp)) \(Int(fp)) \(Int(fn)))\n"
            #expect(precision >= 0.95, "\(category) precision \(precision)")
            #expect(recall >= 0.9, "\(category) recall \(recall)")
        }
        print(report)
        if !mistakes.isEmpty { print(mistakes.joined(separator: "\n")) }
    }

    @Test func findingsNeverCarryTheValue() {
        let findings = PIIDetector().findings(in: "SSN 123-45-6789, card 4111 1111 1111 1111")
        #expect(findings.map(\.category) == [.nationalID, .creditCard])
        #expect(!findings.description.contains("6789"))
        #expect(!findings.description.contains("1111"))
    }

    @Test func luhnAndIBANChecksums() {
        #expect(Checksums.luhn(Array("4111111111111111".utf8).map { $0 - 48 }))
        #expect(!Checksums.luhn(Array("4111111111111112".utf8).map { $0 - 48 }))
        #expect(Checksums.ibanIsValid(Array("GB82WEST12345698765432".utf8)))
        #expect(!Checksums.ibanIsValid(Array("GB83WEST12345698765432".utf8)))
    }
}

@Suite struct PIIScanBoundsTests {
    /// Findings used to be compared with every earlier one; a bit set makes the check the candidate's length.
    @Test func claimedBytesOverlapExactly() {
        var claimed = ClaimedBytes(count: 300)
        claimed.claim(60..<70)
        claimed.claim(128..<256)
        #expect(!claimed.overlaps(0..<60))
        #expect(claimed.overlaps(69..<71))
        #expect(!claimed.overlaps(70..<128))
        #expect(claimed.overlaps(255..<300))
        #expect(!claimed.overlaps(256..<300))
        #expect(!claimed.overlaps(300..<300))
        #expect(claimed.overlaps(0..<300))
    }

    @Test func manyFindingsAndPEMLinesAreStillFound() {
        let emails = String(repeating: "a.b@example.com ", count: 5_000)
        #expect(PIIDetector().findings(in: emails).count == 5_000)
        let begins = String(repeating: "-----BEGIN RSA PRIVATE KEY----- ", count: 5_000)
        #expect(PIIDetector().findings(in: begins).count == 1)  // one block to the end of the text
        let blocks = String(repeating: "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY----- ", count: 100)
        #expect(PIIDetector().findings(in: blocks).count == 100)
    }

    @Test func exclusionTextsNeverTrapOnHugeEstimates() {
        for value in [Double.infinity, .nan, 1e300, -1e300] {
            _ = Exclusion.latency(expectedMs: value, maximumMs: value).description
            _ = Exclusion.cost(expectedUSD: value, maximumUSD: value).description
        }
    }
}
