import ArgumentParser
import FrontierConfig
import FrontierLedger
import FrontierGateway
import FrontierRouting
import Hummingbird
import Logging
import ServiceLifecycle
import Foundation

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
        // The configured format from here on, for the exporter's own diagnostics too.
        logger = Self.logger(format: configuration.logging.format, level: logger.logLevel, traced: false)
        let telemetry: TelemetrySetup?
        do {
            telemetry = try TelemetrySetup.make(configuration.telemetry, environment: ProcessInfo.processInfo.environment, logger: logger)
        } catch {
            logger.critical("telemetry: the OTLP exporter could not be set up: \(error)")
            throw ExitCode(2)
        }
        if let telemetry {
            // Never released: swift-otel's OTLP/HTTP exporter shuts its client down in `deinit` with syncShutdown(),
            // which traps on an event loop, where this function ends. Its services have flushed and stopped it by then.
            _ = Unmanaged.passRetained(Retained(telemetry))
        }
        if telemetry != nil { logger = Self.logger(format: configuration.logging.format, level: logger.logLevel, traced: true) }
        if let otlp = configuration.telemetry.otlp {
            logger.info("telemetry on: spans and GenAI metrics over OTLP", metadata: [
                "endpoint": "\(otlp.endpoint)", "protocol": "\(otlp.wireProtocol.rawValue)", "sample_ratio": "\(otlp.sampleRatio)",
            ])
        } else if telemetry != nil {
            logger.info("telemetry on: spans and GenAI metrics over OTLP, from the OTEL_* environment")
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
            let served = try GatewayServer.loadServedRouterFile(for: configuration)
            routerFile = served?.file
            if let keepError = served?.keepError { logger.warning("router file version not kept", metadata: ["error": "\(keepError)"]) }
        } catch {
            logger.critical("\(error.description)")
            throw ExitCode(2)
        }
        if let routerFile {
            let known = configuration.catalog.models.filter { routerFile.model($0.profile.routerID ?? $0.id) != nil }.map(\.id)
            logger.info("router file loaded", metadata: [
                "file": "\(configuration.router.file ?? "")", "fitted_at": "\(routerFile.fittedAt)", "router_version": "\(routerFile.digest ?? "")",
                "domains": "\(routerFile.classifier.domains.count)", "models_with_fitted_quality": "\(known.joined(separator: ","))",
            ])
            if let embedder = routerFile.neighbours?.embedder ?? routerFile.network?.embedder, configuration.router.embedder == nil {
                logger.warning(
                    "the router file reads prompt embeddings (\(embedder)) but router.embedder is not set: routing by the domain means")
            }
        }
        let ledger: LedgerSetup?
        do {
            ledger = try await LedgerSetup.open(configuration, logger: logger)
        } catch {
            logger.critical("\(error.description)")
            throw ExitCode(2)
        }
        if let ledger {
            logger.info("ledger open", metadata: [
                "storage": "\(Self.describe(ledger.settings.backend))", "durability": "\(ledger.settings.durability.rawValue)",
                "flush_ms": "\(ledger.settings.flushMs)",
            ])
        }
        let openFiles = FileLimits.raiseOpenFiles()
        let limits = configuration.gateway.limits
        if openFiles < UInt64(limits.maxConnections) + 256 {
            logger.warning("the open-file limit is below gateway.limits.max_connections; connections past it will be refused by the kernel", metadata: [
                "open_files": "\(openFiles)", "max_connections": "\(limits.maxConnections)",
            ])
        }
        if let refusal = GatewayServer.bindRefusal(host: host ?? configuration.gateway.host, configuration: configuration) {
            logger.critical("\(refusal)")
            throw ExitCode(2)
        }
        var tenancy: Tenancy?
        if let auth = configuration.auth, let ledger {
            tenancy = Tenancy(auth: auth, store: ledger.keyStore, logger: logger)
            do {
                try await tenancy?.reload()
            } catch {
                logger.critical("cannot read the API keys: \(error)")
                throw ExitCode(2)
            }
            logger.info("auth on: /v1/* needs an API key, /admin/* and /metrics the admin key")
        }
        let candidates: CandidateRouterFiles
        do {
            candidates = try GatewayServer.loadCandidateRouterFiles(for: configuration)
        } catch {
            logger.critical("\(error.description)")
            throw ExitCode(2)
        }
        if let shadow = candidates.shadow {
            logger.info("shadow router on: its decision is recorded beside the live one", metadata: ["router_version": "\(shadow.digest ?? "")"])
        }
        if let candidate = candidates.experiment, let experiment = configuration.router.experiment {
            logger.info("experiment on: the candidate plans a share of traffic under its guard", metadata: [
                "router_version": "\(candidate.digest ?? "")", "share": "\(experiment.assignment.share)",
                "min_quality_delta": "\(experiment.thresholds.minQualityDelta)", "max_cost_delta": "\(experiment.thresholds.maxCostDelta)",
            ])
        }
        let server = GatewayServer(
            configuration: configuration, routerFile: routerFile, ledger: ledger, tenancy: tenancy, candidates: candidates,
            telemetry: telemetry?.telemetry, logger: logger)
        let restoredUpTo = await server.restoreFromLedger()
        let app = server.application(host: host, port: port)
        // Services stop in reverse order: the ledger after the server, so in-flight requests keep their records;
        // the tenants' budgets after the server too, so every slice goes back once the requests have settled.
        // The exporters first, so they stop last: the final requests' spans still go out.
        let cancelled = CancelledServices()
        func named(_ name: String, _ service: any Service) -> ServiceGroupConfiguration.ServiceConfiguration {
            .init(service: NamedService(name: name, service: service, cancelled: cancelled))
        }
        var services = telemetry?.services.enumerated().map { named("telemetry exporter \($0.offset + 1)", $0.element) } ?? []
        if let ledger { services.append(named("ledger writer", LedgerService(writer: ledger.writer))) }
        if let tenancy { services.append(named("key budgets", TenantService(tenancy: tenancy))) }
        services.append(named("http server", app))
        if let watcher = server.routerFileWatcher() { services.append(named("router file watcher", watcher)) }
        services.append(named("privacy rules watcher", server.privacyRulesWatcher(configFile: config)))
        if let watcher = server.baselineResetWatcher(after: restoredUpTo) { services.append(named("baseline reset watcher", watcher)) }
        if let canaries = server.canaryScheduler() { services.append(named("canaries", canaries)) }
        var groupConfiguration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = .milliseconds(limits.shutdownTimeoutMs)
        let group = ServiceGroup(configuration: groupConfiguration)
        let outcome: Result<Void, any Error>
        do {
            try await group.run()
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        try? await server.shutdown()
        await ledger?.store.close()
        let hung = cancelled.all
        if !hung.isEmpty {
            logger.warning("the shutdown outlasted gateway.limits.shutdown_timeout_ms; cancelled: \(hung.joined(separator: ", "))")
            throw ExitCode(1)
        }
        try outcome.get()
    }

    /// The gateway's logger in the configured format; with telemetry on, each line inside a request carries its trace and span ids.
    static func logger(format: LoggingSettings.Format, level: Logger.Level, traced: Bool) -> Logger {
        let provider = traced ? TelemetrySetup.logMetadata : nil
        var logger = Logger(label: "frontier") { label in LineLogHandler(label: label, format: format, metadataProvider: provider) }
        logger.logLevel = level
        return logger
    }

    static func describe(_ backend: LedgerSettings.Backend?) -> String {
        switch backend {
        case .sqlite(let path): "sqlite \(path)"
        case .postgres(let url): "postgres \(url.split(separator: "@").last.map(String.init) ?? "")"  // never the password
        case nil: "none"
        }
    }
}

/// A value kept alive on purpose (see `Unmanaged.passRetained` above).
final class Retained<Value> {
    let value: Value
    init(_ value: Value) { self.value = value }
}
