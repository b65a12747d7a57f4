import ArgumentParser
import Foundation
import FrontierAnalysis
import FrontierConfig
import FrontierCore
import FrontierEval
import FrontierProviders
import FrontierRouting

/// `frontier promote candidate.json --config F --outcomes held-out.jsonl
/// [--suite suite.jsonl]`: the regression gate, then the candidate renamed
/// over `router.file` (running gateways reload it within seconds). With a
/// suite, every model either router may choose answers it first (`frontier
/// eval`), and those outcomes are held out too.
struct Promote: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Gate a candidate router file against the live one on held-out outcomes, then make it live.")

    @Argument(help: "The candidate router file (from frontier fit, or a version kept in <router.file>.versions/).")
    var candidate: String

    @Option(name: .long, help: "The YAML config whose router.file is the live router.")
    var config: String

    @Option(name: .long, help: "Held-out outcomes neither router was fitted on (repeatable).")
    var outcomes: [String] = []

    @Option(name: .long, help: "A frontier eval suite that every model either router may choose answers now; its outcomes gate too.")
    var suite: String?

    @Option(name: .long, help: "The model that grades the suite's judge cases.")
    var judge: String?

    @Option(name: .long, help: "Where the suite's outcomes are written (default: beside the candidate).")
    var suiteOut: String?

    @Option(name: .long, help: "The most the candidate may lose to the live router in a domain (quality points, 0-1).")
    var threshold = 0.01

    @Option(name: .long, help: "Held-out prompts a domain needs before it gates (smaller ones are shown, not gated).")
    var minPrompts = 30

    @Flag(name: .long, help: "Run the gate and print it; change nothing.")
    var dryRun = false

    @Flag(name: .long, help: "Promote without a gate (no held-out outcomes): only to undo a promotion with a version that served before.")
    var withoutGate = false

    func validate() throws {
        guard (0...1).contains(threshold) else { throw ValidationError("--threshold is in quality points, between 0 and 1 (e.g. 0.01).") }
        guard !outcomes.isEmpty || suite != nil || withoutGate else {
            throw ValidationError(
                "give --outcomes (held-out outcome data) or --suite (an eval suite) for the gate, or --without-gate to put back a version that served before.")
        }
    }

    func run() async throws {
        let configuration: FrontierConfiguration
        do { configuration = try ConfigLoader().load(file: config) } catch { OfflineInput.fail(error.description) }
        guard let live = configuration.router.file else {
            OfflineInput.fail("\(config) has no router.file: there is no live router to replace. Add router: {file: router.json}.")
        }
        let candidateFile: RouterFile
        do { candidateFile = try RouterFile.load(path: candidate) } catch { OfflineInput.fail(error.description) }
        var suiteRecords: [OutcomeRecord] = []
        if let suite {
            suiteRecords = await Self.runSuite(suite, candidate: candidateFile, live: configuration.router.file, configuration: configuration,
                judge: judge, out: suiteOut ?? candidate + ".suite-outcomes.jsonl")
        }
        if !outcomes.isEmpty || !suiteRecords.isEmpty {
            if FileManager.default.fileExists(atPath: live) {
                let liveFile: RouterFile
                do { liveFile = try RouterFile.load(path: live) } catch { OfflineInput.fail(error.description) }
                var records = suiteRecords
                for path in outcomes {
                    do { records += try OfflineInput.outcomes(path, config: config).records } catch { OfflineInput.fail("\(error)") }
                }
                let gate = PromotionGate(threshold: threshold, minPrompts: minPrompts)
                let rows = gate.compare(live: liveFile, candidate: candidateFile, heldOut: OutcomeSet(records: records), lambda: configuration.router.lambda)
                print("live \(liveFile.digest ?? "?") vs candidate \(candidateFile.digest ?? "?") on \(records.count) held-out prompts, λ = \(configuration.router.lambda)\n")
                print(gate.table(rows))
                guard !PromotionGate.inconclusive(rows) else {
                    print("\nnot promoted: no held-out prompt has two models' results, so nothing tells the routers apart (use --without-gate to promote anyway).")
                    throw ExitCode(1)
                }
                let failed = rows.filter(\.failed)
                guard failed.isEmpty else {
                    print("\nnot promoted: the candidate loses more than \(threshold) in \(failed.map(\.domain).joined(separator: ", ")).")
                    throw ExitCode(1)
                }
            } else {
                print("no live router file at \(live) yet: nothing to gate against; the candidate becomes the first.")
            }
        }
        guard !dryRun else {
            print("\ngate passed (dry run: nothing changed).")
            return
        }
        do {
            let version = try RouterPromotion.promote(candidate: candidate, over: live)
            print("\npromoted: \(live) is now version \(version) (the previous one is kept in \(RouterArchive(liveFile: live).directory)).")
        } catch {
            OfflineInput.fail(error.description)
        }
    }

    /// The suite answered by every catalog model either router file may choose, graded; written to `out` as outcomes.
    static func runSuite(
        _ suite: String, candidate: RouterFile, live: String?, configuration: FrontierConfiguration, judge: String?, out: String
    ) async -> [OutcomeRecord] {
        let cases: [EvalCase]
        do { cases = try EvalSuiteReader.read(path: suite) } catch { OfflineInput.fail(error.description) }
        let liveModels = live.flatMap { try? RouterFile.load(path: $0) }?.models.map(\.id) ?? []
        let ids = Set(candidate.models.map(\.id) + liveModels)
        let models = configuration.catalog.models.filter { ids.contains($0.id) && $0.kind == .chat }
        guard !models.isEmpty else { OfflineInput.fail("no model of either router file is in the config's catalog: nothing can answer the suite.") }
        var judgeEntry: ModelEntry?
        if let judge {
            guard let entry = configuration.catalog[judge] else { OfflineInput.fail("--judge '\(judge)' is not a usable model in the config.") }
            judgeEntry = entry
        } else if cases.contains(where: { if case .judge = $0.grader { true } else { false } }) {
            OfflineInput.fail("the suite has judge cases: name the judge model with --judge.")
        }
        let http = UpstreamHTTP(connectTimeoutsMs: Set((models + [judgeEntry].compactMap { $0 }).map(\.timeouts.connectMs)))
        let runner = EvalRunner(models: models, judge: judgeEntry, providers: ProviderRegistry(http: http), privacy: configuration.router.privacy)
        let records = await runner.run(cases)
        try? await http.shutdown()
        OutcomeFile.write(records, to: out)
        print("suite \(suite): \(records.count) prompts answered by \(models.map(\.id).joined(separator: ", ")); outcomes in \(out)")
        return records
    }
}
