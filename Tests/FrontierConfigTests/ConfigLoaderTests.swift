import FrontierConfig
import FrontierCore
import Testing

@Suite struct ConfigLoaderTests {
    let loader = ConfigLoader(environment: ["OPENAI_API_KEY": "sk-test"])

    func failure(_ yaml: String) -> String {
        do {
            _ = try loader.parse(yaml, file: "frontier.yaml")
            return "no error"
        } catch {
            return error.description
        }
    }

    @Test func readsTheDesignDocsExample() throws {
        let config = try loader.parse("""
            models:
              - id: gemma-local
                provider: openai-compatible
                base_url: http://127.0.0.1:8081/v1
                deployment: local
                price: {input_per_mtok: 0, output_per_mtok: 0}
                fixed_costs: {usd_per_hour: 0.9}
                fine_tuning: [{cost_usd: 1200, on: 2026-11-01, amortize_days: 30}]
                context_window: 8192
              - id: gpt-4o
                provider: openai-compatible
                base_url: https://api.openai.com/v1
                api_key: ${OPENAI_API_KEY}
                deployment: cloud
                price: {input_per_mtok: 2.5, output_per_mtok: 10}
            router: {file: router.json, default_objective: balanced}
            storage: {sqlite: frontier.db}
            """, file: "/etc/frontier/frontier.yaml")
        #expect(config.catalog.models.map(\.id) == ["gemma-local", "gpt-4o"])
        let gpt = try #require(config.catalog["gpt-4o"])
        #expect(gpt.apiKey == "sk-test")
        #expect(gpt.deployment == .cloud)
        #expect(gpt.price == Price(inputPerMTok: 2.5, outputPerMTok: 10))
        #expect(gpt.upstreamModel == "gpt-4o")
        let gemma = try #require(config.catalog["gemma-local"])
        #expect(gemma.fixedCosts.usdPerHour == 0.9)
        #expect(gemma.fixedCosts.fineTuning == [FineTuningRun(costUSD: 1200, date: "2026-11-01", amortizeDays: 30)])
        #expect(gemma.contextWindow == 8192)
        #expect(config.ledger.backend == .sqlite(path: "/etc/frontier/frontier.db"))  // beside the config file
        #expect(config.router.file == "/etc/frontier/router.json")  // beside the config file
        #expect(config.router.defaultObjective == .balanced)
    }

    @Test func aModelWithAnUnsetKeyIsUnavailableNotFatal() throws {
        let config = try loader.parse("""
            models:
              - {id: claude, provider: anthropic, base_url: https://api.anthropic.com/v1, api_key: "${ANTHROPIC_API_KEY}", deployment: cloud, price: {input_per_mtok: 3, output_per_mtok: 15}}
              - {id: local, provider: openai-compatible, base_url: "http://127.0.0.1:1/v1", deployment: local}
            """, file: "frontier.yaml")
        #expect(config.catalog.models.map(\.id) == ["local"])
        #expect(config.catalog.unavailable == [UnavailableModel(id: "claude", reason: "environment variable ANTHROPIC_API_KEY is not set")])
    }

    @Test(arguments: [
        ("models:\n  - {id: m, provider: openai, base_url: http://x/v1, deployment: local}", "model 'm': field 'provider' must be one of"),
        ("models:\n  - {id: m, provider: anthropic, base_url: http://x/v1, deployment: moon}", "model 'm': field 'deployment' must be one of"),
        ("models:\n  - {id: m, provider: anthropic, base_url: ftp://x, deployment: local}", "model 'm': field 'base_url' must be an http"),
        ("models:\n  - {id: m, provider: anthropic, base_url: http://x, deployment: cloud}", "model 'm': field 'price' is required"),
        ("models:\n  - {id: m, provider: anthropic, base_url: http://x, deployment: local, price: {input_per_mtok: abc}}", "model 'm': field 'price.input_per_mtok' must be a number"),
        ("models:\n  - {id: m, provider: anthropic, base_url: http://x, deployment: local, pricee: 1}", "model 'm': unknown field 'pricee'"),
        ("models:\n  - {id: m, provider: anthropic, base_url: http://x, deployment: local, context_window: -5}", "model 'm': field 'context_window' must be at least 1"),
        ("models:\n  - {provider: anthropic, base_url: http://x, deployment: local}", "models[0]: field 'id' is required"),
        ("models:\n  - {id: m, provider: anthropic, base_url: http://x, deployment: local}\n  - {id: m, provider: anthropic, base_url: http://x, deployment: local}", "model 'm': the id is used twice"),
        ("gateway: {port: eighty}\nmodels: []", "field 'gateway.port' must be a whole number"),
        ("gateway: {default_models: [nope]}\nmodels: []", "'default_models' names 'nope'"),
        ("models: {}", "'models' must be a list"),
        ("models: [", "not valid YAML"),
    ])
    func aWrongFieldNamesTheFileTheModelAndTheField(_ yaml: String, _ expected: String) {
        let message = failure(yaml)
        #expect(message.hasPrefix("frontier.yaml"), "\(message)")
        #expect(message.contains(expected), "\(message)")
    }

    @Test func timeoutsDefaultFromTheGatewaySection() throws {
        let config = try loader.parse("""
            gateway: {timeouts: {connect_ms: 100, first_token_ms: 200, total_ms: 300}}
            models:
              - {id: a, provider: openai-compatible, base_url: "http://x/v1", deployment: local}
              - {id: b, provider: openai-compatible, base_url: "http://x/v1", deployment: local, timeouts: {total_ms: 900}}
            """, file: "f.yaml")
        #expect(config.catalog["a"]?.timeouts == Timeouts(connectMs: 100, firstTokenMs: 200, totalMs: 300))
        #expect(config.catalog["b"]?.timeouts == Timeouts(connectMs: 100, firstTokenMs: 200, totalMs: 900))
    }
}

@Suite struct RouteConfigTests {
    let loader = ConfigLoader(environment: [:])
    let models = """
        models:
          - {id: local, provider: openai-compatible, base_url: "http://x/v1", deployment: local}
          - {id: cloud, provider: openai-compatible, base_url: "http://x/v1", deployment: cloud, price: {input_per_mtok: 1, output_per_mtok: 2}}

        """

    @Test func readsRoutesAndTheFallbackModel() throws {
        let config = try loader.parse(models + """
            routes:
              - {name: private, models: [local], constraints: {privacy: local, objective: cheapest, max_cost_usd: 0.01, min_quality: 0.3}}
            router: {fallback_model: local}
            """, file: "f.yaml")
        let route = try #require(config.router.routes["private"])
        #expect(route.models == ["local"])
        #expect(route.constraints == Constraints(maxCostUSD: 0.01, privacy: .local, minQuality: 0.3, objective: .cheapest))
        #expect(config.router.fallbackModel == "local")
    }

    @Test func readsACascadeRouteAndResilienceSettings() throws {
        let config = try loader.parse(models + """
            gateway: {retries: {max_retries: 3, base_delay_ms: 50}, circuit_breaker: {consecutive_failures: 2, open_ms: 500}}
            routes:
              - name: support
                cascade:
                  - model: local
                    accept: {json_schema: true, min_chars: 20, must_contain: order, reject_refusals: true, min_mean_token_prob: 0.4,
                             self_consistency: {samples: 3, min_agreement: 0.6}, verifier: {model: cloud, min_score: 0.8}}
                  - model: cloud
                streaming: stream-final-tier
                deadline_ms: 2000
            """, file: "f.yaml")
        let route = try #require(config.router.routes["support"])
        let cascade = try #require(route.cascade)
        #expect(route.models == ["local", "cloud"])
        #expect(cascade.streaming == .streamFinalTier)
        #expect(cascade.deadlineMs == 2000)
        #expect(cascade.tiers.map(\.model) == ["local", "cloud"])
        let accept = cascade.tiers[0].accept
        #expect(accept.jsonSchema && accept.rejectRefusals && accept.minChars == 20 && accept.mustContain == ["order"])
        #expect(accept.minMeanTokenProbability == 0.4 && accept.needsLogprobs)
        #expect(accept.selfConsistency == .init(samples: 3, minAgreement: 0.6))
        #expect(accept.verifier == .init(model: "cloud", minScore: 0.8))
        #expect(cascade.tiers[1].accept == AcceptanceChecks())
        #expect(config.gateway.resilience.retries == .init(maxRetries: 3, baseDelayMs: 50, maxDelayMs: 2_000))
        #expect(config.gateway.resilience.breaker.consecutiveFailures == 2 && config.gateway.resilience.breaker.openMs == 500)
    }

    @Test(arguments: [
        ("routes:\n  - {name: local}", "route 'local': field 'name' is also a model id"),
        ("routes:\n  - {name: r, models: [nope]}", "route 'r': field 'models' names 'nope'"),
        ("routes:\n  - {name: r, constraints: {privacy: moon}}", "route 'r': field 'constraints.privacy' must be any, on-prem or local"),
        ("routes:\n  - {name: r, cascade: []}", "route 'r': field 'cascade' must be a list of tiers"),
        ("routes:\n  - {name: r, cascade: [{model: nope}]}", "route 'r': a cascade tier names 'nope'"),
        ("routes:\n  - {name: r, models: [local], cascade: [{model: local}]}", "field 'models' cannot be given with 'cascade'"),
        ("routes:\n  - {name: r, cascade: [{model: local, accept: {min_charz: 3}}]}", "route 'r' tier 1: unknown field 'accept.min_charz'"),
        ("routes:\n  - {name: r, cascade: [{model: local, accept: {regex: '(('}}]}", "field 'accept.regex' is not a valid regular expression"),
        ("routes:\n  - {name: r, cascade: [{model: local, accept: {verifier: {model: nope}}}]}", "a verifier names 'nope'"),
        ("routes:\n  - {name: r, cascade: [{model: local}], streaming: sometimes}", "field 'streaming' must be verify-then-stream or stream-final-tier"),
        ("routes:\n  - {name: r, models: [local], deadline_ms: 5}", "field 'deadline_ms' only applies to a cascade route"),
        ("gateway: {circuit_breaker: {error_rate: 2}}", "field 'gateway.circuit_breaker.error_rate' must be above 0 and at most 1"),
        ("router: {fallback_model: nope}", "field 'fallback_model' names 'nope'"),
        ("privacy: {pii: any}", "field 'privacy.pii' must be on-prem or local"),
    ])
    func wrongRouteFieldsAreNamed(_ yaml: String, _ expected: String) {
        do {
            _ = try loader.parse(models + yaml, file: "f.yaml")
            Issue.record("no error for \(yaml)")
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }
}
