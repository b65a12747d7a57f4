public import FrontierCore
public import Hummingbird
public import NIOCore

/// The request context: Hummingbird's core storage plus the connection,
/// so a handler can notice a client that went away.
public struct GatewayContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let channel: any Channel
    /// Set by ``RequestIDMiddleware`` before any handler runs.
    public var requestID = ""
    /// The caller's API key, set by ``AuthMiddleware`` on `/v1/*` when `auth:` is on.
    public var tenant: APIKeyRecord?
    /// The caller presented the admin key.
    public var isAdmin = false

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }
}
