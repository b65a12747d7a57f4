/// The `auth:` section: with it, every `/v1/*` request needs a tenant's API
/// key, and `/admin/*` and `/metrics` the admin key. Without it the gateway
/// listens on loopback only.
///
/// ```yaml
/// auth: {admin_key: ${FRONTIER_ADMIN_KEY}}
/// ```
public struct AuthSettings: Sendable, Equatable {
    /// The admin key, read from the environment; never logged.
    public var adminKey: String

    /// The shortest admin key accepted: a guessable one would hand out every budget.
    public static let minimumAdminKeyLength = 16

    public init(adminKey: String) {
        self.adminKey = adminKey
    }
}
