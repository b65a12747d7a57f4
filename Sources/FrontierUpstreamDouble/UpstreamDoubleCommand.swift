import ArgumentParser
import FrontierTestUpstream
import Hummingbird

/// `frontier-upstream-double --port N`: serves ``TestUpstream`` for the
/// Python client tests and the bench. Test and bench use only.
@main
struct UpstreamDoubleCommand: AsyncParsableCommand {
    @Option var host = "127.0.0.1"
    @Option var port = 9100
    @Option(help: "Outcomes JSONL that the `recorded` mode answers from (the learning-curve simulation).")
    var outcomes: String?

    func run() async throws {
        let recorded = try outcomes.map { try RecordedOutcomes(contentsOf: $0) }
        try await TestUpstream.application(host: host, port: port, recorded: recorded).runService()
    }
}
