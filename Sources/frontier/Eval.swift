import ArgumentParser
import Foundation
import FrontierAnalysis
import FrontierConfig
import FrontierCore
import FrontierEval
import FrontierProviders

/// `frontier eval SUITE --models a,b --config FILE [--baseline RUN]`: runs a
/// suite against live models, writes outcomes JSONL, and with a baseline
/// fails (exit 1) when a model's quality drops on any domain.
struct Eval: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Score models on a suite; with --baseline, fail on a quality regression.")

    @Argument(help: "The suite (JSONL: id, prompt, grader, expected; optional domain, system, max_tokens, tolerance).")
    var suite: String

    @Option(name: .long, help: "Comma-separated model ids from the config.")
    var models: String

    @Option(name: .long, help: "The YAML config with the models.")
    var config: String

    @Option(name: .long, help: "Where to write the outcomes JSONL.")
    var out: String = "eval-outcomes.jsonl"

    @Option(name: .long, help: "An earlier run's outcomes JSONL to compare against (the regression gate).")
    var baseline: String?

    @Option(name: .long, help: "The largest drop in mean score on a domain the gate lets through.")
    var threshold: Double = 0.05

    @Option(name: .long, help: "The model that grades `judge` cases.")
    var judge: String?

    @Option(name: .long, help: "Calls in flight at once.")
    var concurrency: Int = 4

    func validate() throws {
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1.") }
        guard threshold >= 0 else { throw ValidationError("--threshold must be >= 0.") }
    }

    func run() async throws {
        let configuration: FrontierConfiguration
        do { configuration = try ConfigLoader().load(file: config) } catch { OfflineInput.fail(error.description) }
        let cases: [EvalCase]
        do { cases = try EvalSuiteReader.read(path: suite) } catch { OfflineInput.fail(error.description) }
        let entries = try models.split(separator: ",").map { id in
            let id = String(id).trimmingCharacters(in: .whitespaces)
            guard let entry = configuration.catalog[id] else {
                let why = configuration.catalog.unavailableReason(for: id) ?? "it is not in \(config)"
                throw ValidationError("model '\(id)' cannot be used: \(why).")
            }
            return entry
        }
        var judgeEntry: ModelEntry?
        if let judge {
            guard let entry = configuration.catalog[judge] else { throw ValidationError("--judge '\(judge)' is not a usable model in \(config).") }
            judgeEntry = entry
        } else if cases.contains(where: { if case .judge = $0.grader { true } else { false } }) {
            throw ValidationError("the suite has judge cases: name the judge model with --judge.")
        }
        let baselineSet: OutcomeSet?
        do { baselineSet = try baseline.map { path throws(OutcomeDataError) in try OutcomeReader().read(path: path) } } catch {
            OfflineInput.fail(error.description)
        }

        let http = UpstreamHTTP(connectTimeoutsMs: Set((entries + [judgeEntry].compactMap { $0 }).map(\.timeouts.connectMs)))
        let runner = EvalRunner(
            models: entries, judge: judgeEntry, providers: ProviderRegistry(http: http), concurrency: concurrency,
            privacy: configuration.router.privacy)
        let bar = ProgressBar(label: "eval")
        let records = await runner.run(cases) { done, total in bar.update(done, total) }
        try? await http.shutdown()

        OutcomeFile.write(records, to: out)
        let set = OutcomeSet(records: records)
        print(Self.summary(set, models: entries.map(\.id)))
        print("wrote \(records.count) outcome records to \(out)")
        guard let baselineSet else { return }
        let gate = RegressionGate(threshold: threshold)
        let rows = gate.compare(current: set, baseline: baselineSet)
        print("\nregression gate against \(baseline ?? ""), threshold \(threshold):")
        print(gate.table(rows))
        guard !rows.isEmpty else {
            print("no prompt of this run is in the baseline: nothing to compare")
            throw ExitCode(1)
        }
        if rows.contains(where: \.failed) {
            print("FAILED: quality dropped by more than \(threshold) on \(rows.filter(\.failed).count) model/domain pair(s)")
            throw ExitCode(1)
        }
        print("passed")
    }

    static func summary(_ set: OutcomeSet, models: [String]) -> String {
        var lines = ["", "model                     identity (upstream)       score   errors  tokens in/out   cost USD    p50 ms"]
        for model in models {
            let outcomes = set.records.compactMap { $0.results[model] }
            guard !outcomes.isEmpty else { continue }
            let score = outcomes.map(\.score).reduce(0, +) / Double(outcomes.count)
            let errors = outcomes.filter { $0.error != nil }.count
            let input = outcomes.compactMap(\.inputTokens).reduce(0, +), output = outcomes.compactMap(\.outputTokens).reduce(0, +)
            let cost = outcomes.compactMap(\.costUSD).reduce(0, +)
            let latencies = outcomes.compactMap(\.latencyMs).sorted()
            let identity = Set(outcomes.compactMap(\.upstreamModel)).sorted().joined(separator: ",")
            lines.append([
                model.padding(toLength: 26, withPad: " ", startingAt: 0), String(identity.prefix(24)).padding(toLength: 26, withPad: " ", startingAt: 0),
                String(format: "%.3f", score).padding(toLength: 8, withPad: " ", startingAt: 0), String(errors).padding(toLength: 8, withPad: " ", startingAt: 0),
                "\(input)/\(output)".padding(toLength: 16, withPad: " ", startingAt: 0), String(format: "%.6f", cost).padding(toLength: 12, withPad: " ", startingAt: 0),
                latencies.isEmpty ? "-" : String(format: "%.0f", latencies[latencies.count / 2]),
            ].joined())
        }
        return lines.joined(separator: "\n")
    }
}

/// A progress bar on standard error: redrawn in place on a terminal, a line per tenth otherwise.
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let lock = NSLock()
    private var lastTenth = -1
    private let isTerminal = isatty(2) != 0

    init(label: String) { self.label = label }

    func update(_ done: Int, _ total: Int) {
        lock.lock()
        defer { lock.unlock() }
        let fraction = total == 0 ? 1 : Double(done) / Double(total)
        let filled = Int(fraction * 30)
        let bar = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled) + "]"
        let text = "\(label) \(bar) \(done)/\(total) (\(Int(fraction * 100))%)"
        if isTerminal {
            FileHandle.standardError.write(Data(("\r" + text + (done == total ? "\n" : "")).utf8))
        } else if Int(fraction * 10) > lastTenth {
            lastTenth = Int(fraction * 10)
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
    }
}
