import ArgumentParser
import Foundation
import FrontierAnalysis
import FrontierConfig
import FrontierCore
import FrontierRouting

/// `frontier fit DATA --out router.json`: fits the router that `serve` loads
/// (`router.file` in the config) and prints its held-out figures. With several
/// outcome sets, `--out` is a directory (one `NAME.router.json` per set) and a
/// last table puts every set's router beside its zero router.
struct Fit: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Fit the router (domain classifier, quality per model, per-prompt predictor) on outcome data.")

    @Argument(help: "Outcomes JSONL (see shared/data/README.md); several sets are fitted one by one and summarised in one table.")
    var data: [String]

    @Option(name: .long, help: "Where to write the router file (a directory when several sets are given).")
    var out: String

    @Option(name: .long, help: "A config whose model prices give costs where the data has only token counts.")
    var config: String?

    @Option(name: .long, help: "Percent of prompts held out for the test figures (by a seeded hash of the prompt id).")
    var testPercent: Int = 20

    @Option(name: .long, help: "Seed of the train/test split and of the fit.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Prompt embeddings (JSONL of {id, embedding}, e.g. from scripts/embedding-signal-study.py --write-embeddings): makes the embedding signal a candidate of the cross-validation. With several sets, give it once per set, in their order.")
    var embeddings: [String] = []

    @Option(name: .long, help: "The embedder those embeddings came from (recorded in the router file).")
    var embedder = "all-minilm-l6-v2"

    func validate() throws {
        guard (1...90).contains(testPercent) else { throw ValidationError("--test-percent must be between 1 and 90.") }
        guard !data.isEmpty else { throw ValidationError("give at least one outcomes file.") }
        guard embeddings.isEmpty || embeddings.count == data.count else {
            throw ValidationError("--embeddings was given \(embeddings.count) times for \(data.count) outcome sets: give it once per set, in the same order, or not at all.")
        }
        var seen: Set<String> = []
        for name in data.map(Self.stem) where !seen.insert(name).inserted {
            throw ValidationError("two outcome sets are both named '\(name)': their router files would overwrite each other; rename one.")
        }
    }

    func run() throws {
        if data.count > 1 {
            do { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) } catch {
                OfflineInput.fail("cannot create the directory \(out): \(error.localizedDescription)")
            }
        }
        var summary = SetTable()
        for (index, path) in data.enumerated() {
            let destination = data.count == 1 ? out : URL(fileURLWithPath: out).appendingPathComponent(Self.stem(path) + ".router.json").path
            if data.count > 1 { print("== \(path)\n") }
            let row = fit(path, embeddings: embeddings.isEmpty ? nil : embeddings[index], to: destination)
            summary.rows.append(row)
            if data.count > 1 { print("") }
        }
        if data.count > 1 { print(summary.table) }
    }

    private func fit(_ path: String, embeddings: String?, to destination: String) -> SetTable.Row {
        let started = ContinuousClock.now
        let set: OutcomeSet
        do { set = try OfflineInput.outcomes(path, config: config) } catch { OfflineInput.fail("\(error)") }
        var fitter = RouterFitter()
        fitter.testPercent = testPercent
        fitter.seed = seed
        if let embeddings {
            fitter.embeddings = OfflineInput.embeddings(embeddings)
            fitter.embedder = embedder
        }
        let result = fitter.fit(set, dataName: URL(fileURLWithPath: path).lastPathComponent)
        do { try result.file.save(path: destination) } catch {
            OfflineInput.fail(error.description)
        }
        let seconds = (ContinuousClock.now - started).seconds
        print("fitted on \(result.file.source.trainPrompts) prompts, \(set.models.count) models, \(result.file.classifier.domains.count) domains in "
            + String(format: "%.1f s", seconds) + "; wrote \(destination)\n")
        print(result.report.table)
        return SetTable.Row(name: Self.stem(path), fit: result.report, models: set.models.count, seconds: seconds)
    }

    /// A set's name: its file name without `.jsonl`, or its folder's name for `outcomes.jsonl`.
    static func stem(_ path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let name = url.deletingPathExtension().lastPathComponent
        return name == "outcomes" ? url.deletingLastPathComponent().lastPathComponent : name
    }
}

/// Reading outcome data and a config's prices for the offline commands, with errors a user can act on.
enum OfflineInput {
    static func outcomes(_ path: String, config: String?) throws -> OutcomeSet {
        var prices: [String: Price] = [:]
        if let config {
            do {
                for model in try ConfigLoader().load(file: config).catalog.models { prices[model.id] = model.price }
            } catch {
                fail(error.description)
            }
        }
        do { return try OutcomeReader(prices: prices).read(path: path) } catch {
            fail(error.description)
        }
    }

    static func embeddings(_ path: String) -> [String: [Float]] {
        do { return try EmbeddingReader().read(path: path) } catch {
            fail(error.description)
        }
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        Foundation.exit(2)
    }
}
