import AsyncHTTPClient
import Foundation
import FrontierConfig
import FrontierCore
import FrontierGateway
import FrontierLedger
import FrontierProviders
import FrontierRouting
import FrontierTestUpstream
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// A gateway on a real socket in front of the misbehaving test upstream.
/// `PORT` in the models YAML becomes the upstream's port.
func withGateway(
    models: String,
    gateway: String = "",
    environment: [String: String] = [:],
    _ body: @Sendable (_ client: any TestClientProtocol, _ gatewayPort: Int, _ stats: UpstreamStats) async throws -> Void
) async throws {
    let stats = UpstreamStats()
    let quiet = {
        var logger = Logger(label: "test-upstream")
        logger.logLevel = .error
        return logger
    }()
    let upstream = TestUpstream.application(host: "127.0.0.1", port: 0, stats: stats, logger: quiet)
    try await upstream.test(.live) { upstreamClient in
        let port = try #require(upstreamClient.port)
        let yaml = (gateway.isEmpty ? "" : "gateway:\n" + gateway + "\n") + "models:\n" + models.replacingOccurrences(of: "PORT", with: String(port))
        let config = try ConfigLoader(environment: environment).parse(yaml, file: "test.yaml")
        let server = GatewayServer(configuration: config, logger: quiet)
        let app = server.application(host: "127.0.0.1", port: 0)
        do {
            try await app.test(.live) { client in
                try await body(client, try #require(client.port), stats)
            }
        } catch {
            try? await server.shutdown()
            throw error
        }
        try await server.shutdown()
    }
}

/// The gateway in-process (Hummingbird's `.router` test client, no socket) in front of
/// a ``ScriptedProvider``: for pipeline behaviour where the socket is not the point.
/// `PORT` in the models YAML is left for the scripted provider to ignore.
func withScriptedGateway(
    models: String,
    gateway: String = "",
    telemetry: Telemetry? = nil,
    _ body: @Sendable (_ client: any TestClientProtocol, _ provider: ScriptedProvider) async throws -> Void
) async throws {
    let quiet = {
        var logger = Logger(label: "test-gateway")
        logger.logLevel = .error
        return logger
    }()
    let yaml = (gateway.isEmpty ? "" : "gateway:\n" + gateway + "\n") + "models:\n" + models
    let config = try ConfigLoader(environment: [:]).parse(yaml, file: "test.yaml")
    let provider = ScriptedProvider()
    let server = GatewayServer(
        configuration: config, providers: ProviderRegistry([.openAICompatible: provider, .anthropic: provider]), telemetry: telemetry, logger: quiet)
    let app = server.application(host: "127.0.0.1", port: 0)
    do {
        try await app.test(.router) { client in try await body(client, provider) }
    } catch {
        try? await server.shutdown()
        throw error
    }
    try await server.shutdown()
}

/// ``withScriptedGateway`` with a ledger on a fresh SQLite file (its writer running) and, with `adminKey`,
/// `auth:` on (keys made through `/admin/keys` as a client would).
func withLedgerGateway(
    models: String,
    adminKey: String? = nil,
    extra: String = "",
    routerFile: RouterFile? = nil,
    candidates: CandidateRouterFiles = CandidateRouterFiles(),
    _ body: @Sendable (_ client: any TestClientProtocol, _ provider: ScriptedProvider, _ ledger: LedgerSetup) async throws -> Void
) async throws {
    try await withLedgerGatewayServer(models: models, adminKey: adminKey, extra: extra, routerFile: routerFile, candidates: candidates) { client, provider, ledger, _ in
        try await body(client, provider, ledger)
    }
}

/// ``withLedgerGateway`` that also hands the body the server (its services, such as the reset watcher).
func withLedgerGatewayServer(
    models: String,
    adminKey: String? = nil,
    extra: String = "",
    routerFile: RouterFile? = nil,
    candidates: CandidateRouterFiles = CandidateRouterFiles(),
    driftDetector: QualityCUSUM.Settings = QualityCUSUM.Settings(),
    _ body: @Sendable (_ client: any TestClientProtocol, _ provider: ScriptedProvider, _ ledger: LedgerSetup, _ server: GatewayServer) async throws -> Void
) async throws {
    var quiet = Logger(label: "test-gateway")
    quiet.logLevel = .error
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-gateway-\(UUID())").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var yaml = "storage: {sqlite: \(directory)/frontier.db}\n" + extra
    if let adminKey { yaml += "auth: {admin_key: \(adminKey)}\n" }
    let config = try ConfigLoader(environment: [:]).parse(yaml + "models:\n" + models, file: "test.yaml")
    let ledger = try #require(try await LedgerSetup.open(config, environment: ["FRONTIER_LEDGER_KEY": "test-ledger-key"], logger: quiet))
    let tenancy = config.auth.map { Tenancy(auth: $0, store: ledger.keyStore, logger: quiet) }
    try await tenancy?.reload()
    let writer = Task { await ledger.writer.run() }
    let provider = ScriptedProvider()
    let server = GatewayServer(
        configuration: config, routerFile: routerFile, ledger: ledger, tenancy: tenancy, candidates: candidates,
        providers: ProviderRegistry([.openAICompatible: provider, .anthropic: provider]), driftDetector: driftDetector, logger: quiet)
    let app = server.application(host: "127.0.0.1", port: 0)
    var failure: (any Error)?
    do {
        try await app.test(.router) { client in try await body(client, provider, ledger, server) }
    } catch {
        failure = error
    }
    try? await server.shutdown()
    ledger.writer.stop()
    await writer.value
    await ledger.store.close()
    if let failure { throw failure }
}

/// One model entry of the test catalog, served by the test upstream in `mode`.
func model(_ id: String, mode: String, provider: String = "openai-compatible", extra: String = "") -> String {
    "  - {id: \(id), provider: \(provider), base_url: \"http://127.0.0.1:PORT/\(mode)/v1\", deployment: local, price: {input_per_mtok: 1, output_per_mtok: 2}\(extra)}\n"
}

func chatBody(model: String, stream: Bool = false, includeUsage: Bool = false) -> ByteBuffer {
    var text = #"{"model":"\#(model)","messages":[{"role":"user","content":"hi"}]"#
    if stream { text += #","stream":true"# }
    if includeUsage { text += #","stream_options":{"include_usage":true}"# }
    return ByteBuffer(string: text + "}")
}

extension TestClientProtocol {
    func chat(_ body: ByteBuffer) async throws -> TestResponse {
        try await execute(uri: "/v1/chat/completions", method: .post, headers: [.contentType: "application/json"], body: body)
    }
}

func json(_ response: TestResponse) throws -> JSONValue {
    try JSONParser.parse(response.body.readableBytesView)
}

/// The `data:` payloads of an SSE body.
func events(_ response: TestResponse) -> [String] {
    String(buffer: response.body).components(separatedBy: "\n\n").compactMap { block in
        block.hasPrefix("data: ") ? String(block.dropFirst(6)) : nil
    }
}
