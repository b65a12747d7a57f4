public import Hummingbird
public import NIOCore

/// The request context: Hummingbird's core storage plus the connection,
/// so a handler can notice a client that went away.
public struct GatewayContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let channel: any Channel
    /// Set by ``RequestIDMiddleware`` before any handler runs.
    public var requestID = ""

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }
}
