import FrontierCore
import FrontierRouting
import Foundation
import Yams

/// Reads `frontier.yaml` into a ``FrontierConfiguration``, refusing anything
/// wrong with a message that names the file, the model and the field.
///
/// A model whose `${ENV}` API key is unset is not an error: it is listed in
/// ``ModelCatalog/unavailable`` and skipped, so one config serves machines
/// with and without cloud keys.
public struct ConfigLoader {
    public var environment: [String: String]

    /// Reads `${NAME}` references from `environment`; the process environment when nil.
    public init(environment: [String: String]? = nil) {
        self.environment = environment ?? ProcessInfo.processInfo.environment
    }

    public func load(file: String) throws(ConfigError) -> FrontierConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw ConfigError("\(file): cannot read the config file (\(error.localizedDescription)).")
        }
        return try parse(text, file: file)
    }

    public func parse(_ text: String, file: String) throws(ConfigError) -> FrontierConfiguration {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: EnvironmentExpansion.quotingBareReferences(in: text)) else { throw ConfigError("\(file): the config is empty; it needs at least a 'models:' list.") }
            root = node
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError("\(file): not valid YAML: \(error)")
        }
        let top = try NodeReader(
            file: file, context: "config", node: root,
            known: ["gateway", "models", "router", "storage", "routes", "privacy", "ledger", "auth", "telemetry", "logging"])
        let gateway = try gatewaySettings(top)
        guard let modelsNode = top.node("models"), let modelNodes = modelsNode.sequence else {
            throw ConfigError("\(file): 'models' must be a list of model entries (id, provider, base_url, deployment, price, ...).")
        }
        var models: [ModelEntry] = []
        var unavailable: [UnavailableModel] = []
        var seen: Set<String> = []
        for (n, node) in modelNodes.enumerated() {
            let id = node.mapping?["id"]?.string
            let context = id.map { "model '\($0)'" } ?? "models[\(n)]"
            switch try model(node, file: file, context: context, defaults: gateway.timeouts) {
            case .available(let entry):
                guard seen.insert(entry.id).inserted else { throw ConfigError("\(file)\(NodeReader.line(node)): \(context): the id is used twice.") }
                models.append(entry)
            case .unavailable(let entry):
                guard seen.insert(entry.id).inserted else { throw ConfigError("\(file)\(NodeReader.line(node)): \(context): the id is used twice.") }
                unavailable.append(entry)
            }
        }
        for id in gateway.defaultModels where !seen.contains(id) {
            throw ConfigError("\(file): gateway: field 'default_models' names '\(id)', which is not in 'models'.")
        }
        let router = try routerSettings(top)
        for route in router.routes.values.sorted(by: { $0.name < $1.name }) {
            if seen.contains(route.name) || route.name == "auto" {
                throw ConfigError("\(file): route '\(route.name)': field 'name' is also a model id (or auto); give the route its own name.")
            }
            let field = route.cascade == nil ? "field 'models'" : "a cascade tier"
            for id in route.models where !seen.contains(id) {
                throw ConfigError("\(file): route '\(route.name)': \(field) names '\(id)', which is not in 'models'.")
            }
            for verifier in route.cascade?.tiers.compactMap(\.accept.verifier) ?? [] {
                guard seen.contains(verifier.model) else {
                    throw ConfigError("\(file): route '\(route.name)': a verifier names '\(verifier.model)', which is not in 'models'.")
                }
                // The verifier reads the whole conversation: it must be inside the route's zone.
                if let judge = models.first(where: { $0.id == verifier.model }), !route.constraints.privacy.admits(judge.deployment) {
                    throw ConfigError(
                        "\(file): route '\(route.name)': the verifier '\(verifier.model)' is a \(judge.deployment.rawValue) model, outside the route's "
                            + "\(route.constraints.privacy.rawValue) zone; it would see every prompt of the route. Use a verifier inside the zone.")
                }
            }
        }
        if let fallback = router.fallbackModel, !seen.contains(fallback) {
            throw ConfigError("\(file): router: field 'fallback_model' names '\(fallback)', which is not in 'models'.")
        }
        if let judge = router.explore?.judge {
            guard let model = models.first(where: { $0.id == judge }), model.kind == .chat else {
                throw ConfigError("\(file): router: explore: field 'judge' names '\(judge)', which is not a chat model in 'models'.")
            }
        }
        let asksEmbedding = router.signals?.contains(.embedding) == true || router.routes.values.contains { $0.signals?.contains(.embedding) == true }
        if asksEmbedding, router.embedder == nil {
            throw ConfigError("\(file): signals name 'embedding', but router: field 'embedder' is not set; name a local embedding model there.")
        }
        if let id = router.embedder {
            // Every prompt goes to the router's embedder before the decision: it must be on this machine, inside every zone.
            guard let model = models.first(where: { $0.id == id }), model.kind == .embedding else {
                throw ConfigError("\(file): router: field 'embedder' names '\(id)', which is not an embedding model (kind: embedding) in 'models'.")
            }
            guard model.deployment == .local else {
                throw ConfigError(
                    "\(file): router: field 'embedder' names '\(id)', a \(model.deployment.rawValue) model; every prompt is sent to it before "
                        + "the privacy decision, so it must be deployment: local.")
            }
        }
        // Chat routing never picks an embedding model: naming one where chat models go is a mistake to catch now.
        let embedding = Set(models.filter { $0.kind == .embedding }.map(\.id))
        let chatReferences = gateway.defaultModels.map { ("gateway: field 'default_models'", $0) }
            + router.routes.values.sorted(by: { $0.name < $1.name }).flatMap { route in route.models.map { ("route '\(route.name)'", $0) } }
            + [router.fallbackModel].compactMap { $0 }.map { ("router: field 'fallback_model'", $0) }
        for (place, id) in chatReferences where embedding.contains(id) {
            throw ConfigError("\(file): \(place) names '\(id)', an embedding model (kind: embedding); only chat models serve chat requests.")
        }
        let ledger = try ledgerSettings(top, models: seen)
        var configuration = FrontierConfiguration(
            file: file, gateway: gateway, catalog: ModelCatalog(models: models, unavailable: unavailable),
            ledger: ledger, router: router, auth: try authSettings(top, hasStorage: ledger.backend != nil))
        configuration.telemetry = try telemetrySettings(top)
        configuration.logging = try loggingSettings(top)
        return configuration
    }

    private func authSettings(_ top: NodeReader, hasStorage: Bool) throws(ConfigError) -> AuthSettings? {
        guard let auth = try top.nested("auth", known: ["admin_key"]) else { return nil }
        guard let raw = try auth.string("admin_key") else {
            throw auth.fail("admin_key", "is required: admin_key: ${FRONTIER_ADMIN_KEY}, with the variable set to a long random string (openssl rand -hex 32).")
        }
        let key: String
        switch EnvironmentExpansion(environment: environment).expand(raw) {
        case .value(let value): key = value.trimmingWhitespace
        case .missing(let name): throw auth.fail("admin_key", "uses the environment variable \(name), which is not set; set it to a long random string (openssl rand -hex 32).")
        }
        guard key.count >= AuthSettings.minimumAdminKeyLength else {
            throw auth.fail("admin_key", "is \(key.count) characters long; use at least \(AuthSettings.minimumAdminKeyLength) (openssl rand -hex 32).")
        }
        guard !key.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }) else {
            throw auth.fail("admin_key", "holds a space or control character; a header cannot carry it. Use letters and digits (openssl rand -hex 32).")
        }
        guard hasStorage else {
            throw top.fail("auth", "keeps API keys and budgets in the ledger's database: add storage: {sqlite: frontier.db} (or postgres: URL).")
        }
        return AuthSettings(adminKey: key)
    }

    /// A path from the config, relative to the config file's folder unless absolute.
    static func resolve(_ path: String, besideConfig config: String) -> String {
        guard !path.hasPrefix("/") else { return path }
        return URL(fileURLWithPath: config).deletingLastPathComponent().appendingPathComponent(path).path
    }

    private func routerSettings(_ top: NodeReader) throws(ConfigError) -> RouterSettings {
        var settings = RouterSettings()
        if let router = try top.nested(
            "router", known: [
                "file", "default_objective", "lambda", "domain_examples", "fallback_model", "embedder", "embedding_timeout_ms", "signals", "shadow",
                "experiment", "explore",
            ]
        ) {
            settings.shadowFile = try Self.shadowFile(router, configFile: top.file)
            settings.experiment = try Self.experiment(router, configFile: top.file)
            settings.explore = try Self.explore(router)
            settings.embedder = try router.string("embedder")
            settings.signals = try Self.signals(router)
            settings.embeddingTimeoutMs = try router.int("embedding_timeout_ms", minimum: 1, maximum: 10_000) ?? settings.embeddingTimeoutMs
            // Relative to the config file, like the SQLite ledger beside it.
            settings.file = try router.string("file").map { Self.resolve($0, besideConfig: top.file) }
            settings.fallbackModel = try router.string("fallback_model")
            if let name = try router.string("default_objective") {
                guard let objective = Objective(rawValue: name) else {
                    throw router.fail("default_objective", "must be one of cheapest, balanced, best; got '\(name)'.")
                }
                settings.defaultObjective = objective
            }
            settings.lambda = try router.double("lambda") ?? settings.lambda
            if let examples = router.node("domain_examples") {
                guard let mapping = examples.mapping else { throw router.fail("domain_examples", "must map each domain to a list of example prompts.") }
                for (domain, list) in mapping {
                    guard let name = domain.string, let prompts = list.sequence?.compactMap(\.string), !prompts.isEmpty else {
                        throw router.fail("domain_examples", "must map each domain to a list of example prompts.")
                    }
                    settings.domainExamples[name] = prompts
                }
            }
        }
        if let privacy = try top.nested("privacy", known: ["pii", "on_violation", "unscannable", "categories", "recognizers", "deny_lists"]) {
            if let zone = try privacy.string("pii") {
                guard let parsed = PrivacyZone(rawValue: zone), parsed != .any else {
                    throw privacy.fail("pii", "must be on-prem or local (where requests with PII may go); got '\(zone)'.")
                }
                settings.privacy.piiZone = parsed
                // Content that cannot be scanned could hold PII: by default it is treated as if it did.
                settings.privacy.unscannableZone = .onPrem
            }
            if let action = try Self.violationAction(privacy) { settings.privacy.onViolation = action }
            if let rule = try privacy.string("unscannable") {
                switch rule {
                case "allow": settings.privacy.unscannableZone = nil
                case "on-prem": settings.privacy.unscannableZone = .onPrem
                case "local": settings.privacy.unscannableZone = .local
                default: throw privacy.fail("unscannable", "must be on-prem, local or allow (where images, audio and files that cannot be scanned may go); got '\(rule)'.")
                }
            }
            if let categories = try privacy.nested("categories", known: Set(PIICategory.allCases.map(\.rawValue))) {
                for category in PIICategory.allCases {
                    if try categories.bool(category.rawValue) == false { settings.privacy.categories.remove(category) }
                }
            }
            settings.privacy.operatorRules = try Self.operatorRules(privacy, configFile: top.file, files: &settings.privacy.ruleFiles)
        }
        settings.routes = try routes(top, defaultObjective: settings.defaultObjective)
        return settings
    }

    private func cascade(_ route: NodeReader) throws(ConfigError) -> Cascade {
        guard let items = route.node("cascade")?.sequence, !items.isEmpty else {
            throw route.fail("cascade", "must be a list of tiers, each {model, accept}: the cheapest first, the final model last.")
        }
        var tiers: [CascadeTier] = []
        for (n, item) in items.enumerated() {
            let tier = try NodeReader(file: route.file, context: "\(route.context) tier \(n + 1)", node: item, known: ["model", "accept", "pseudonymize"])
            let accept = try tier.nested("accept", known: Self.acceptanceFields).map(Self.acceptanceChecks) ?? AcceptanceChecks()
            tiers.append(CascadeTier(model: try tier.requiredString("model"), accept: accept, pseudonymize: try tier.bool("pseudonymize") ?? false))
        }
        var streaming = CascadeStreaming.verifyThenStream
        if let mode = try route.string("streaming") {
            guard let parsed = CascadeStreaming(rawValue: mode) else {
                throw route.fail("streaming", "must be verify-then-stream or stream-final-tier; got '\(mode)'.")
            }
            streaming = parsed
        }
        return Cascade(tiers: tiers, streaming: streaming, deadlineMs: try route.int("deadline_ms", minimum: 1))
    }

    /// `on_violation`: what a request with sensitive data that names a model outside its zone gets.
    static func violationAction(_ reader: NodeReader) throws(ConfigError) -> PIIViolationAction? {
        guard let action = try reader.string("on_violation") else { return nil }
        guard let parsed = PIIViolationAction(rawValue: action) else {
            throw reader.fail("on_violation", "must be refuse, reroute or pseudonymize; got '\(action)'.")
        }
        return parsed
    }

    static let acceptanceFields: Set<String> = [
        "json_schema", "min_chars", "max_chars", "regex", "must_contain", "reject_refusals", "min_mean_token_prob", "min_token_prob",
        "self_consistency", "verifier",
    ]

    /// An `accept:` block (a cascade tier's, or `router.explore.check`).
    static func acceptanceChecks(_ a: NodeReader) throws(ConfigError) -> AcceptanceChecks {
        var accept = AcceptanceChecks()
        accept.jsonSchema = try a.bool("json_schema") ?? false
        accept.minChars = try a.int("min_chars")
        accept.maxChars = try a.int("max_chars", minimum: 1)
        if let pattern = try a.string("regex") {
            guard (try? Regex(pattern)) != nil else { throw a.fail("regex", "is not a valid regular expression.") }
            accept.regex = pattern
        }
        if let one = a.node("must_contain")?.string { accept.mustContain = [one] } else { accept.mustContain = try a.stringList("must_contain") ?? [] }
        accept.rejectRefusals = try a.bool("reject_refusals") ?? false
        for key in ["min_mean_token_prob", "min_token_prob"] {
            if let p = try a.double(key), p > 1 { throw a.fail(key, "must be a probability from 0 to 1.") }
        }
        accept.minMeanTokenProbability = try a.double("min_mean_token_prob")
        accept.minTokenProbability = try a.double("min_token_prob")
        if let sc = try a.nested("self_consistency", known: ["samples", "min_agreement"]) {
            let samples = try sc.int("samples", minimum: 2) ?? 3
            let agreement = try sc.double("min_agreement") ?? 0.5
            guard agreement > 0, agreement <= 1 else { throw sc.fail("min_agreement", "must be above 0 and at most 1.") }
            accept.selfConsistency = .init(samples: samples, minAgreement: agreement)
        }
        if let v = try a.nested("verifier", known: ["model", "prompt", "min_score"]) {
            let score = try v.double("min_score") ?? 0.7
            guard score <= 1 else { throw v.fail("min_score", "must be from 0 to 1 (the verifier's 0-10 score / 10).") }
            accept.verifier = .init(model: try v.requiredString("model"), prompt: try v.string("prompt"), minScore: score)
        }
        return accept
    }

    /// `signals: [domain, prompt, embedding]`, any of them; nil when not given.
    static func signals(_ reader: NodeReader) throws(ConfigError) -> Set<RouterSignal>? {
        guard let names = try reader.stringList("signals") else { return nil }
        var signals: Set<RouterSignal> = []
        for name in names {
            guard let signal = RouterSignal(rawValue: name) else {
                throw reader.fail("signals", "must list any of \(RouterSignal.allCases.map(\.rawValue).joined(separator: ", ")); got '\(name)'.")
            }
            signals.insert(signal)
        }
        return signals
    }

    private func routes(_ top: NodeReader, defaultObjective: Objective) throws(ConfigError) -> [String: RouteDefinition] {
        guard let node = top.node("routes") else { return [:] }
        guard let items = node.sequence else { throw top.fail("routes", "must be a list of {name, models, constraints}.") }
        var routes: [String: RouteDefinition] = [:]
        for (n, item) in items.enumerated() {
            let name = item.mapping?["name"]?.string
            let reader = try NodeReader(
                file: top.file, context: name.map { "route '\($0)'" } ?? "routes[\(n)]", node: item,
                known: ["name", "models", "constraints", "cascade", "streaming", "deadline_ms", "durability", "signals", "on_violation"])
            var route = RouteDefinition(name: try reader.requiredString("name"), models: try reader.stringList("models") ?? [])
            route.signals = try Self.signals(reader)
            route.onViolation = try Self.violationAction(reader)
            if let mode = try reader.string("durability") {
                guard let parsed = LedgerDurability(rawValue: mode) else { throw reader.fail("durability", "must be strict or batched; got '\(mode)'.") }
                route.durability = parsed
            }
            if reader.node("cascade") != nil {
                guard route.models.isEmpty else { throw reader.fail("models", "cannot be given with 'cascade': the cascade's tiers are the route's models.") }
                route.cascade = try cascade(reader)
                route.models = route.cascade?.tiers.map(\.model) ?? []
            } else {
                for key in ["streaming", "deadline_ms"] where reader.node(key) != nil {
                    throw reader.fail(key, "only applies to a cascade route (one with 'cascade:').")
                }
            }
            route.constraints.objective = defaultObjective
            if let c = try reader.nested("constraints", known: ["max_cost_usd", "max_latency_ms", "privacy", "min_quality", "objective"]) {
                route.constraints.maxCostUSD = try c.double("max_cost_usd")
                route.constraints.maxLatencyMs = try c.double("max_latency_ms")
                if let q = try c.double("min_quality") {
                    guard q <= 1 else { throw c.fail("min_quality", "must be a number from 0 to 1.") }
                    route.constraints.minQuality = q
                }
                if let zone = try c.string("privacy") {
                    guard let parsed = PrivacyZone(rawValue: zone) else { throw c.fail("privacy", "must be any, on-prem or local; got '\(zone)'.") }
                    route.constraints.privacy = parsed
                }
                if let objective = try c.string("objective") {
                    guard let parsed = Objective(rawValue: objective) else { throw c.fail("objective", "must be cheapest, balanced or best; got '\(objective)'.") }
                    route.constraints.objective = parsed
                }
            }
            guard routes[route.name] == nil else { throw reader.fail("name", "is used by two routes.") }
            routes[route.name] = route
        }
        return routes
    }

    private func profile(_ reader: NodeReader, deployment: Deployment) throws(ConfigError) -> ModelProfile {
        var profile = ModelProfile()
        if let node = reader.node("quality") {
            if node.mapping != nil {
                let quality = try NodeReader(file: reader.file, context: reader.context, node: node, known: Set(node.mapping?.keys.compactMap(\.string) ?? []), prefix: "quality.")
                for key in quality.mapping.keys.compactMap(\.string) {
                    guard let value = try quality.double(key), value <= 1 else { throw quality.fail(key, "must be a number from 0 to 1.") }
                    if key == "default" { profile.quality = value } else { profile.qualityByDomain[key] = value }
                }
            } else {
                guard let value = try reader.double("quality"), value <= 1 else { throw reader.fail("quality", "must be a number from 0 to 1, or {default: ..., <domain>: ...}.") }
                profile.quality = value
            }
        }
        if let latency = try reader.nested("latency", known: ["first_token_ms", "tokens_per_second"]) {
            profile.firstTokenMs = try latency.double("first_token_ms") ?? profile.firstTokenMs
            profile.tokensPerSecond = try latency.double("tokens_per_second", minimum: 0.001) ?? profile.tokensPerSecond
        }
        profile.marginalCostPerMTok = try reader.double("marginal_cost") ?? 0
        profile.routerID = try reader.string("router_id")
        return profile
    }

    private func ledgerSettings(_ top: NodeReader, models: Set<String>) throws(ConfigError) -> LedgerSettings {
        var settings = LedgerSettings()
        if let storage = try top.nested("storage", known: ["sqlite", "postgres"]) {
            let sqlite = try storage.string("sqlite"), postgres = try storage.string("postgres")
            switch (sqlite, postgres) {
            case (let path?, nil): settings.backend = .sqlite(path: Self.resolve(path, besideConfig: top.file))
            case (nil, let raw?):
                // A password belongs in ${ENV}, like every other secret.
                let url: String
                switch EnvironmentExpansion(environment: environment).expand(raw) {
                case .value(let value): url = value.trimmingWhitespace
                case .missing(let name): throw storage.fail("postgres", "uses the environment variable \(name), which is not set.")
                }
                guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
                    throw storage.fail("postgres", "must be a URL like postgres://user:${PGPASSWORD}@127.0.0.1:5432/frontier.")
                }
                if let mode = PostgresURL.sslMode(in: url), !PostgresURL.sslModes.contains(mode) {
                    throw storage.fail("postgres", "has sslmode=\(mode); use one of \(PostgresURL.sslModes.joined(separator: ", ")).")
                }
                settings.backend = .postgres(url: url)
            case (nil, nil): throw top.fail("storage", "needs sqlite: FILE or postgres: URL.")
            case (_?, _?): throw top.fail("storage", "takes sqlite or postgres, not both.")
            }
        }
        guard let ledger = try top.nested("ledger", known: [
            "durability", "flush_ms", "max_pending", "checkpoint_every", "store_bodies", "key_env", "body_key_env", "reference_model",
            "implicit_feedback",
        ]) else { return settings }
        settings.implicitFeedback = try Self.implicitFeedback(ledger)
        if let mode = try ledger.string("durability") {
            guard let parsed = LedgerDurability(rawValue: mode) else { throw ledger.fail("durability", "must be strict or batched; got '\(mode)'.") }
            settings.durability = parsed
        }
        settings.flushMs = try ledger.int("flush_ms", minimum: 1) ?? settings.flushMs
        settings.maxPending = try ledger.int("max_pending", minimum: 1) ?? settings.maxPending
        settings.checkpointEvery = try ledger.int("checkpoint_every", minimum: 1) ?? settings.checkpointEvery
        settings.storeBodies = try ledger.bool("store_bodies") ?? false
        settings.keyEnv = try ledger.string("key_env") ?? settings.keyEnv
        settings.bodyKeyEnv = try ledger.string("body_key_env") ?? settings.bodyKeyEnv
        if let reference = try ledger.string("reference_model") {
            guard models.contains(reference) else { throw ledger.fail("reference_model", "names '\(reference)', which is not in 'models'.") }
            settings.referenceModel = reference
        }
        return settings
    }

    private func gatewaySettings(_ top: NodeReader) throws(ConfigError) -> GatewaySettings {
        var settings = GatewaySettings()
        guard let reader = try top.nested(
            "gateway", known: ["host", "port", "max_body_bytes", "max_connections_per_host", "default_models", "timeouts", "retries", "circuit_breaker", "limits"])
        else { return settings }
        settings.host = try reader.string("host") ?? settings.host
        settings.port = try reader.int("port", minimum: 0, maximum: 65_535) ?? settings.port
        settings.maxBodyBytes = try reader.int("max_body_bytes", minimum: 1) ?? settings.maxBodyBytes
        settings.maxConnectionsPerHost = try reader.int("max_connections_per_host", minimum: 1) ?? settings.maxConnectionsPerHost
        settings.defaultModels = try reader.stringList("default_models") ?? []
        settings.timeouts = try timeouts(reader, defaults: settings.timeouts)
        settings.limits = try limits(reader)
        if let r = try reader.nested("retries", known: ["max_retries", "base_delay_ms", "max_delay_ms"]) {
            let retries = settings.resilience.retries
            settings.resilience.retries = .init(
                maxRetries: try r.int("max_retries") ?? retries.maxRetries, baseDelayMs: try r.int("base_delay_ms", minimum: 1) ?? retries.baseDelayMs,
                maxDelayMs: try r.int("max_delay_ms", minimum: 1) ?? retries.maxDelayMs)
        }
        if let b = try reader.nested("circuit_breaker", known: ["consecutive_failures", "error_rate", "window", "minimum_calls", "open_ms", "half_open_probes"]) {
            var breaker = settings.resilience.breaker
            breaker.consecutiveFailures = try b.int("consecutive_failures", minimum: 1) ?? breaker.consecutiveFailures
            if let rate = try b.double("error_rate") {
                guard rate > 0, rate <= 1 else { throw b.fail("error_rate", "must be above 0 and at most 1.") }
                breaker.errorRate = rate
            }
            breaker.window = try b.int("window", minimum: 1) ?? breaker.window
            breaker.minimumCalls = try b.int("minimum_calls", minimum: 1) ?? breaker.minimumCalls
            breaker.openMs = try b.int("open_ms", minimum: 1) ?? breaker.openMs
            breaker.halfOpenProbes = try b.int("half_open_probes", minimum: 1) ?? breaker.halfOpenProbes
            settings.resilience.breaker = breaker
        }
        return settings
    }

    private func limits(_ reader: NodeReader) throws(ConfigError) -> GatewayLimits {
        var limits = GatewayLimits()
        guard let l = try reader.nested("limits", known: [
            "max_connections", "max_concurrent_requests", "header_timeout_ms", "body_timeout_ms", "idle_timeout_ms", "retry_after_seconds",
            "max_upstream_response_bytes", "max_stream_event_bytes", "socket_send_buffer_bytes", "shutdown_timeout_ms",
        ]) else { return limits }
        limits.maxConnections = try l.int("max_connections", minimum: 1) ?? limits.maxConnections
        limits.maxConcurrentRequests = try l.int("max_concurrent_requests", minimum: 1) ?? limits.maxConcurrentRequests
        limits.headerTimeoutMs = try l.int("header_timeout_ms", minimum: 1) ?? limits.headerTimeoutMs
        limits.bodyTimeoutMs = try l.int("body_timeout_ms", minimum: 1) ?? limits.bodyTimeoutMs
        limits.idleTimeoutMs = try l.int("idle_timeout_ms", minimum: 1) ?? limits.idleTimeoutMs
        limits.retryAfterSeconds = try l.int("retry_after_seconds", minimum: 1, maximum: 3_600) ?? limits.retryAfterSeconds
        limits.maxUpstreamResponseBytes = try l.int("max_upstream_response_bytes", minimum: 1_024) ?? limits.maxUpstreamResponseBytes
        limits.maxStreamEventBytes = try l.int("max_stream_event_bytes", minimum: 1_024) ?? limits.maxStreamEventBytes
        limits.socketSendBufferBytes = try l.int("socket_send_buffer_bytes", minimum: 0) ?? limits.socketSendBufferBytes
        limits.shutdownTimeoutMs = try l.int("shutdown_timeout_ms", minimum: 100, maximum: 3_600_000) ?? limits.shutdownTimeoutMs
        return limits
    }

    private func timeouts(_ reader: NodeReader, defaults: Timeouts) throws(ConfigError) -> Timeouts {
        guard let t = try reader.nested("timeouts", known: ["connect_ms", "first_token_ms", "total_ms"]) else { return defaults }
        return Timeouts(
            connectMs: try t.int("connect_ms", minimum: 1) ?? defaults.connectMs,
            firstTokenMs: try t.int("first_token_ms", minimum: 1) ?? defaults.firstTokenMs,
            totalMs: try t.int("total_ms", minimum: 1) ?? defaults.totalMs)
    }

    private enum ModelResult {
        case available(ModelEntry)
        case unavailable(UnavailableModel)
    }

    private func model(_ node: Node, file: String, context: String, defaults: Timeouts) throws(ConfigError) -> ModelResult {
        let reader = try NodeReader(
            file: file, context: context, node: node,
            known: [
                "id", "provider", "kind", "base_url", "api_key", "upstream_model", "deployment", "price", "context_window",
                "max_output_tokens", "fixed_costs", "fine_tuning", "headers", "timeouts", "quality", "latency", "marginal_cost", "router_id",
                "expect_identity", "on_identity_change", "regression", "canary", "propagate_trace_context",
            ])
        let id = try reader.requiredString("id")
        let providerName = try reader.requiredString("provider")
        guard let provider = ProviderKind(rawValue: providerName) else {
            throw reader.fail("provider", "must be one of \(ProviderKind.allCases.map(\.rawValue).joined(separator: ", ")), got '\(providerName)'.")
        }
        let kindName = try reader.string("kind") ?? ModelKind.chat.rawValue
        guard let kind = ModelKind(rawValue: kindName) else {
            throw reader.fail("kind", "must be chat or embedding; got '\(kindName)'.")
        }
        if kind == .embedding, provider != .openAICompatible {
            throw reader.fail("kind", "embedding models are served through an OpenAI-compatible /embeddings endpoint; use provider: openai-compatible.")
        }
        let deploymentName = try reader.requiredString("deployment")
        guard let deployment = Deployment(rawValue: deploymentName) else {
            throw reader.fail("deployment", "must be one of local, on-prem, cloud; got '\(deploymentName)'.")
        }
        let rawBaseURL = try reader.requiredString("base_url")
        var missingVariables: [String] = []
        func expanded(_ text: String) -> String {
            switch EnvironmentExpansion(environment: environment).expand(text) {
            case .value(let value): return value
            case .missing(let name):
                missingVariables.append(name)
                return ""
            }
        }
        /// A secret or header value: trimmed (a key mounted from a file ends in a newline), and
        /// refused if a control character is left inside it. The error never shows the value.
        func headerValue(_ raw: String, field: String) throws(ConfigError) -> String {
            let value = expanded(raw).trimmingWhitespace
            if value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                throw reader.fail(field, "holds a control character (a line break or similar) inside its value\(raw.contains("${") ? " (from \(raw))" : ""); a header value cannot carry one. Fix the secret.")
            }
            return value
        }
        let baseURL = expanded(rawBaseURL)
        if missingVariables.isEmpty, !(baseURL.hasPrefix("http://") || baseURL.hasPrefix("https://")) {
            throw reader.fail("base_url", "must be an http:// or https:// URL, got '\(baseURL)'.")
        }
        let apiKey: String? = if let raw = try reader.string("api_key") { try headerValue(raw, field: "api_key") } else { nil }
        var headers: [String: String] = [:]
        for (name, raw) in try reader.stringMap("headers") { headers[name] = try headerValue(raw, field: "headers.\(name)") }
        var price = Price.free
        if let p = try reader.nested("price", known: ["input_per_mtok", "output_per_mtok", "cached_input_per_mtok"]) {
            price = Price(
                inputPerMTok: try p.double("input_per_mtok") ?? 0,
                outputPerMTok: try p.double("output_per_mtok") ?? 0,
                cachedInputPerMTok: try p.double("cached_input_per_mtok"))
        } else if deployment == .cloud {
            throw reader.fail("price", "is required for cloud models: {input_per_mtok: ..., output_per_mtok: ...} in USD per million tokens.")
        }
        var fixedCosts = FixedCosts()
        if let f = try reader.nested("fixed_costs", known: ["usd_per_hour"]) {
            fixedCosts.usdPerHour = try f.double("usd_per_hour") ?? 0
        }
        fixedCosts.fineTuning = try fineTuning(reader)
        let entry = ModelEntry(
            id: id, provider: provider, kind: kind, baseURL: baseURL, apiKey: apiKey,
            upstreamModel: try reader.string("upstream_model"), deployment: deployment, price: price,
            contextWindow: try reader.int("context_window", minimum: 1),
            maxOutputTokens: try reader.int("max_output_tokens", minimum: 1, maximum: ChatRequest.maximumOutputTokens), fixedCosts: fixedCosts, headers: headers,
            timeouts: try timeouts(reader, defaults: defaults),
            profile: try profile(reader, deployment: deployment),
            identity: try Self.identityExpectation(reader),
            regression: try Self.regression(reader),
            canary: try Self.canary(reader, configFile: file),
            // A third-party cloud learns nothing of the caller's traces unless the operator says so.
            propagatesTraceContext: try reader.bool("propagate_trace_context") ?? (deployment != .cloud))
        if let variable = missingVariables.first {
            return .unavailable(UnavailableModel(id: id, reason: "environment variable \(variable) is not set"))
        }
        return .available(entry)
    }

    private func fineTuning(_ reader: NodeReader) throws(ConfigError) -> [FineTuningRun] {
        guard let node = reader.node("fine_tuning") else { return [] }
        guard let items = node.sequence else { throw reader.fail("fine_tuning", "must be a list of {cost_usd, on, amortize_days}.") }
        var runs: [FineTuningRun] = []
        for item in items {
            let run = try NodeReader(
                file: reader.file, context: reader.context, node: item, known: ["cost_usd", "on", "amortize_days"], prefix: "fine_tuning.")
            guard let cost = try run.double("cost_usd") else { throw run.fail("cost_usd", "is required.") }
            runs.append(FineTuningRun(costUSD: cost, date: try run.requiredString("on"), amortizeDays: try run.int("amortize_days", minimum: 1) ?? 30))
        }
        return runs
    }
}
