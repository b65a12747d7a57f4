import ArgumentParser
import FrontierTestUpstream
import Hummingbird

/// `frontier-upstream-double --port N`: serves ``TestUpstream`` for the
/// Python client tests and the bench. Test and bench use only.
@main
struct UpstreamDoubleCommand: AsyncParsableCommand {
    @Option var host = "127.0.0.1"
    @Option var port = 9100

    func run() async throws {
        try await TestUpstream.application(host: host, port: port).runService()
    }
}
