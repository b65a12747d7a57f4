import ArgumentParser
import Foundation
import FrontierCore
import FrontierLedger
import Logging

/// `frontier models list|reset-baseline`: each catalog model's identity and drift state from the ledger, and the
/// operator's acceptance of what a model does now.
struct Models: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Each model's reported identity and drift state; accept a changed model as the new baseline.",
        subcommands: [List.self, ResetBaseline.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Identity, changes, pin mismatches and degraded state per catalog model.")

        @Option(name: .long, help: "The YAML config: its catalog and the storage that holds the ledger.")
        var config: String

        func run() async throws {
            let (configuration, ledger) = try await LedgerAccess.open(config)
            let report = try await DriftReport.read(from: ledger.store, models: configuration.catalog.models.map(\.id))
            await ledger.store.close()
            let pins = Dictionary(uniqueKeysWithValues: configuration.catalog.models.map { ($0.id, $0.identity.pinned) })
            let states = report.states(models: configuration.catalog.models.map(\.id))
            let header = ["model", "identity", "pinned", "changes", "last canary", "degraded", "alarms"]
            let rows = states.map { s -> [String] in
                let degraded = s.degraded.map { String(format: "yes: %@ fell %.3f since %@", $0.signal, $0.drop, ISOTime.string(ms: $0.sinceMs)) } ?? "no"
                let pinned = (pins[s.model] ?? nil).map { pin in s.pinMismatch.map { "\(pin) (answered as \($0))" } ?? pin } ?? "-"
                let canary = s.lastCanary.map { c in
                    "\(ISOTime.string(ms: c.timeMs)) " + (c.score.map { String(format: "%.3f", $0) } ?? "-") + " \(c.action)"
                } ?? "-"
                return [s.model, s.identity ?? "not seen yet", pinned, String(s.identityChanges), canary, degraded, String(s.alarms)]
            }
            print(Table.render(header: header, rows: rows))
        }
    }

    struct ResetBaseline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-baseline",
            abstract: "Accept what a model does now: its drift baselines are learned again and its degraded mark is lifted, on every gateway on this ledger.")

        @Argument(help: "The catalog model id.")
        var id: String
        @Option(name: .long, help: "The YAML config whose storage holds the ledger.")
        var config: String
        @Option(name: .long, help: "Why, for the audit trail (never a prompt).")
        var reason: String?

        func run() async throws {
            let (configuration, ledger) = try await LedgerAccess.open(config)
            guard configuration.catalog[id] != nil else {
                await ledger.store.close()
                OfflineInput.fail("'\(id)' is not a model of \(config)'s catalog (\(configuration.catalog.models.map(\.id).joined(separator: ", ")))")
            }
            var detail: JSONObject = ["by": "frontier models reset-baseline"]
            if let reason { detail["reason"] = .string(String(reason.prefix(500))) }
            let event = LedgerEvent(name: LedgerEvent.driftBaselineReset, timeMs: Int64(Date().timeIntervalSince1970 * 1000), subject: id, detail: .object(detail))
            let writer = Task { await ledger.writer.run() }
            do {
                try await ledger.writer.submit(.event(event), durability: .strict)
            } catch {
                ledger.writer.stop()
                await writer.value
                await ledger.store.close()
                OfflineInput.fail("the reset could not be written to the ledger: \(error)")
            }
            ledger.writer.stop()
            await writer.value
            await ledger.store.close()
            print("\(id): baseline reset recorded; running gateways apply it within a few seconds")
        }
    }
}
