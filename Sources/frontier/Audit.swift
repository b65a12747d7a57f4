import ArgumentParser
import Foundation
import FrontierConfig
import FrontierCore
import FrontierGateway
import FrontierLedger
import Logging

/// `frontier audit verify|export`: the ledger's tamper evidence and its records, for auditors.
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify the ledger's hash chain, export its records, or list prompts that left without a final record.",
        subcommands: [Verify.self, Export.self, Incomplete.self])

    /// Requests whose write-ahead intent (a strict route's prompt about to leave for a model outside
    /// `local`) has no final record: the gateway stopped (a crash, kill -9) while the call was out.
    struct Incomplete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List requests whose prompt left for a model (a strict route's write-ahead intent) with no final record: what left the building, mid-call.")

        @Option(name: .long, help: "The YAML config whose storage holds the ledger.")
        var config: String

        func run() async throws {
            let ledger = try await LedgerAccess.open(config).ledger
            let records = try await ledger.store.records(fromMs: nil, toMs: nil)
            await ledger.store.close()
            var finished = Set<String>()
            for stored in records {
                guard let record = try? LedgerRecord(json: try JSONParser.parse(stored.body)), record.kind == nil else { continue }
                finished.insert(record.requestID)
            }
            var open = 0
            for stored in records {
                guard let record = try? LedgerRecord(json: try JSONParser.parse(stored.body)), record.kind == LedgerRecord.intentKind,
                      !finished.contains(record.requestID)
                else { continue }
                open += 1
                let line: JSONValue = [
                    "request_id": .string(record.requestID), "time_ms": .int(record.timeMs), "model": .string(record.model ?? ""),
                    "route": .string(record.route), "zone": .string(record.zone ?? "any"), "pii": .array(record.piiCategories.map(JSONValue.string)),
                    "prompt_hmac": .string(record.promptHMAC), "seq": .int(stored.seq),
                ]
                print(line.jsonString)
            }
            FileHandle.standardError.write(Data("\(open) request(s) left with no final record, of \(finished.count) completed\n".utf8))
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Walk the hash chain; name the first modified, deleted, inserted or reordered record (exit 1).")

        @Option(name: .long, help: "The YAML config whose storage holds the ledger.")
        var config: String

        func run() async throws {
            let ledger = try await LedgerAccess.open(config).ledger
            let records = try await ledger.store.records(fromMs: nil, toMs: nil)
            let report = ChainVerifier.verify(records, checkpoints: try await ledger.store.checkpoints(), key: ledger.key, head: try await ledger.store.head())
            await ledger.store.close()
            if report.ok {
                print("ok: \(report.records) records, \(report.checkpoints) checkpoints; the chain is intact")
                return
            }
            print("FAILED: \(report.records) records, \(report.checkpoints) checkpoints")
            for problem in report.problems { print("  \(problem)") }
            throw ExitCode(1)
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the ledger's records, one line each (JSONL or CSV).")

        @Option(name: .long, help: "The YAML config whose storage holds the ledger.")
        var config: String

        @Option(name: .long, help: "From this time: an ISO 8601 date or time, or an age such as 7d, 24h, 30m.")
        var since: String?

        @Option(name: .long, help: "Until this time (exclusive), in the same forms.")
        var until: String?

        @Option(name: .long, help: "jsonl or csv.")
        var format: String = "jsonl"

        func validate() throws {
            guard ["jsonl", "csv"].contains(format) else { throw ValidationError("--format must be jsonl or csv.") }
            for bound in [since, until].compactMap({ $0 }) where TimeBound.parse(bound) == nil {
                throw ValidationError("'\(bound)' is not a time: use 2026-11-29, 2026-11-29T10:00:00Z, or an age such as 7d, 24h, 30m.")
            }
        }

        func run() async throws {
            let ledger = try await LedgerAccess.open(config).ledger
            let records = try await ledger.store.records(fromMs: since.flatMap { TimeBound.parse($0) }, toMs: until.flatMap { TimeBound.parse($0) })
            await ledger.store.close()
            if format == "csv" { print(CSVExport.header) }
            for stored in records {
                if format == "jsonl" {
                    var line = (try? JSONParser.parse(stored.body))?.objectValue ?? [:]
                    line["seq"] = .int(stored.seq)
                    line["hash"] = .string(stored.hash)
                    line["previous_hash"] = .string(stored.previousHash)
                    print(JSONValue.object(line).jsonString)
                } else if let json = try? JSONParser.parse(stored.body), let record = try? LedgerRecord(json: json) {
                    print(CSVExport.row(stored, record))
                }
            }
        }
    }
}

/// The ledger opened for the offline commands (no writer running).
enum LedgerAccess {
    /// The configuration and its ledger, read once.
    static func open(_ config: String) async throws -> (configuration: FrontierConfiguration, ledger: LedgerSetup) {
        let configuration: FrontierConfiguration
        do { configuration = try ConfigLoader().load(file: config) } catch { OfflineInput.fail(error.description) }
        var logger = Logger(label: "frontier")
        logger.logLevel = .warning
        do {
            guard let ledger = try await LedgerSetup.open(configuration, logger: logger) else {
                OfflineInput.fail("\(config) has no storage: section, so there is no ledger (add storage: {sqlite: frontier.db})")
            }
            return (configuration, ledger)
        } catch {
            OfflineInput.fail(error.description)
        }
    }
}

/// `--since` / `--until`: ISO 8601 dates and times, or ages (7d, 24h, 30m) before now.
enum TimeBound {
    static func parse(_ text: String, now: Date = Date()) -> Int64? {
        if let unit = text.last, let amount = Double(text.dropLast()), amount >= 0 {
            let seconds: Double? = switch unit {
            case "d": amount * 86_400
            case "h": amount * 3_600
            case "m": amount * 60
            default: nil
            }
            if let seconds { return Int64((now.timeIntervalSince1970 - seconds) * 1000) }
        }
        let full = ISO8601DateFormatter()
        if let date = full.date(from: text) { return Int64(date.timeIntervalSince1970 * 1000) }
        return full.date(from: text + "T00:00:00Z").map { Int64($0.timeIntervalSince1970 * 1000) }
    }
}

enum CSVExport {
    static let header = "seq,request_id,time,api_key_id,route,model,status,cost_usd,input_tokens,output_tokens,latency_ms,pii,domain,decision,hash"

    static func row(_ stored: StoredRecord, _ r: LedgerRecord) -> String {
        let time = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(r.timeMs) / 1000))
        return [
            String(stored.seq), r.requestID, time, r.apiKeyID ?? "", r.route, r.model ?? "", String(r.status), String(r.costUSD),
            String(r.inputTokens), String(r.outputTokens), String(format: "%.1f", r.latencyMs), r.piiCategories.joined(separator: "+"),
            r.domain ?? "", r.decision, stored.hash,
        ].map(field).joined(separator: ",")
    }

    /// RFC 4180: quote fields with commas, quotes or line breaks.
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
