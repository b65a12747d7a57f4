public import FrontierCore

/// A loaded and validated `frontier.yaml`.
public struct FrontierConfiguration: Sendable {
    public var file: String
    public var gateway: GatewaySettings
    public var catalog: ModelCatalog
    /// The audit ledger: where it lives and how it commits.
    public var ledger: LedgerSettings
    /// `router:` and `privacy:` settings.
    public var router: RouterSettings

    public init(file: String, gateway: GatewaySettings, catalog: ModelCatalog, ledger: LedgerSettings = LedgerSettings(), router: RouterSettings = RouterSettings()) {
        self.file = file
        self.gateway = gateway
        self.catalog = catalog
        self.ledger = ledger
        self.router = router
    }
}
