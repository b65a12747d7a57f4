import Foundation
import FrontierCore
@testable import FrontierRouting
import Testing

/// The detector on whole requests it was never tuned on (scripts/make-pii-heldout.py:
/// Faker's values in nine locales, the value in any field a request sends, written the
/// ways pasted text writes it): precision and recall per category, per placement and per
/// transformation, printed, with the floor the gateway promises.
@Suite struct PIIHeldOutTests {
    struct Case {
        var id: String
        var request: ChatRequest
        var expected: Set<PIICategory>
        var placement: String
        var transform: String
    }

    static func corpus(_ name: String = "pii-heldout") throws -> [Case] {
        let url = try #require(Bundle.module.url(forResource: "Resources/\(name)", withExtension: "jsonl"))
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { line in
            let json = try JSONParser.parse(String(line))
            return Case(
                id: json["id"]?.stringValue ?? "", request: try ChatRequest(json: try #require(json["body"])),
                expected: Set((json["categories"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap(PIICategory.init(rawValue:)) }),
                placement: json["placement"]?.stringValue ?? "", transform: json["transform"]?.stringValue ?? "")
        }
    }

    struct Tally {
        var tp = 0, fp = 0, fn = 0
        var precision: Double { tp + fp == 0 ? 1 : Double(tp) / Double(tp + fp) }
        var recall: Double { tp + fn == 0 ? 1 : Double(tp) / Double(tp + fn) }
        var line: String { String(format: "%9.3f  %6.3f  (%d %d %d)", precision, recall, tp, fp, fn) }
    }

    struct Report {
        var byCategory: [PIICategory: Tally] = [:]
        var overall = Tally()
        var text = ""
    }

    /// Scans every request of a corpus and tallies what was found against its labels.
    static func report(_ name: String) throws -> Report {
        let extractor = FeatureExtractor(classifier: nil)
        var result = Report()
        var byPlacement: [String: Tally] = [:]
        var byTransform: [String: Tally] = [:]
        var mistakes: [String] = []
        let corpus = try Self.corpus(name)
        for item in corpus {
            let found = Set(extractor.detector.scan(SentContent(item.request)).findings.map(\.category))
            for category in found.union(item.expected) {
                let hit = found.contains(category), wanted = item.expected.contains(category)
                func count(_ tally: inout Tally) {
                    if hit && wanted { tally.tp += 1 } else if hit { tally.fp += 1 } else { tally.fn += 1 }
                }
                count(&result.byCategory[category, default: Tally()])
                count(&byPlacement[item.placement, default: Tally()])
                count(&byTransform[item.transform, default: Tally()])
                count(&result.overall)
                if hit != wanted { mistakes.append("\(hit ? "false" : "missed") \(category.rawValue) [\(item.placement)/\(item.transform)] \(item.id)") }
            }
        }
        var report = "\(name) (\(corpus.count) requests)   precision  recall  (tp fp fn)\n"
        for category in PIICategory.allCases where result.byCategory[category] != nil {
            report += "  \(category.rawValue.padding(toLength: 26, withPad: " ", startingAt: 0)) \(result.byCategory[category]!.line)\n"
        }
        report += "by placement:\n"
        for (placement, tally) in byPlacement.sorted(by: { $0.key < $1.key }) { report += "  \(placement.padding(toLength: 26, withPad: " ", startingAt: 0)) \(tally.line)\n" }
        report += "by transformation:\n"
        for (transform, tally) in byTransform.sorted(by: { $0.key < $1.key }) { report += "  \(transform.padding(toLength: 26, withPad: " ", startingAt: 0)) \(tally.line)\n" }
        report += "  \("overall".padding(toLength: 26, withPad: " ", startingAt: 0)) \(result.overall.line)\n"
        // PII_MISTAKES=n lists more of them, for tuning.
        let listed = ProcessInfo.processInfo.environment["PII_MISTAKES"].flatMap(Int.init) ?? 60
        result.text = report + mistakes.prefix(listed).joined(separator: "\n")
        return result
    }

    @Test func precisionAndRecallOnRequestsItWasNotTunedOn() throws {
        let result = try Self.report("pii-heldout")
        print(result.text)
        let overall = result.overall
        #expect(overall.recall >= 0.95, "recall \(overall.recall)")
        #expect(overall.precision >= 0.95, "precision \(overall.precision)")
    }

    /// Hospital traffic (scripts/make-pii-forms.py): the medical record number, phone and address
    /// rules were tuned on the first corpus; the second, another seed and the other half of the
    /// forms, is read only here. The figures in README come from this test's output.
    @Test func hospitalFormsItWasNotTunedOn() throws {
        let tuned = try Self.report("pii-forms-tune")
        print(tuned.text)
        let result = try Self.report("pii-forms-heldout")
        print(result.text)
        #expect(result.overall.recall >= 0.97, "recall \(result.overall.recall)")
        #expect(result.overall.precision >= 0.95, "precision \(result.overall.precision)")
        for (category, tally) in result.byCategory {
            #expect(tally.recall >= 0.97, "\(category.rawValue): recall \(tally.recall)")
            #expect(tally.precision >= 0.95, "\(category.rawValue): precision \(tally.precision)")
        }
    }
}
