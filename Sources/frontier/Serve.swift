import ArgumentParser
import FrontierConfig
import FrontierGateway
import FrontierRouting
import Hummingbird
import Logging
import ServiceLifecycle

/// `frontier serve`: run the gateway until SIGTERM or SIGINT, then stop
/// accepting, finish the requests in flight, and exit.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the HTTP gateway.")

    @Option(name: .long, help: "The YAML config file (see examples/frontier.yaml).")
    var config: String

    @Option(name: .long, help: "Address to listen on; overrides gateway.host.")
    var host: String?

    @Option(name: .long, help: "Port to listen on; overrides gateway.port.")
    var port: Int?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func run() async throws {
        var logger = Logger(label: "frontier")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let configuration: FrontierConfiguration
        do {
            configuration = try ConfigLoader().load(file: config)
        } catch {
            logger.critical("\(error.description)")
            throw ExitCode(2)
        }
        for model in configuration.catalog.unavailable {
            logger.warning("model unavailable, skipped", metadata: ["model": "\(model.id)", "reason": "\(model.reason)"])
        }
        for model in configuration.catalog.models {
            logger.info("model ready", metadata: [
                "model": "\(model.id)", "provider": "\(model.provider.rawValue)", "deployment": "\(model.deployment.rawValue)",
            ])
        }
        let routerFile: RouterFile?
        do {
            routerFile = try GatewayServer.loadRouterFile(for: configuration)
        } catch {
            logger.critical("\(error.description)")
            throw ExitCode(2)
        }
        if let routerFile {
            let known = configuration.catalog.models.filter { routerFile.model($0.profile.routerID ?? $0.id) != nil }.map(\.id)
            logger.info("router file loaded", metadata: [
                "file": "\(configuration.router.file ?? "")", "fitted_at": "\(routerFile.fittedAt)",
                "domains": "\(routerFile.classifier.domains.count)", "models_with_fitted_quality": "\(known.joined(separator: ","))",
            ])
        }
        let server = GatewayServer(configuration: configuration, routerFile: routerFile, logger: logger)
        let app = server.application(host: host, port: port)
        let services = ServiceGroup(configuration: .init(
            services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await services.run()
        } catch {
            try? await server.shutdown()
            throw error
        }
        try await server.shutdown()
    }
}
