import ArgumentParser
import Foundation
import FrontierConfig
import FrontierCore
import FrontierGateway
import FrontierLedger

/// `frontier report [--since 7d] [--by model|domain|key|route] [--html FILE]`:
/// the total cost of intelligence from the ledger, and what routing saved.
struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Total cost of intelligence (API, hosting, fine-tuning) and the savings of routing, from the ledger.")

    @Option(name: .long, help: "The YAML config (its storage holds the ledger; its catalog has the prices and fixed costs).")
    var config: String

    @Option(name: .long, help: "From this time: an age such as 7d, 24h, 30m, or an ISO 8601 date or time.")
    var since: String = "7d"

    @Option(name: .long, help: "Until this time (default: now), in the same forms.")
    var until: String?

    @Option(name: .long, help: "Group by model, domain, key or route.")
    var by: String = "model"

    @Option(name: .long, help: "The reference general model for the counterfactual (default: ledger.reference_model, else the catalog's dearest model).")
    var reference: String?

    @Option(name: .long, help: "Also write the report as HTML to this file.")
    var html: String?

    func validate() throws {
        guard CostReport.Dimension(rawValue: by) != nil else { throw ValidationError("--by must be model, domain, key or route.") }
        for bound in [since, until].compactMap({ $0 }) where TimeBound.parse(bound) == nil {
            throw ValidationError("'\(bound)' is not a time: use an age such as 7d, 24h, 30m, or 2026-11-29, 2026-11-29T10:00:00Z.")
        }
    }

    func run() async throws {
        let (configuration, ledger) = try await LedgerAccess.open(config)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let from = TimeBound.parse(since) ?? now, to = until.flatMap { TimeBound.parse($0) } ?? now
        // The ledger's five-minute sums, as the dashboard reads them: the same figures in both.
        let usage = try await ledger.store.usage(fromMs: from, toMs: to)
        await ledger.store.close()
        let catalog = configuration.catalog.models
        let referenceID = reference ?? configuration.ledger.referenceModel
        let referenceModel = CostReport.referenceModel(referenceID, in: catalog)
        if let referenceID, referenceModel == nil { OfflineInput.fail("reference model '\(referenceID)' is not a usable model in \(config)") }
        let dimension = CostReport.Dimension(rawValue: by) ?? .model
        let report = CostReport(usage: usage, catalog: catalog, fromMs: from, toMs: to, by: dimension, reference: referenceModel)
        print(report.table(by: dimension))
        if let html {
            do { try Data(report.html(by: dimension).utf8).write(to: URL(fileURLWithPath: html)) } catch {
                OfflineInput.fail("cannot write \(html): \(error.localizedDescription)")
            }
            print("\nwrote \(html)")
        }
    }
}
