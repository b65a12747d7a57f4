import ArgumentParser
import Foundation
import FrontierAnalysis
import FrontierCore
import FrontierRouting

/// `frontier analyze DATA [--router router.json] [--out DIR]`: the efficiency
/// frontier of outcome data, a fitted router's curve on prompts it was not
/// fitted on, the metrics of docs/metrics.md, summary.json and report.html.
struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Measure the cost-quality frontier of outcome data, and a fitted router on it.")

    @Argument(help: "Outcomes JSONL (see shared/data/README.md).")
    var data: String

    @Option(name: .long, help: "A config whose model prices give costs where the data has only token counts.")
    var config: String?

    @Option(name: .long, help: "Prompt embeddings (JSONL of {id, embedding}, e.g. from scripts/embedding-signal-study.py --write-embeddings), for a router that reads them.")
    var embeddings: String?

    @Option(name: .long, help: "A router file from `frontier fit` to evaluate and draw.")
    var router: String?

    @Option(name: .long, help: "Directory for summary.json and report.html.")
    var out: String?

    @Option(name: .long, help: "The strong model of the APGR/CPT pair (default: the best single model).")
    var strong: String?

    @Option(name: .long, help: "The weak model of the pair (default: the cheapest model).")
    var weak: String?

    @Option(name: .long, help: "Checker error rates of the simulated cascades, comma-separated (false accept = false reject).")
    var cascadeErrorRates: String = "0,0.1,0.2,0.3"

    func validate() throws {
        guard !rates.contains(where: { !(0...1).contains($0) }), !rates.isEmpty else {
            throw ValidationError("--cascade-error-rates takes numbers from 0 to 1, e.g. 0,0.1,0.2,0.3.")
        }
    }

    var rates: [Double] { cascadeErrorRates.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) ?? -1 } }

    func run() throws {
        var set = try OfflineInput.outcomes(data, config: config)
        var fitted: (name: String, file: RouterFile)?
        if let router {
            let file: RouterFile
            do { file = try RouterFile.load(path: router) } catch { OfflineInput.fail(error.description) }
            // Never score a router on the prompts it was fitted on.
            if file.source.data == URL(fileURLWithPath: data).lastPathComponent {
                set = set.split(testPercent: file.source.testPercent, seed: file.source.seed).test
                print("note: \(router) was fitted on \(file.source.data); analysing its \(set.records.count) held-out prompts only "
                    + "(split \(file.source.testPercent)% by seed \(file.source.seed)).\n")
            }
            fitted = ("fitted router", file)
        }
        for model in [strong, weak].compactMap({ $0 }) where !set.models.contains(model) {
            OfflineInput.fail("model '\(model)' is not in \(data); its models are: \(set.models.joined(separator: ", "))")
        }
        let analysis = Analysis(
            set: set, dataName: URL(fileURLWithPath: data).lastPathComponent, router: fitted, strong: strong, weak: weak, cascadeErrorRates: rates,
            embeddings: embeddings.map(OfflineInput.embeddings) ?? [:])
        print(analysis.table)
        if let out {
            do {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                try Data(analysis.summary.serialized()).write(to: URL(fileURLWithPath: out).appendingPathComponent("summary.json"))
                try Data(analysis.html.utf8).write(to: URL(fileURLWithPath: out).appendingPathComponent("report.html"))
            } catch {
                OfflineInput.fail("cannot write to \(out): \(error.localizedDescription)")
            }
            print("\nwrote \(out)/summary.json and \(out)/report.html")
        }
    }
}
