public import FrontierCore
import Foundation

/// A loaded and validated `frontier.yaml`.
public struct FrontierConfiguration: Sendable {
    public var file: String
    public var gateway: GatewaySettings
    public var catalog: ModelCatalog
    /// The audit ledger: where it lives and how it commits.
    public var ledger: LedgerSettings
    /// `router:` and `privacy:` settings.
    public var router: RouterSettings
    /// Nil: no keys, and the gateway listens on loopback only.
    public var auth: AuthSettings?
    /// Traces and GenAI metrics over OTLP; off unless `telemetry.otlp` is set.
    public var telemetry = TelemetrySettings()
    public var logging = LoggingSettings()

    public init(
        file: String, gateway: GatewaySettings, catalog: ModelCatalog, ledger: LedgerSettings = LedgerSettings(), router: RouterSettings = RouterSettings(),
        auth: AuthSettings? = nil
    ) {
        self.file = file
        self.gateway = gateway
        self.catalog = catalog
        self.ledger = ledger
        self.router = router
        self.auth = auth
    }
}

extension FrontierConfiguration {
    /// Every secret the config holds (API keys, header values, the storage URL): error
    /// text that leaves the process is scrubbed of them.
    public var secrets: [String] {
        var secrets = catalog.models.flatMap { model in [model.apiKey].compactMap { $0 } + Array(model.headers.values) }
        if case .postgres(let url) = ledger.backend, let password = URLComponents(string: url)?.password { secrets.append(password) }
        if let auth { secrets.append(auth.adminKey) }
        secrets += telemetry.otlp.map { Array($0.headers.values) } ?? []
        return secrets
    }
}
