import ArgumentParser
import Foundation
import FrontierConfig
import FrontierCore
import FrontierLedger
import FrontierRouting

/// `frontier outcomes export`: the ledger's scored requests as outcome data for `frontier fit`.
struct Outcomes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Outcome data from served traffic: the ledger's scored requests, for frontier fit.",
        subcommands: [Export.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the outcomes JSONL of served requests that have a score (feedback, cascade checks), one prompt a line.")

        @Option(name: .long, help: "The YAML config whose storage holds the ledger.")
        var config: String

        @Option(name: .long, help: "Requests from this time: an ISO 8601 date or time, or an age such as 7d, 24h.")
        var since: String?

        @Option(name: .long, help: "Requests until this time (exclusive), in the same forms.")
        var until: String?

        @Option(name: .long, help: "Write to this file (mode 0600) instead of standard output.")
        var out: String?

        @Flag(name: .long, help: "Also export requests whose prompt had personal data (each line then lists its categories).")
        var includePII = false

        @Option(name: .long, help: "The scores that count, in order of precedence: client, grader, check, exploration, implicit (comma-separated).")
        var sources = "client,grader,check,exploration,implicit"

        func validate() throws {
            for bound in [since, until].compactMap({ $0 }) where TimeBound.parse(bound) == nil {
                throw ValidationError("'\(bound)' is not a time: use 2026-11-29, 2026-11-29T10:00:00Z, or an age such as 7d, 24h, 30m.")
            }
            for name in sourceNames where FeedbackRecord.Source(rawValue: name) == nil {
                throw ValidationError("--sources: '\(name)' is not a source; use client, grader, check, exploration, implicit.")
            }
        }

        var sourceNames: [String] { sources.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

        func run() async throws {
            let (configuration, ledger) = try await LedgerAccess.open(config)
            let from = since.flatMap { TimeBound.parse($0) }
            // Feedback comes after its request: read from the window's start to now, and cut requests at --until.
            let stored = try await ledger.store.records(fromMs: from, toMs: nil)
            await ledger.store.close()
            let export = OutcomeExport(
                sources: sourceNames.compactMap(FeedbackRecord.Source.init(rawValue:)), includePII: includePII, bodyKey: ledger.bodyKey,
                fromMs: from, untilMs: until.flatMap { TimeBound.parse($0) }, classify: LiveClassifier.load(configuration))
            let (lines, summary) = export.lines(from: stored)
            let bytes = OutcomeExport.jsonl(lines)
            if let out {
                // The prompts are the team's traffic: private to its owner, like the ledger itself.
                do { try PrivateFile.replace(out, contents: bytes) } catch {
                    OfflineInput.fail("cannot write \(out): \(error.description)")
                }
            } else {
                FileHandle.standardOutput.write(Data(bytes))
            }
            let scores = summary.scores.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            var note = "\(summary.exported) prompt(s) exported (scores: \(scores.isEmpty ? "none" : scores)); \(summary.unscored) served without a score"
            if summary.withheldForPII > 0 { note += "; \(summary.withheldForPII) with personal data left out (--include-pii exports them)" }
            if summary.withoutPrompt > 0 { note += "; \(summary.withoutPrompt) without their prompt (ledger.store_bodies off or its key unset): fit learns domain figures from those" }
            FileHandle.standardError.write(Data((note + "\n").utf8))
        }
    }
}

/// The live router file's domain classifier, for prompts whose records have no domain (named models).
enum LiveClassifier {
    static func load(_ configuration: FrontierConfiguration) -> (@Sendable (String) -> String?)? {
        guard let path = configuration.router.file, let file = try? RouterFile.load(path: path) else { return nil }
        let classifier = file.classifier
        return { text in classifier.classify(text).domain }
    }
}
