public import FrontierCore

/// A loaded and validated `frontier.yaml`.
public struct FrontierConfiguration: Sendable {
    public var file: String
    public var gateway: GatewaySettings
    public var catalog: ModelCatalog
    /// Where the ledger lives (`storage.sqlite` or `storage.postgres`); read by the ledger.
    public var storage: [String: String]
    /// `router:` settings (file, default_objective); read by the router.
    public var router: [String: String]

    public init(file: String, gateway: GatewaySettings, catalog: ModelCatalog, storage: [String: String] = [:], router: [String: String] = [:]) {
        self.file = file
        self.gateway = gateway
        self.catalog = catalog
        self.storage = storage
        self.router = router
    }
}
