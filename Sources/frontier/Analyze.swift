import ArgumentParser
import Foundation
import FrontierAnalysis
import FrontierCore
import FrontierRouting

/// `frontier analyze DATA [--router router.json] [--out DIR]`: the efficiency
/// frontier of outcome data, a fitted router's curve on prompts it was not
/// fitted on, the metrics of docs/metrics.md, summary.json and report.html.
/// With several sets (and `--router DIR` from `frontier fit A B --out DIR`),
/// each is analysed in turn and a last table puts them side by side.
struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Measure the cost-quality frontier of outcome data, and a fitted router on it.")

    @Argument(help: "Outcomes JSONL (see shared/data/README.md); several sets are analysed one by one and summarised in one table.")
    var data: [String]

    @Option(name: .long, help: "A config whose model prices give costs where the data has only token counts.")
    var config: String?

    @Option(name: .long, help: "Prompt embeddings (JSONL of {id, embedding}, e.g. from scripts/embedding-signal-study.py --write-embeddings), for a router that reads them. With several sets, once per set, in their order.")
    var embeddings: [String] = []

    @Option(name: .long, help: "A router file from `frontier fit` to evaluate and draw; with several sets, the directory `frontier fit A B --out DIR` wrote (NAME.router.json per set).")
    var router: String?

    @Option(name: .long, help: "Directory for summary.json and report.html (with several sets, one subdirectory per set).")
    var out: String?

    @Option(name: .long, help: "The strong model of the APGR/CPT pair (default: the best single model).")
    var strong: String?

    @Option(name: .long, help: "The weak model of the pair (default: the cheapest model).")
    var weak: String?

    @Option(name: .long, help: "The learning loop's simulated curve (scripts/learning-curve.py --aggregate's JSON) to draw in report.html.")
    var learningCurve: String?

    @Option(name: .long, help: "Checker error rates of the simulated cascades, comma-separated (false accept = false reject).")
    var cascadeErrorRates: String = "0,0.1,0.2,0.3"

    func validate() throws {
        guard !rates.contains(where: { !(0...1).contains($0) }), !rates.isEmpty else {
            throw ValidationError("--cascade-error-rates takes numbers from 0 to 1, e.g. 0,0.1,0.2,0.3.")
        }
        guard !data.isEmpty else { throw ValidationError("give at least one outcomes file.") }
        guard embeddings.isEmpty || embeddings.count == data.count else {
            throw ValidationError("--embeddings was given \(embeddings.count) times for \(data.count) outcome sets: give it once per set, in the same order, or not at all.")
        }
        guard data.count == 1 || (strong == nil && weak == nil) else {
            throw ValidationError("--strong and --weak name models of one set: analyse the sets one at a time to use them.")
        }
    }

    var rates: [Double] { cascadeErrorRates.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) ?? -1 } }

    func run() throws {
        var summary = SetTable()
        for (index, path) in data.enumerated() {
            if data.count > 1 { print("== \(path)\n") }
            let name = Fit.stem(path)
            let routerFile = data.count == 1 ? router : router.map { URL(fileURLWithPath: $0).appendingPathComponent(name + ".router.json").path }
            let outDir = data.count == 1 ? out : out.map { URL(fileURLWithPath: $0).appendingPathComponent(name).path }
            summary.rows.append(analyze(path, router: routerFile, embeddings: embeddings.isEmpty ? nil : embeddings[index], out: outDir))
            if data.count > 1 { print("") }
        }
        if data.count > 1 { print(summary.table) }
    }

    private func analyze(_ data: String, router: String?, embeddings: String?, out: String?) -> SetTable.Row {
        let started = ContinuousClock.now
        var set: OutcomeSet
        do { set = try OfflineInput.outcomes(data, config: config) } catch { OfflineInput.fail("\(error)") }
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
        var analysis = Analysis(
            set: set, dataName: URL(fileURLWithPath: data).lastPathComponent, router: fitted, strong: strong, weak: weak, cascadeErrorRates: rates,
            embeddings: embeddings.map(OfflineInput.embeddings) ?? [:])
        if let learningCurve {
            guard let data = FileManager.default.contents(atPath: learningCurve) else { OfflineInput.fail("cannot read \(learningCurve)") }
            let json: JSONValue
            do { json = try JSONParser.parse(Array(data)) } catch { OfflineInput.fail("\(learningCurve) is not JSON: \(error.message)") }
            do { analysis.learningCurve = try LearningCurve(json: json) } catch { OfflineInput.fail("\(learningCurve): \(error.description)") }
        }
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
        var row = SetTable.Row(name: Fit.stem(data), analysis: analysis, seconds: (ContinuousClock.now - started).seconds)
        row.signal = fitted?.file.signalPlan?.summary
        return row
    }
}
