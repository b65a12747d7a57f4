import FrontierConfig
import FrontierCore
import Testing

@Suite struct HardeningConfigTests {
    func load(_ yaml: String, environment: [String: String] = [:]) throws -> FrontierConfiguration {
        try ConfigLoader(environment: environment).parse(yaml, file: "frontier.yaml")
    }

    func failure(_ yaml: String, environment: [String: String] = [:]) -> String { configFailure(yaml, environment: environment) }

    static let cloud = "  - {id: c, provider: openai-compatible, base_url: \"https://api.example.com/v1\", api_key: \"${KEY}\", deployment: cloud, price: {input_per_mtok: 1, output_per_mtok: 1}"

    /// A secret mounted from a file ends in a newline; AsyncHTTPClient would put the whole key in its header error.
    @Test func keysAreTrimmedAtLoad() throws {
        let config = try load("models:\n\(Self.cloud), headers: {x-org: \"${ORG}\"}}\n", environment: ["KEY": "sk-secret-value-123\n", "ORG": "  org-1 \r\n"])
        #expect(config.catalog["c"]?.apiKey == "sk-secret-value-123")
        #expect(config.catalog["c"]?.headers["x-org"] == "org-1")
        #expect(config.secrets.contains("sk-secret-value-123"))
    }

    @Test func aControlCharacterInsideAKeyIsAnErrorThatDoesNotShowIt() {
        let message = failure("models:\n\(Self.cloud)}\n", environment: ["KEY": "sk-first\nsk-second-part"])
        #expect(message.contains("api_key"))
        #expect(message.contains("control character"))
        #expect(!message.contains("sk-first") && !message.contains("sk-second"))
    }

    @Test func numbersPastTheirBoundAreConfigErrors() {
        let local = "models:\n  - {id: m, provider: openai-compatible, base_url: \"http://127.0.0.1:1/v1\", deployment: local, timeouts: {total_ms: 9223372036854775807}}\n"
        #expect(failure(local).contains("total_ms' must be at most"))
        #expect(failure("gateway: {port: 70000}\nmodels: []\n").contains("port' must be at most 65535"))
    }

    @Test func gatewayLimitsAreRead() throws {
        let config = try load("""
            gateway:
              limits: {max_connections: 10, max_concurrent_requests: 5, header_timeout_ms: 100, body_timeout_ms: 200, idle_timeout_ms: 300, retry_after_seconds: 2, max_stream_event_bytes: 2048, shutdown_timeout_ms: 5000}
            models: []
            """)
        let limits = config.gateway.limits
        #expect(limits.maxConnections == 10 && limits.maxConcurrentRequests == 5)
        #expect(limits.headerTimeoutMs == 100 && limits.bodyTimeoutMs == 200 && limits.idleTimeoutMs == 300)
        #expect(limits.retryAfterSeconds == 2 && limits.maxStreamEventBytes == 2048 && limits.shutdownTimeoutMs == 5000)
        #expect(GatewayLimits().shutdownTimeoutMs == 30_000)
        #expect(failure("gateway: {limits: {shutdown_timeout_ms: 0}}\nmodels: []\n").contains("shutdown_timeout_ms' must be at least 100"))
        #expect(failure("gateway: {limits: {max_conection: 1}}\nmodels: []\n").contains("unknown field 'gateway.limits.max_conection'"))
    }

    @Test func postgresURLsExpandTheEnvironmentAndCheckSSLMode() throws {
        let config = try load("models: []\nstorage: {postgres: \"postgres://frontier:${PGPASS}@127.0.0.1:5432/db?sslmode=require\"}\n", environment: ["PGPASS": "pw-123456"])
        #expect(config.ledger.backend == .postgres(url: "postgres://frontier:pw-123456@127.0.0.1:5432/db?sslmode=require"))
        #expect(config.secrets.contains("pw-123456"))
        #expect(failure("models: []\nstorage: {postgres: \"postgres://u:${NOPE}@h/db\"}\n").contains("NOPE, which is not set"))
        #expect(failure("models: []\nstorage: {postgres: \"postgres://u@h/db?sslmode=sometimes\"}\n").contains("sslmode=sometimes"))
    }
}

@Suite struct PrivacyConfigTests {
    func failure(_ yaml: String) -> String { configFailure(yaml) }

    static let models = """
        models:
          - {id: local, provider: openai-compatible, base_url: "http://127.0.0.1:1/v1", deployment: local}
          - {id: judge, provider: openai-compatible, base_url: "https://api.example.com/v1", deployment: cloud, price: {input_per_mtok: 1, output_per_mtok: 1}}
        """

    @Test func aVerifierOutsideTheRoutesZoneIsAnErrorAtStartUp() {
        let yaml = Self.models + """

            routes:
              - name: private
                constraints: {privacy: on-prem}
                cascade:
                  - {model: local, accept: {verifier: {model: judge}}}
                  - {model: local}
            """
        let message = failure(yaml)
        #expect(message.contains("route 'private'"), "\(message)")
        #expect(message.contains("verifier 'judge' is a cloud model"), "\(message)")
    }

    @Test func privacyPolicySettings() throws {
        let config = try ConfigLoader(environment: [:]).parse(Self.models + "\nprivacy: {pii: local, unscannable: allow, categories: {person_name: false, ip_address: false}}\n", file: "f.yaml")
        let policy = config.router.privacy
        #expect(policy.piiZone == .local)
        #expect(policy.unscannableZone == nil)
        #expect(!policy.categories.contains(.personName) && !policy.categories.contains(.ipAddress) && policy.categories.contains(.email))
        // A PII policy treats unscannable content like PII unless told otherwise.
        let strict = try ConfigLoader(environment: [:]).parse(Self.models + "\nprivacy: {pii: on-prem}\n", file: "f.yaml")
        #expect(strict.router.privacy.unscannableZone == .onPrem)
        #expect(failure(Self.models + "\nprivacy: {pii: on-prem, categories: {faces: false}}\n").contains("unknown field 'privacy.categories.faces'"))
        #expect(failure(Self.models + "\nprivacy: {pii: on-prem, unscannable: sometimes}\n").contains("unscannable"))
    }
}
