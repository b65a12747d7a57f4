import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

/// A client that hangs up cancels the gateway's upstream request, rather than
/// leaving it running (and billing) until its timeout.
@Suite struct DisconnectTests {
    @Test(arguments: [(false, "hang"), (true, "hang"), (true, "slow-first-token")])
    func aClientThatHangsUpCancelsItsUpstreamRequest(stream: Bool, mode: String) async throws {
        let models = model("slow", mode: mode)
        let gateway = "  timeouts: {connect_ms: 1000, first_token_ms: 60000, total_ms: 60000}"
        try await withGateway(models: models, gateway: gateway) { _, port, stats in
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/chat/completions")
            request.method = .POST
            request.body = .bytes(chatBody(model: "slow", stream: stream))
            // Hang up once the upstream has the request (not after a fixed delay, which a loaded CI machine can outlast).
            let call = Task {
                let response = try await client.execute(request, deadline: .now() + .seconds(30))
                _ = try await response.body.collect(upTo: 1 << 20)
            }
            // liveness: the upstream has it within a few ms idle; 15 s holds on busy cores.
            let reached = Date().addingTimeInterval(15)
            while stats.requests < 1, Date() < reached {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(stats.requests >= 1)
            call.cancel()
            await #expect(throws: (any Error).self) { try await call.value }
            // liveness: the cancel reaches the upstream within ~10 ms idle; 15 s holds on busy cores.
            let deadline = Date().addingTimeInterval(15)
            while stats.inFlight > 0, Date() < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(stats.inFlight == 0, "the upstream request is still running after the client left")
            try await client.shutdown()
        }
    }
}
