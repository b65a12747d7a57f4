import ArgumentParser
import Foundation
import FrontierAnalysis
import FrontierConfig
import FrontierCore
import FrontierRouting

/// `frontier fit DATA --out router.json`: fits the router that `serve` loads
/// (`router.file` in the config) and prints its held-out figures.
struct Fit: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Fit the router (domain classifier, quality per model, per-prompt predictor) on outcome data.")

    @Argument(help: "Outcomes JSONL (see shared/data/README.md).")
    var data: String

    @Option(name: .long, help: "Where to write the router file.")
    var out: String

    @Option(name: .long, help: "A config whose model prices give costs where the data has only token counts.")
    var config: String?

    @Option(name: .long, help: "Percent of prompts held out for the test figures (by a seeded hash of the prompt id).")
    var testPercent: Int = 20

    @Option(name: .long, help: "Seed of the train/test split and of the fit.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Prompt embeddings (JSONL of {id, embedding}, e.g. from scripts/embedding-signal-study.py --write-embeddings): makes the embedding signal a candidate of the cross-validation.")
    var embeddings: String?

    @Option(name: .long, help: "The embedder those embeddings came from (recorded in the router file).")
    var embedder = "all-minilm-l6-v2"

    func validate() throws {
        guard (1...90).contains(testPercent) else { throw ValidationError("--test-percent must be between 1 and 90.") }
    }

    func run() throws {
        let started = ContinuousClock.now
        let set = try OfflineInput.outcomes(data, config: config)
        var fitter = RouterFitter()
        fitter.testPercent = testPercent
        fitter.seed = seed
        if let embeddings {
            fitter.embeddings = OfflineInput.embeddings(embeddings)
            fitter.embedder = embedder
        }
        let result = fitter.fit(set, dataName: URL(fileURLWithPath: data).lastPathComponent)
        do { try result.file.save(path: out) } catch {
            OfflineInput.fail(error.description)
        }
        let elapsed = ContinuousClock.now - started
        print("fitted on \(result.file.source.trainPrompts) prompts, \(set.models.count) models, \(result.file.classifier.domains.count) domains in "
            + String(format: "%.1f s", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18) + "; wrote \(out)\n")
        print(result.report.table)
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
