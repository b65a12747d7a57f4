public import FrontierConfig
import FrontierCore
public import FrontierProviders
import FrontierRouting
public import Hummingbird
public import Logging

/// The HTTP gateway: routes, handlers and the upstream transport, built from
/// a validated configuration.
///
/// ```swift
/// let server = GatewayServer(configuration: config, logger: logger)
/// let app = server.application(host: "127.0.0.1", port: 8080)
/// try await app.runService()
/// try await server.shutdown()
/// ```
public struct GatewayServer: Sendable {
    public let configuration: FrontierConfiguration
    public let http: UpstreamHTTP
    let logger: Logger

    public init(configuration: FrontierConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        let connectTimeouts = Set(configuration.catalog.models.map(\.timeouts.connectMs))
        self.http = UpstreamHTTP(connectTimeoutsMs: connectTimeouts, maxConnectionsPerHost: configuration.gateway.maxConnectionsPerHost)
    }

    public func router() -> Router<GatewayContext> {
        let catalog = configuration.catalog
        let chat = ChatCompletions(
            planner: RoutePlanner(catalog: catalog, defaultOrder: configuration.gateway.defaultModels),
            providers: ProviderRegistry(http: http),
            maxBodyBytes: configuration.gateway.maxBodyBytes,
            watcher: DisconnectWatcher(),
            requestIDs: RequestIDGenerator(),
            logger: logger)
        let models = CatalogEndpoints.models(catalog).serialized()
        let health = CatalogEndpoints.health(catalog).serialized()
        let router = Router(context: GatewayContext.self)
        router.post("/v1/chat/completions") { request, context in await chat.handle(request, context: context) }
        router.get("/v1/models") { _, _ in Responses.json(models) }
        router.get("/healthz") { _, _ in Responses.json(health) }
        return router
    }

    public func application(host: String? = nil, port: Int? = nil) -> some ApplicationProtocol {
        Application(
            router: router(),
            server: .http1(configuration: .init(additionalChannelHandlers: [ClientHalfCloseHandler()])),
            configuration: .init(
                address: .hostname(host ?? configuration.gateway.host, port: port ?? configuration.gateway.port),
                serverName: "frontier"),
            logger: logger)
    }

    /// Closes the upstream connection pools; call after the application has stopped.
    public func shutdown() async throws {
        try await http.shutdown()
    }
}
