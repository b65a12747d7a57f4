import ArgumentParser
import Foundation
import FrontierLedger

/// `frontier shadow report`: what the shadow router would have done, from the ledger.
struct Shadow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "What router.shadow would have done on served traffic.", subcommands: [Report.self])

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Agreement, estimated quality and cost of the shadow's choices (by the live router's estimates), and the measured difference where both were scored.")

        @Option(name: .long, help: "The YAML config whose storage holds the ledger.")
        var config: String

        @Option(name: .long, help: "From this time: an ISO 8601 date or time, or an age such as 7d.")
        var since: String?

        func validate() throws {
            if let since, TimeBound.parse(since) == nil { throw ValidationError("'\(since)' is not a time: use 2026-11-29 or an age such as 7d.") }
        }

        func run() async throws {
            let ledger = try await LedgerAccess.open(config).ledger
            let from = since.flatMap { TimeBound.parse($0) }
            let stored = try await ledger.store.records(fromMs: from, toMs: nil)
            await ledger.store.close()
            let report = ShadowReport(records: stored, fromMs: from)
            guard !report.rows.isEmpty else {
                print("no request in the window has a shadow decision: set router.shadow.file in the config and serve some traffic.")
                return
            }
            print(report.table)
        }
    }
}
