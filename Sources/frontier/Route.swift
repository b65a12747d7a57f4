import ArgumentParser
import FrontierConfig
import FrontierCore
import FrontierGateway
import FrontierRouting

/// `frontier route "prompt"`: the router's decision for a prompt, without
/// calling a model, as a table (`--explain`) or JSON.
struct Route: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show which model a prompt would be routed to, and why.")

    @Argument(help: "The prompt (one user message).")
    var prompt: String

    @Option(name: .long, help: "The YAML config file.")
    var config: String

    @Option(name: .long, help: "The model to ask for; auto lets the router choose.")
    var model: String = "auto"

    @Option(name: .long, parsing: .singleValue, help: "A constraint header, e.g. --header x-frontier-privacy:local (repeatable).")
    var header: [String] = []

    @Flag(name: .long, help: "Print a readable table instead of JSON.")
    var explain = false

    @Option(name: .long, help: "The request's max_tokens (it bounds the expected answer, so the cost), to replay a request that set it.")
    var maxTokens: Int?

    @Option(name: .long, help: "Decide with this kept router file version (a ledger record's router_version) instead of the live one.")
    var routerVersion: String?

    func run() throws {
        let configuration: FrontierConfiguration
        do {
            configuration = try ConfigLoader().load(file: config)
        } catch {
            print(error.description)
            throw ExitCode(2)
        }
        var headers: [String: String] = [:]
        for item in header {
            guard let colon = item.firstIndex(of: ":") else {
                throw ValidationError("--header takes name:value, got '\(item)'.")
            }
            headers[item[..<colon].lowercased()] = String(item[item.index(after: colon)...])
        }
        let routerFile: RouterFile?
        if routerVersion != nil, configuration.router.file == nil {
            print("--router-version needs router.file in \(config): versions are kept beside it")
            throw ExitCode(2)
        }
        do throws(RouterFileError) {
            if let routerVersion, let live = configuration.router.file {
                routerFile = try RouterArchive(liveFile: live).load(version: routerVersion)
            } else {
                routerFile = try GatewayServer.loadRouterFile(for: configuration)
            }
        } catch {
            print(error.description)
            throw ExitCode(2)
        }
        let planner = GatewayServer.planner(for: configuration, routerFile: routerFile)
        let request = ChatRequest(
            model: model, messages: [ChatMessage(role: "user", content: .string(prompt))], extra: maxTokens.map { ["max_tokens": .int(Int64($0))] } ?? [:])
        do {
            let target = try planner.target(for: model)
            let constraints = try ConstraintParser.parse(header: { headers[$0] }, body: nil, defaults: planner.defaults(for: target))
            let plan = try planner.plan(request, target: target, constraints: constraints)
            guard let decision = plan.decision else {
                print(explain ? "\(model): requested explicitly, allowed by policy." : plan.shortForm)
                return
            }
            print(explain ? DecisionTable.render(decision) : decision.json.jsonString)
        } catch {
            print("\(error.status) \(error.message)")
            throw ExitCode(1)
        }
    }
}

/// The readable form of a decision for the terminal.
enum DecisionTable {
    static func render(_ decision: Decision) -> String {
        var lines: [String] = []
        let f = decision.features
        lines.append("chosen: \(decision.chosen ?? "none")    rule: \(decision.rule)")
        lines.append("features: domain \(f.domain.map { "\($0.domain) (\(String(format: "%.2f", $0.confidence)))" } ?? "-"), "
            + "~\(f.promptTokens) prompt tokens, ~\(f.expectedOutputTokens) output tokens, "
            + "PII \(f.piiCategories.isEmpty ? "none" : f.piiCategories.map(\.rawValue).joined(separator: ", ")), "
            + "code \(f.hasCode ? "yes" : "no"), math \(f.hasMath ? "yes" : "no")")
        lines.append("constraints: privacy \(decision.constraints.privacy.rawValue), objective \(decision.constraints.objective.rawValue)")
        lines.append("")
        lines.append(pad("model", 22) + pad("quality", 9) + pad("cost USD", 12) + pad("latency ms", 12) + "status")
        let excluded = Dictionary(decision.excluded.map { ($0.model, $0.reason.description) }, uniquingKeysWith: { a, _ in a })
        for estimate in decision.estimates {
            let status: String
            if let rank = decision.order.firstIndex(of: estimate.model) {
                status = (rank == 0 ? "chosen" : "fallback \(rank)") + (decision.frontier.contains(estimate.model) ? ", on frontier" : "")
            } else {
                status = "excluded: \(excluded[estimate.model] ?? "")"
            }
            lines.append(pad(estimate.model, 22) + pad(String(format: "%.3f", estimate.quality), 9)
                + pad(String(format: "%.6f", estimate.costUSD), 12) + pad(String(format: "%.0f", estimate.latencyMs), 12) + status)
        }
        return lines.joined(separator: "\n")
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
