import ArgumentParser
import Foundation
import FrontierCore
import FrontierGateway
import FrontierLedger

/// `frontier keys create|list|show|update|revoke`: tenants' API keys, straight
/// in the ledger's database (what `/admin/keys` does, without a running
/// gateway). Prints JSON; a created key's secret is shown this once.
struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create, list, show, update and revoke tenants' API keys (printed as JSON).",
        subcommands: [Create.self, List.self, Show.self, Update.self, Revoke.self])

    /// The key fields, as options; `--json` takes them as one object instead (or on top).
    struct Fields: ParsableArguments {
        @Option(help: "Whose key this is.") var name: String?
        @Option(help: "Catalog models the key may use, comma-separated (default: any).") var models: String?
        @Option(help: "Routes the key may use, comma-separated (default: any).") var routes: String?
        @Option(help: "The key's privacy floor: any, on-prem or local.") var privacy: String?
        @Option(help: "Default objective: cheapest, balanced or best.") var objective: String?
        @Option(name: .customLong("budget-usd"), help: "Budget per period, in US dollars.") var budgetUSD: Double?
        @Option(name: .customLong("budget-period"), help: "day, week, month (default) or total.") var budgetPeriod: String?
        @Option(help: "Requests per minute.") var rpm: Int?
        @Option(help: "Tokens per minute.") var tpm: Int?
        @Option(name: .customLong("expires-at"), help: "When the key stops working (ISO 8601).") var expiresAt: String?
        @Option(name: .customLong("max-cost-usd"), help: "Ceiling on a request's expected cost that no header can lift.") var maxCostUSD: Double?
        @Option(name: .customLong("max-latency-ms"), help: "Ceiling on a request's expected latency.") var maxLatencyMs: Double?
        @Option(help: "The fields as a JSON object, as POST /admin/keys takes them.") var json: String?

        func object() throws -> JSONObject {
            var o: JSONObject = [:]
            if let json {
                guard let parsed = (try? JSONParser.parse(json))?.objectValue else { throw ValidationError("--json must be a JSON object, like {\"name\": \"billing\"}.") }
                o = parsed
            }
            func list(_ text: String) -> JSONValue { .array(text.split(separator: ",").map { .string(String($0).trimmingCharacters(in: .whitespaces)) }) }
            if let name { o["name"] = .string(name) }
            if let models { o["models"] = list(models) }
            if let routes { o["routes"] = list(routes) }
            if let privacy { o["privacy"] = .string(privacy) }
            if let objective { o["objective"] = .string(objective) }
            if let budgetUSD { o["budget_usd"] = .double(budgetUSD) }
            if let budgetPeriod { o["budget_period"] = .string(budgetPeriod) }
            if let rpm { o["rpm"] = .int(Int64(rpm)) }
            if let tpm { o["tpm"] = .int(Int64(tpm)) }
            if let expiresAt { o["expires_at"] = .string(expiresAt) }
            var ceilings = o["max_constraints"]?.objectValue ?? [:]
            if let maxCostUSD { ceilings["max_cost_usd"] = .double(maxCostUSD) }
            if let maxLatencyMs { ceilings["max_latency_ms"] = .double(maxLatencyMs) }
            if !ceilings.isEmpty { o["max_constraints"] = .object(ceilings) }
            return o
        }
    }

    static func run(_ config: String, _ body: (KeyAdministration) async throws(APIError) -> JSONValue) async throws {
        let ledger = try await LedgerAccess.open(config).ledger
        let result: Result<JSONValue, APIError>
        do {
            result = .success(try await body(KeyAdministration(store: ledger.keyStore)))
        } catch {
            result = .failure(error)
        }
        await ledger.store.close()
        switch result {
        case .success(let json): print(json.jsonString)
        case .failure(let error):
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            throw ExitCode(1)
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key; prints it with its secret (shown once).")
        @Option(help: "The YAML config whose storage holds the keys.") var config: String
        @OptionGroup var fields: Fields
        func run() async throws {
            let body = try fields.object()
            try await Keys.run(config) { admin throws(APIError) in try await admin.create(body).1 }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every key (never a secret).")
        @Option(help: "The YAML config whose storage holds the keys.") var config: String
        func run() async throws {
            try await Keys.run(config) { admin throws(APIError) in try await admin.list() }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a key with its spend, reserved and remaining budget for the current period.")
        @Option(help: "The YAML config whose storage holds the keys.") var config: String
        @Argument(help: "The key id (key_...).") var id: String
        func run() async throws {
            try await Keys.run(config) { admin throws(APIError) in try await admin.show(id) }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a key's fields (those given; JSON null clears one).")
        @Option(help: "The YAML config whose storage holds the keys.") var config: String
        @Argument(help: "The key id (key_...).") var id: String
        @OptionGroup var fields: Fields
        func run() async throws {
            let body = try fields.object()
            try await Keys.run(config) { admin throws(APIError) in try await admin.update(id, body).1 }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key: every instance refuses it within 5 s.")
        @Option(help: "The YAML config whose storage holds the keys.") var config: String
        @Argument(help: "The key id (key_...).") var id: String
        func run() async throws {
            try await Keys.run(config) { admin throws(APIError) in try await admin.revoke(id).1 }
        }
    }
}
