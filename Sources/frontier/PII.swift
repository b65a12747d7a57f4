import ArgumentParser
import Foundation
import FrontierConfig
import FrontierCore
import FrontierRouting

/// `frontier pii test`: the configured detector (built-in rules, `privacy.recognizers`, `privacy.deny_lists`) on a
/// text or a JSONL file, every finding with its category, rule and span, and precision and recall where the file
/// has labels: an operator checks its own recognizers before it deploys them.
struct PII: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the configured sensitive-data detector on a text or a file, as the gateway would.",
        subcommands: [Test.self])

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every finding (category, rule, span) and, for a labelled JSONL file, precision and recall per category.",
            discussion: """
                A JSONL line holds "text" (a string) or "body" (a chat request, scanned field by field as the gateway \
                scans it), and optionally "categories" (the categories it holds) for precision and recall. Values are \
                not printed unless --show-values is given.
                """)

        @Argument(help: "A text to scan (or give --file).")
        var text: String?

        @Option(name: .long, help: "The YAML config whose privacy section (categories, recognizers, deny lists) to use; the built-in rules alone without one.")
        var config: String?

        @Option(name: .long, help: "A JSONL file of cases to scan.")
        var file: String?

        @Flag(name: .long, help: "Print the matched text of each finding (it is sensitive data: not for shared logs).")
        var showValues = false

        @Flag(name: .long, help: "Print only the summary (precision and recall), not each finding.")
        var quiet = false

        func validate() throws {
            guard (text == nil) != (file == nil) else { throw ValidationError("give a text or --file, not both and not neither.") }
        }

        func run() throws {
            var detector = PIIDetector()
            if let config {
                do {
                    detector = try ConfigLoader().load(file: config).router.privacy.detector
                } catch {
                    print(error.description)
                    throw ExitCode(2)
                }
            }
            if let text {
                for finding in detector.findings(in: text) { print(line(finding, in: text, case: nil)) }
                return
            }
            guard let file else { return }
            let contents: String
            do {
                let size = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
                guard size <= 256 << 20 else {
                    print("\(file): \(size) bytes; at most 256 MiB are read")
                    throw ExitCode(2)
                }
                contents = try String(contentsOfFile: file, encoding: .utf8)
            } catch let exit as ExitCode {
                throw exit
            } catch {
                print("\(file): \(error)")
                throw ExitCode(2)
            }
            var tally: [PIICategory: Counts] = [:]
            var labelled = 0
            for (n, row) in contents.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !row.allSatisfy(\.isWhitespace) {
                let json: JSONValue
                do {
                    json = try JSONParser.parse(String(row))
                } catch {
                    print("\(file):\(n + 1): not JSON: \(error)")
                    throw ExitCode(2)
                }
                let id = json["id"]?.stringValue ?? "line \(n + 1)"
                let (text, findings): (String, [PIIFinding])
                if let plain = json["text"]?.stringValue {
                    (text, findings) = (plain, detector.findings(in: plain))
                } else if let body = json["body"] {
                    do {
                        let joined = SentContent(try ChatRequest(json: body)).joined().text
                        (text, findings) = (joined, detector.findings(in: joined))
                    } catch {
                        print("\(file):\(n + 1): body is not a chat request: \(error)")
                        throw ExitCode(2)
                    }
                } else {
                    print("\(file):\(n + 1): needs \"text\" (a string) or \"body\" (a chat request)")
                    throw ExitCode(2)
                }
                if !quiet { for finding in findings { print(line(finding, in: text, case: id)) } }
                guard let labels = json["categories"]?.arrayValue else { continue }
                labelled += 1
                let expected = Set(labels.compactMap { $0.stringValue.flatMap { PIICategory(rawValue: $0) ?? PIICategory(operatorDefined: $0) } })
                let found = Set(findings.map(\.category))
                for category in expected.union(found) {
                    tally[category, default: Counts()].add(expected: expected.contains(category), found: found.contains(category))
                }
            }
            guard labelled > 0 else { return }
            let total = tally.values.reduce(into: Counts()) { $0.merge($1) }
            print("\n\(labelled) labelled cases")
            let rows = tally.keys.sorted().map { category in row(category.rawValue, tally[category] ?? Counts()) } + [row("overall", total)]
            print(Table.render(header: ["category", "precision", "recall", "true pos", "false pos", "false neg"], rows: rows))
        }

        private func line(_ finding: PIIFinding, in text: String, case id: String?) -> String {
            var parts = [id, finding.category.rawValue, finding.rule.description, "bytes \(finding.utf8Range.lowerBound)..<\(finding.utf8Range.upperBound)"].compactMap { $0 }
            if showValues {
                let bytes = Array(text.utf8)
                let range = finding.utf8Range.clamped(to: 0..<bytes.count)
                parts.append(String(decoding: bytes[range], as: UTF8.self).debugDescription)
            }
            return parts.joined(separator: "  ")
        }

        private func row(_ name: String, _ c: Counts) -> [String] {
            [name, String(format: "%.3f", c.precision), String(format: "%.3f", c.recall), String(c.truePositives), String(c.falsePositives), String(c.falseNegatives)]
        }
    }

    /// Per category, over cases: a category labelled and found, found but not labelled, labelled but not found.
    struct Counts {
        var truePositives = 0, falsePositives = 0, falseNegatives = 0
        var precision: Double { truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives) }
        var recall: Double { truePositives + falseNegatives == 0 ? 1 : Double(truePositives) / Double(truePositives + falseNegatives) }

        mutating func add(expected: Bool, found: Bool) {
            switch (expected, found) {
            case (true, true): truePositives += 1
            case (false, true): falsePositives += 1
            case (true, false): falseNegatives += 1
            case (false, false): break
            }
        }

        mutating func merge(_ other: Counts) {
            truePositives += other.truePositives
            falsePositives += other.falsePositives
            falseNegatives += other.falseNegatives
        }
    }
}
