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
        let stored = try await ledger.store.records(fromMs: from, toMs: to)
        await ledger.store.close()
        let entries = stored.compactMap { s in (try? JSONParser.parse(s.body)).flatMap { try? LedgerEntry(json: $0) } }
        let records = entries.compactMap(\.request)
        let explorations = entries.compactMap { entry -> ExplorationRecord? in if case .exploration(let x) = entry { x } else { nil } }
        let catalog = configuration.catalog.models
        let referenceID = reference ?? configuration.ledger.referenceModel
        let referenceModel: ModelEntry?
        if let referenceID {
            guard let entry = catalog.first(where: { $0.id == referenceID }) else {
                OfflineInput.fail("reference model '\(referenceID)' is not a usable model in \(config)")
            }
            referenceModel = entry
        } else {
            referenceModel = catalog.max { $0.price.outputPerMTok < $1.price.outputPerMTok }
        }
        let dimension = CostReport.Dimension(rawValue: by) ?? .model
        let report = CostReport(records: records, explorations: explorations, catalog: catalog, fromMs: from, toMs: to, by: dimension, reference: referenceModel)
        print(report.table(by: dimension))
        if let html {
            do { try Data(report.html(by: dimension).utf8).write(to: URL(fileURLWithPath: html)) } catch {
                OfflineInput.fail("cannot write \(html): \(error.localizedDescription)")
            }
            print("\nwrote \(html)")
        }
    }
}
