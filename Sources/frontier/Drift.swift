import ArgumentParser
import Foundation
import FrontierAnalysis
import FrontierCore
import FrontierLedger
import FrontierRouting

/// `frontier drift simulate`: the live-signal drift detector measured on recorded outcomes.
struct Drift: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Model drift: every identity change and regression with its evidence; the live-signal detector, measured.",
        subcommands: [Report.self, Simulate.self])

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every identity change, pin mismatch, drift alarm (with its evidence and action), recovery and reset in the ledger, oldest first.")

        @Option(name: .long, help: "The YAML config whose storage holds the ledger.")
        var config: String

        func run() async throws {
            let (configuration, ledger) = try await LedgerAccess.open(config)
            let report = try await DriftReport.read(from: ledger.store, models: configuration.catalog.models.map(\.id))
            await ledger.store.close()
            print(report.timeline())
        }
    }

    struct Simulate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replays each model's recorded scores as a stream, injects a drop at a known point, and reports the detection delay and the false-alarm rate.")

        @Option(name: .long, help: "Outcome JSONL (e.g. ../shared/data/mmlu-pro/outcomes.jsonl).")
        var outcomes: String
        @Option(name: .long, help: "Drops in mean score to inject, comma-separated.")
        var drops = "0.05,0.10,0.20"
        @Option(name: .long, help: "The detector's design drop (regression.max_quality_drop).")
        var designDrop = QualityCUSUM.Settings().drop
        @Option(name: .long, help: "The CUSUM threshold h, in nats.")
        var threshold = QualityCUSUM.Settings().threshold
        @Option(name: .long, help: "Scores that make the baseline.")
        var baseline = QualityCUSUM.Settings().baselineCount
        @Option(name: .long, help: "Seeded runs per model and drop.")
        var runs = 200
        @Option(name: .long, help: "Unchanged streams per model for the false-alarm rate.")
        var falseAlarmRuns = 50
        @Option(name: .long, help: "Watched requests per unchanged stream.")
        var falseAlarmLength = 100_000
        @Option(name: .long, help: "Seed.")
        var seed: UInt64 = 1
        @Option(name: .long, help: "Write the figures as JSON here too.")
        var json: String?

        func validate() throws {
            guard runs > 0, falseAlarmRuns >= 0, falseAlarmLength > 0 else { throw ValidationError("--runs and --false-alarm-length must be positive.") }
            guard !parsedDrops.isEmpty, parsedDrops.allSatisfy({ $0 > 0 && $0 < 1 }) else { throw ValidationError("--drops must be numbers in (0, 1), like 0.05,0.10,0.20.") }
        }

        var parsedDrops: [Double] { drops.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) } }

        func run() async throws {
            let set = try OutcomeReader().read(path: outcomes)
            let settings = QualityCUSUM.Settings(drop: designDrop, threshold: threshold, baselineCount: baseline)
            let simulation = DriftSimulation(settings: settings)
            let byModel = DriftSimulation.scores(set)
            print("Bernoulli CUSUM, design drop \(designDrop), h = \(threshold), baseline \(baseline) scores; \(byModel.count) models, \(runs) runs per model and drop")
            print("drop    detected  missed  early   mean delay  p50   p90   (requests of the model after the drop)")
            var rows: [JSONValue] = []
            for drop in parsedDrops {
                var all = DriftSimulation.Detection(drop: drop)
                for model in byModel.keys.sorted() {
                    let d = simulation.detection(byModel[model] ?? [], drop: drop, runs: runs, seed: SeededHash.of(model, seed: seed))
                    all.runs += d.runs
                    all.delays += d.delays
                    all.missed += d.missed
                    all.early += d.early
                }
                all.delays.sort()
                func cell(_ v: Int?) -> String { v.map(String.init) ?? "-" }
                let mean = all.mean.map { String(Int($0.rounded())) } ?? "-"
                let p50 = cell(all.quantile(0.5)), p90 = cell(all.quantile(0.9))
                let line = [String(format: "%.2f", drop), String(all.delays.count), String(all.missed), String(all.early), mean, p50, p90]
                print(zip(line, [8, 10, 8, 8, 12, 6, 6]).map { $0.0.padding(toLength: $0.1, withPad: " ", startingAt: 0) }.joined())
                var row: JSONObject = [
                    "drop": .double(drop), "runs": .int(Int64(all.runs)), "detected": .int(Int64(all.delays.count)),
                    "missed": .int(Int64(all.missed)), "early": .int(Int64(all.early)),
                ]
                row["mean_delay"] = all.mean.map(JSONValue.double) ?? .null
                row["p50_delay"] = all.quantile(0.5).map { JSONValue.int(Int64($0)) } ?? .null
                row["p90_delay"] = all.quantile(0.9).map { JSONValue.int(Int64($0)) } ?? .null
                rows.append(.object(row))
            }
            var alarms = DriftSimulation.FalseAlarms()
            for model in byModel.keys.sorted() where falseAlarmRuns > 0 {
                let f = simulation.falseAlarms(byModel[model] ?? [], runs: falseAlarmRuns, length: falseAlarmLength, seed: SeededHash.of(model, seed: seed))
                let scores = byModel[model] ?? []
                let mean = scores.reduce(0, +) / Double(max(1, scores.count))
                print(String(format: "  %@: mean score %.3f, %d false alarms in %d requests", model, mean, f.alarms, f.requests))
                alarms.alarms += f.alarms
                alarms.requests += f.requests
            }
            print(String(format: "false alarms on unchanged streams: %d in %d requests (%.2f per 100,000)", alarms.alarms, alarms.requests, alarms.perHundredThousand))
            if let json {
                let out: JSONValue = [
                    "detector": ["kind": "bernoulli_cusum", "design_drop": .double(designDrop), "threshold": .double(threshold), "baseline": .int(Int64(baseline))],
                    "outcomes": .string(outcomes), "models": .int(Int64(byModel.count)), "runs": .int(Int64(runs)), "detection": .array(rows),
                    "false_alarms": ["alarms": .int(Int64(alarms.alarms)), "requests": .int(Int64(alarms.requests)), "per_100k": .double(alarms.perHundredThousand)],
                ]
                try Data(out.serialized()).write(to: URL(fileURLWithPath: json))
            }
        }
    }
}
