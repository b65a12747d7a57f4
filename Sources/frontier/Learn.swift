import ArgumentParser
import Foundation
import FrontierAnalysis
import FrontierConfig
import FrontierCore
import FrontierLedger
import FrontierRouting

/// `frontier learn --config F`: the weekly loop in one command. Export the
/// ledger's scored requests, fit a candidate on them (plus any seed data),
/// gate it against the live router on the fit's held-out split, and stage it
/// as the shadow or promote it. Idempotent: the same ledger and seed data give
/// the same candidate, byte for byte, and a candidate already live is left.
struct Learn: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export scored traffic, fit a candidate router, gate it against the live one, and stage or promote it (safe from cron).")

    @Option(name: .long, help: "The YAML config (its storage holds the ledger; its router.file is the live router).")
    var config: String

    @Option(name: .long, help: "Only requests from this time: an ISO 8601 date or time, or an age such as 7d (default: the whole ledger).")
    var since: String?

    @Option(name: .long, help: "Outcome data fitted beside the exported traffic (repeatable), e.g. a public set the first router came from.")
    var seedData: [String] = []

    @Option(name: .long, help: "Where the exports and candidates go (default: <router.file>.learning).")
    var work: String?

    @Flag(name: .long, help: "Promote the candidate over router.file when it passes the gate (default: stage it as router.shadow.file).")
    var promote = false

    @Option(name: .long, help: "The most the candidate may lose to the live router in a domain (quality points).")
    var threshold = 0.01

    @Flag(name: .long, help: "Also learn from requests whose prompt had personal data (the export stays in --work, mode 0600).")
    var includePII = false

    func validate() throws {
        if let since, TimeBound.parse(since) == nil { throw ValidationError("'\(since)' is not a time: use 2026-11-29 or an age such as 7d.") }
        guard (0...1).contains(threshold) else { throw ValidationError("--threshold is in quality points, between 0 and 1.") }
    }

    func run() async throws {
        let (configuration, ledger) = try await LedgerAccess.open(config)
        guard let live = configuration.router.file else {
            OfflineInput.fail("\(config) has no router.file: learn writes the router the gateway serves there. Add router: {file: router.json}.")
        }
        var steps: [(step: String, result: String, why: String)] = []
        let directory = work ?? live + ".learning"
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            OfflineInput.fail("cannot create \(directory): \(error.localizedDescription)")
        }

        // 1. Export.
        let from = since.flatMap { TimeBound.parse($0) }
        let stored = try await ledger.store.records(fromMs: from, toMs: nil)
        await ledger.store.close()
        let (lines, summary) = OutcomeExport(
            includePII: includePII, bodyKey: ledger.bodyKey, fromMs: from, classify: LiveClassifier.load(configuration)
        ).lines(from: stored)
        let exported = directory + "/ledger-outcomes.jsonl"
        let bytes = OutcomeExport.jsonl(lines)
        do { try PrivateFile.replace(exported, contents: bytes) } catch { OfflineInput.fail("cannot write \(exported): \(error.description)") }
        steps.append((
            "export", "\(summary.exported) scored prompts", "\(summary.unscored) served without a score, \(summary.withheldForPII) with personal data left out, "
                + "\(summary.withoutPrompt) without their prompt"))

        // 2. Fit on the export and the seed data.
        var records: [OutcomeRecord] = []
        for path in seedData {
            do { records += try OfflineInput.outcomes(path, config: config).records } catch { OfflineInput.fail("\(error)") }
        }
        let seedCount = records.count
        if !lines.isEmpty {
            // Parsed from the bytes just written, as fit would read the file, with the config's prices.
            let prices = Dictionary(configuration.catalog.models.map { ($0.id, $0.price) }, uniquingKeysWith: { a, _ in a })
            do { records += try OutcomeReader(prices: prices).read(bytes: bytes, path: exported).records } catch { OfflineInput.fail("\(error)") }
        }
        guard records.count >= 50 else {
            steps.append(("fit", "skipped", "\(records.count) prompts with outcomes; at least 50 are needed (post feedback, or name --seed-data)"))
            print(Self.table(steps))
            return
        }
        // The fit's time is the newest data's, so the same data gives the same bytes (and version) on every run.
        let newest = lines.compactMap { $0["time_ms"]?.intValue }.max().map { Date(timeIntervalSince1970: Double($0) / 1000) }
        let fitter = RouterFitter()
        let result = fitter.fit(OutcomeSet(records: records), dataName: "frontier learn", now: newest ?? Date(timeIntervalSince1970: 0))
        let candidateBytes = result.file.json.serialized()
        let version = RouterFile.digest(of: candidateBytes)
        let candidatePath = directory + "/candidate-\(version).json"
        do { try Data(candidateBytes).write(to: URL(fileURLWithPath: candidatePath), options: .atomic) } catch {
            OfflineInput.fail("cannot write \(candidatePath): \(error.localizedDescription)")
        }
        steps.append(("fit", "candidate \(version)", "\(records.count - seedCount) from traffic + \(seedCount) seed prompts; \(candidatePath)"))

        // 3. Gate against the live router on the fit's held-out split.
        let liveFile = try? RouterFile.load(path: live)
        if let liveFile, liveFile.digest == version {
            steps.append(("gate", "skipped", "the candidate is the live router already: nothing to do"))
            print(Self.table(steps))
            return
        }
        let heldOut = OutcomeSet(records: records).split(testPercent: fitter.testPercent, seed: fitter.seed).test
        if let liveFile {
            let gate = PromotionGate(threshold: threshold)
            let rows = gate.compare(live: liveFile, candidate: result.file, heldOut: heldOut, lambda: configuration.router.lambda)
            guard !PromotionGate.inconclusive(rows) else {
                steps.append(("gate", "inconclusive", "no held-out prompt has two models' results, so nothing tells the routers apart: post scores for "
                    + "several models on the same prompts (named requests), turn on router.explore, or name --seed-data"))
                print(Self.table(steps))
                throw ExitCode(1)
            }
            let failed = rows.filter(\.failed)
            var all = rows.first { $0.domain == "all" }.map {
                String(format: "quality %+.4f, cost %+.2f%% at the serving λ", $0.change, ($0.candidateCostUSD / max($0.liveCostUSD, 1e-12) - 1) * 100)
            } ?? ""
            if let curve = rows.first(where: { $0.domain == PromotionGate.curveRow }) { all += String(format: "; AIQ %+.4f", curve.change) }
            guard failed.isEmpty else {
                steps.append(("gate", "failed", "worse by more than \(threshold) in \(failed.map(\.domain).joined(separator: ", ")) on \(rows.first { $0.domain == "all" }?.prompts ?? 0) held-out prompts with two results or more"))
                print(Self.table(steps))
                print("\n" + gate.table(rows))
                throw ExitCode(1)
            }
            steps.append(("gate", "passed", "\(rows.first { $0.domain == "all" }?.prompts ?? 0) held-out prompts with two results or more vs live \(liveFile.digest ?? "?"): \(all)"))
        } else {
            steps.append(("gate", "skipped", "no live router at \(live) yet: the candidate becomes the first"))
        }

        // 4. Stage or promote.
        if promote {
            do { _ = try RouterPromotion.promote(candidate: candidatePath, over: live) } catch { OfflineInput.fail(error.description) }
            steps.append(("promote", "live \(version)", "renamed over \(live); running gateways reload it"))
        } else if let shadow = configuration.router.shadowFile {
            do { try Data(candidateBytes).write(to: URL(fileURLWithPath: shadow), options: .atomic) } catch {
                OfflineInput.fail("cannot write \(shadow): \(error.localizedDescription)")
            }
            steps.append(("stage", "shadow \(version)", "written to router.shadow.file \(shadow); restart the gateway to shadow it, then promote with --promote"))
        } else {
            steps.append(("stage", "kept \(version)", "no router.shadow.file in the config: run again with --promote, or shadow \(candidatePath) first"))
        }
        print(Self.table(steps))
    }

    static func table(_ steps: [(step: String, result: String, why: String)]) -> String {
        let width = max(10, (steps.map(\.result.count).max() ?? 0) + 2)
        var lines = ["step".padding(toLength: 9, withPad: " ", startingAt: 0) + "result".padding(toLength: width, withPad: " ", startingAt: 0) + "why"]
        for s in steps {
            lines.append(s.step.padding(toLength: 9, withPad: " ", startingAt: 0) + s.result.padding(toLength: width, withPad: " ", startingAt: 0) + s.why)
        }
        return lines.joined(separator: "\n")
    }
}
