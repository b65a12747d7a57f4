public import FrontierCore

/// A loaded and validated `frontier.yaml`.
public struct FrontierConfiguration: Sendable {
    public var file: String
    public var gateway: GatewaySettings
    public var catalog: ModelCatalog
    /// Where the ledger lives (`storage.sqlite` or `storage.postgres`); read by the ledger.
    public var storage: [String: String]
    /// `router:` and `privacy:` settings.
    public var router: RouterSettings

    public init(file: String, gateway: GatewaySettings, catalog: ModelCatalog, storage: [String: String] = [:], router: RouterSettings = RouterSettings()) {
        self.file = file
        self.gateway = gateway
        self.catalog = catalog
        self.storage = storage
        self.router = router
    }
}
