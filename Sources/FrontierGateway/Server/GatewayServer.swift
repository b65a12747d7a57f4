public import FrontierConfig
import FrontierCore
public import FrontierProviders
public import FrontierRouting
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

    let ledger: LedgerSetup?
    let planners: PlannerHolder
    /// What responses say of each model's speed: fed by the pipeline, read by every planner (kept across reloads).
    let latency = LatencyTracker()
    /// What live traffic measured of each model's quality (drift): read by every planner, kept across reloads.
    let quality = QualityAdjustments()
    /// Open connections and requests in flight, against `gateway.limits`.
    let load: GatewayLoad
    /// Keys, budgets, rate limits: set when the config has `auth:`.
    let tenancy: Tenancy?
    private let injectedProviders: ProviderRegistry?
    /// `router.shadow`'s planner: decided beside the live one and recorded, never served.
    let shadow: RoutePlanner?
    /// `router.experiment`: the candidate serving a share of traffic under its guard.
    let experiment: ExperimentMonitor?
    let metrics = GatewayMetrics()
    /// Every model's reported identity; ``restoreFromLedger()`` seeds it from the ledger.
    let identities: IdentityWatch
    /// Every model's live signals, watched for a regression; ``restoreFromLedger()`` restores the degraded marks.
    let drift: DriftWatch
    /// Identity changes and resets that ask for a canary run now.
    let canaryTriggers = CanaryTriggers()
    /// Every upstream's breaker: the request path's and the canaries' calls share them.
    let breakers: CircuitBreakers
    /// Spans and GenAI metrics, when `telemetry.otlp` is on (the executable builds the exporter).
    let telemetry: Telemetry?

    /// - Parameters:
    ///   - routerFile: the fitted router `router.file` names (``loadRouterFile(for:)``), if any.
    ///   - ledger: the opened ledger (``LedgerSetup/open(_:environment:logger:)``); run its writer beside the server.
    ///   - tenancy: the keys and budgets (``Tenancy``) when the config has `auth:`; run ``TenantService`` beside the server.
    ///   - candidates: the shadow and experiment router files (``loadCandidateRouterFiles(for:)``), if configured.
    ///   - providers: the upstream adapters; nil builds the real ones on the gateway's HTTP transport
    ///     (tests pass scripted ones to run the pipeline without sockets).
    ///   - driftDetector: the live-signal detector's settings (tests shorten its baseline).
    ///   - telemetry: the tracer (and metrics) requests are traced with; nil: no spans.
    public init(
        configuration: FrontierConfiguration, routerFile: RouterFile? = nil, ledger: LedgerSetup? = nil, tenancy: Tenancy? = nil,
        candidates: CandidateRouterFiles = CandidateRouterFiles(), providers: ProviderRegistry? = nil,
        driftDetector: QualityCUSUM.Settings = QualityCUSUM.Settings(), telemetry: Telemetry? = nil, logger: Logger
    ) {
        self.telemetry = telemetry
        self.configuration = configuration
        self.injectedProviders = providers
        self.tenancy = tenancy
        let triggers = canaryTriggers
        self.identities = IdentityWatch(ledger: ledger?.writer, metrics: metrics, logger: logger, onChange: { triggers.identityChanged($0) })
        self.breakers = CircuitBreakers(settings: configuration.gateway.resilience.breaker)
        self.drift = DriftWatch(
            settings: driftDetector, catalog: configuration.catalog, quality: quality, ledger: ledger?.writer, metrics: metrics, logger: logger)
        self.planners = PlannerHolder(Self.planner(for: configuration, routerFile: routerFile, latency: latency, quality: quality))
        let latency = self.latency, quality = self.quality
        self.shadow = candidates.shadow.map { Self.planner(for: configuration, routerFile: $0, latency: latency, quality: quality) }
        if let settings = configuration.router.experiment, let file = candidates.experiment {
            self.experiment = ExperimentMonitor(
                settings: settings, planner: Self.planner(for: configuration, routerFile: file, latency: latency, quality: quality),
                candidateVersion: file.digest ?? "unversioned", ledger: ledger?.writer, logger: logger)
        } else {
            self.experiment = nil
        }
        self.ledger = ledger
        self.logger = logger
        let connectTimeouts = Set(configuration.catalog.models.map(\.timeouts.connectMs))
        let limits = configuration.gateway.limits
        self.load = GatewayLoad(maxConnections: limits.maxConnections, maxRequests: limits.maxConcurrentRequests)
        self.http = UpstreamHTTP(
            connectTimeoutsMs: connectTimeouts, maxConnectionsPerHost: configuration.gateway.maxConnectionsPerHost,
            limits: UpstreamLimits(
                maxResponseBytes: limits.maxUpstreamResponseBytes, maxStreamEventBytes: limits.maxStreamEventBytes,
                redactor: SecretRedactor(secrets: configuration.secrets)))
    }

    public func router() -> Router<GatewayContext> {
        let catalog = configuration.catalog
        let providers = self.providers
        let metrics = self.metrics
        let identities = self.identities
        let quality = self.quality
        let watcher = DisconnectWatcher()
        let breakers = self.breakers
        let caller = self.caller
        let pipeline = RequestPipeline(
            planners: planners,
            dispatcher: Dispatcher(providers: providers, caller: caller, watcher: watcher, identities: identities),
            cascades: CascadeRunner(providers: providers, caller: caller, watcher: watcher, catalog: catalog, identities: identities),
            ledger: ledger.map {
                RequestLedger(
                    writer: $0.writer, key: $0.key, bodyKey: $0.bodyKey, durability: $0.settings.durability,
                    detector: { [planners] in planners.current.extractor.detector })
            },
            metrics: metrics,
            latency: latency,
            maxBodyBytes: configuration.gateway.maxBodyBytes,
            tenancy: tenancy,
            embedder: configuration.router.embedder.flatMap { catalog[$0] }.map {
                PromptEmbedder(model: $0, timeoutMs: configuration.router.embeddingTimeoutMs, providers: providers, breakers: caller.breakers)
            },
            shadow: shadow, experiment: experiment,
            explorer: configuration.router.explore.map { [drift] in
                Explorer(
                    settings: $0, catalog: catalog, providers: providers, caller: caller, ledger: ledger?.writer, metrics: metrics, logger: logger,
                    drift: drift)
            },
            implicit: ledger.flatMap { ledger in
                configuration.ledger.implicitFeedback.isOff
                    ? nil : ImplicitSignals(settings: configuration.ledger.implicitFeedback, writer: ledger.writer, logger: logger)
            },
            drift: drift, telemetry: telemetry)
        let routes = Array(configuration.router.routes.keys)
        let models = CatalogEndpoints.models(catalog, routes: routes)
        let router = Router(context: GatewayContext.self)
        router.add(middleware: RequestIDMiddleware(ids: RequestIDGenerator()))
        if let tenancy {
            router.add(middleware: AuthMiddleware(tenancy: tenancy))
            AdminEndpoints.add(to: router, tenancy: tenancy)
        }
        // The front doors: one ingress each, one pipeline behind them all.
        let openAIChat = OpenAIChatIngress()
        router.post("/v1/chat/completions") { request, context in await pipeline.handle(request, context: context, ingress: openAIChat) }
        let anthropicMessages = AnthropicMessagesIngress()
        router.post("/v1/messages") { request, context in await pipeline.handle(request, context: context, ingress: anthropicMessages) }
        router.post("/v1/messages/count_tokens") { request, context in
            await pipeline.countTokens(request, context: context, ingress: AnthropicMessagesIngress(requiresMaxTokens: false))
        }
        let openAIResponses = OpenAIResponsesIngress()
        router.post("/v1/responses") { request, context in await pipeline.handle(request, context: context, ingress: openAIResponses) }
        router.post("/v1/embeddings") { request, context in await pipeline.embed(request, context: context) }
        router.post("/v1/route") { request, context in await pipeline.decide(request, context: context, ingress: openAIChat) }
        let feedback = FeedbackEndpoint(ledger: ledger, authOn: tenancy != nil, experiment: experiment, explorer: pipeline.explorer, drift: drift)
        router.post("/v1/feedback") { request, context in await feedback.handle(request, context: context) }
        router.get("/v1/models") { _, context in
            // A key limited to some models and routes sees only those.
            // Each model's reported identity as an extension field (`x_frontier`), read now.
            let seen = identities.identities()
            guard let policy = context.tenant?.policy, policy.models != nil || policy.routes != nil else {
                return Responses.json(CatalogEndpoints.withIdentities(models, seen))
            }
            return Responses.json(CatalogEndpoints.withIdentities(CatalogEndpoints.models(catalog, routes: routes, policy: policy), seen))
        }
        router.get("/healthz") { [tenancy, experiment, planners] _, context in
            var health = CatalogEndpoints.health(catalog, breakers: breakers, identities: identities.identities(), degraded: quality.snapshot())
            // Without the admin key, only whether the gateway is well: not which models it has.
            guard tenancy == nil || context.isAdmin else { return Responses.json(["status": health["status"] ?? "ok"]) }
            if let version = planners.current.routerVersion, case .object(var o) = health {
                o["router_version"] = .string(version)
                health = .object(o)
            }
            if let experiment, case .object(var o) = health {
                o["experiment"] = experiment.summary
                health = .object(o)
            }
            return Responses.json(health)
        }
        DashboardEndpoints.add(to: router, api: ledger.map { [configuration, identities, breakers, quality, planners, shadow, experiment] ledger in
            DashboardAPI(
                store: ledger.store, ledgerKey: ledger.key, catalog: catalog, referenceModelID: configuration.ledger.referenceModel,
                health: { CatalogEndpoints.health(catalog, breakers: breakers, identities: identities.identities(), degraded: quality.snapshot()) },
                frontierSources: {
                    let candidate = experiment?.planner.frontier.map { ("experiment", $0) } ?? shadow?.frontier.map { ("shadow", $0) }
                    return FrontierSources(live: planners.current.frontier, candidate: candidate, guardState: experiment?.summary)
                },
                breakerTransitions: { breakers.transitions() }, bodyKey: ledger.bodyKey, writer: ledger.writer)
        })
        router.get("/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml)))
        }
        router.get("/metrics") { [ledger, telemetry] _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition(
                    ledger: ledger?.writer, experiment: experiment,
                    degraded: { let marks = quality.snapshot(); return catalog.models.map { ($0.id, marks[$0.id] != nil) } }(),
                    telemetry: telemetry?.exportHealth))))
        }
        return router
    }

    /// Seeds each model's identity from the last one the ledger recorded, so a restart neither learns it again nor
    /// misses a change that happened while the gateway was down, and restores the degraded marks, so it keeps
    /// routing around a model that regressed. Call before serving.
    /// - Returns: the ledger sequence read up to, for ``baselineResetWatcher(after:interval:)``.
    @discardableResult
    public func restoreFromLedger() async -> Int64 {
        guard let store = ledger?.store else { return 0 }
        do {
            // Read first: an event appended while restoring is after it, and the watcher applies it.
            let head = try await store.head().seq
            try await identities.restore(from: store)
            try await drift.restore(from: store)
            return head
        } catch {
            logger.warning("the models' last identities and drift marks could not be read from the ledger; each is learned again", metadata: ["error": "\(error)"])
            return (try? await store.head().seq) ?? 0
        }
    }

    public func application(host: String? = nil, port: Int? = nil) -> some ApplicationProtocol {
        let limits = configuration.gateway.limits
        let guardSettings = ConnectionGuardStateMachine.Settings(
            headerTimeout: .milliseconds(Int64(limits.headerTimeoutMs)), bodyTimeout: .milliseconds(Int64(limits.bodyTimeoutMs)),
            idleTimeout: .milliseconds(Int64(limits.idleTimeoutMs)))
        let load = self.load
        return Application(
            router: router(),
            server: .http1(configuration: .init(additionalChannelHandlers: [
                ClientHalfCloseHandler(), ConnectionGuard(
                    load: load, settings: guardSettings, retryAfterSeconds: limits.retryAfterSeconds, sendBufferBytes: limits.socketSendBufferBytes),
            ])),
            configuration: .init(
                address: .hostname(host ?? configuration.gateway.host, port: port ?? configuration.gateway.port),
                serverName: "frontier"),
            logger: logger)
    }

    /// Why the gateway may not listen on `host`, or nil: without `auth:` only a loopback address,
    /// since anyone who reaches the port would spend the configured cloud keys.
    public static func bindRefusal(host: String, configuration: FrontierConfiguration) -> String? {
        guard configuration.auth == nil, !isLoopback(host) else { return nil }
        return "refusing to listen on \(host) without auth: anyone who reaches the port could spend the cloud keys. "
            + "Add auth: {admin_key: ${FRONTIER_ADMIN_KEY}} (with storage:) to the config and create keys with POST /admin/keys, "
            + "or listen on 127.0.0.1."
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    /// The route planner a configuration describes: the router over its catalog, the
    /// domain classifier from its examples, its default objective and PII policy.
    public static func planner(
        for configuration: FrontierConfiguration, routerFile: RouterFile? = nil, latency: LatencyTracker = LatencyTracker(),
        quality: QualityAdjustments = QualityAdjustments()
    ) -> RoutePlanner {
        let settings = configuration.router
        var classifier = settings.domainExamples.isEmpty ? nil : DomainClassifier.train(
            examples: settings.domainExamples.flatMap { domain, prompts in prompts.map { (text: $0, domain: domain) } }, minimumCount: 1)
        var models = configuration.catalog.models
        if let routerFile {
            // The fitted file wins over config figures for the models it knows.
            classifier = routerFile.classifier
            for n in models.indices {
                guard let fitted = routerFile.model(models[n].profile.routerID ?? models[n].id) else { continue }
                models[n].profile.quality = fitted.quality
                models[n].profile.qualityByDomain = fitted.qualityByDomain
            }
        }
        var extractor = FeatureExtractor(
            classifier: classifier, predictor: routerFile?.predictor, outputLengths: routerFile?.outputLengths, neighbours: routerFile?.neighbours,
            network: routerFile?.network)
        // λ is fixed for the process, so the plan's cost region is too.
        extractor.signalChoice = routerFile?.signalChoice(lambda: settings.lambda)
        var planner = RoutePlanner(
            catalog: configuration.catalog, autoModels: configuration.gateway.defaultModels,
            router: ModelRouter(models: models.filter { $0.kind == .chat }, lambda: settings.lambda),
            extractor: extractor,
            defaults: Constraints(objective: settings.defaultObjective),
            privacy: settings.privacy, latency: latency,
            routes: settings.routes, fallbackModel: settings.fallbackModel, signals: settings.signals, routerVersion: routerFile?.digest,
            quality: quality)
        planner.frontier = routerFile.map(RouterFrontier.init)
        return planner
    }

    var providers: ProviderRegistry { injectedProviders ?? ProviderRegistry(http: http) }
    var caller: UpstreamCaller { UpstreamCaller(breakers: breakers, retries: RetryPolicy(settings: configuration.gateway.resilience.retries)) }

    /// Runs the catalog's canaries (`models[].canary`) in the background; nil without a ledger or any canary.
    public func canaryScheduler(tick: Duration = .seconds(1)) -> CanaryScheduler? {
        guard let ledger else { return nil }
        let canaries = CanaryScheduler.canaries(of: configuration.catalog, logger: logger)
        guard !canaries.isEmpty else { return nil }
        var scheduler = CanaryScheduler(
            canaries: canaries, runner: CanaryRunner(providers: providers, caller: caller), store: ledger.store, writer: ledger.writer,
            quality: quality, triggers: canaryTriggers, logger: logger)
        scheduler.tick = tick
        return scheduler
    }

    /// Applies `frontier models reset-baseline` from the ledger on this gateway, for the resets recorded after
    /// the ledger sequence `after` (what ``restoreFromLedger()`` returned); nil without a ledger.
    public func baselineResetWatcher(after: Int64, interval: Duration = .seconds(5)) -> BaselineResetWatcher? {
        guard let store = ledger?.store else { return nil }
        return BaselineResetWatcher(
            store: store, drift: drift, identities: identities, canaries: canaryTriggers, interval: interval, after: after, logger: logger)
    }

    /// Watches `router.file` and swaps the planner when it changes; nil without a router file.
    public func routerFileWatcher(interval: Duration = .seconds(2)) -> RouterFileWatcher? {
        guard let path = configuration.router.file else { return nil }
        return RouterFileWatcher(path: path, configuration: configuration, holder: planners, interval: interval, logger: logger)
    }

    /// The router file the configuration names, loaded; nil when it names none.
    public static func loadRouterFile(for configuration: FrontierConfiguration) throws(RouterFileError) -> RouterFile? {
        guard let path = configuration.router.file else { return nil }
        return try RouterFile.load(path: path)
    }

    /// The live router file, a copy of it kept under its version for replays (``RouterArchive``); the
    /// second value says why the copy could not be kept, if it could not.
    public static func loadServedRouterFile(for configuration: FrontierConfiguration) throws(RouterFileError) -> (file: RouterFile, keepError: String?)? {
        guard let path = configuration.router.file else { return nil }
        return try RouterArchive(liveFile: path).loadLive(path: path)
    }

    /// The candidate router files `router.shadow` and `router.experiment` name, each kept under its version beside
    /// the live file like the live one (so a candidate's decisions replay too).
    public static func loadCandidateRouterFiles(for configuration: FrontierConfiguration) throws(RouterFileError) -> CandidateRouterFiles {
        func load(_ path: String?) throws(RouterFileError) -> RouterFile? {
            guard let path else { return nil }
            return try RouterArchive(liveFile: configuration.router.file ?? path).loadLive(path: path).file
        }
        return CandidateRouterFiles(shadow: try load(configuration.router.shadowFile), experiment: try load(configuration.router.experiment?.file))
    }

    /// Closes the upstream connection pools; call after the application has stopped.
    public func shutdown() async throws {
        try await http.shutdown()
    }
}

/// The candidate router files beside the live one: a shadow (decided, never served) and an experiment's candidate.
public struct CandidateRouterFiles: Sendable {
    public var shadow: RouterFile?
    public var experiment: RouterFile?

    public init(shadow: RouterFile? = nil, experiment: RouterFile? = nil) {
        self.shadow = shadow
        self.experiment = experiment
    }
}
