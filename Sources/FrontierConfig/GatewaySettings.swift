public import FrontierCore

/// The `gateway:` section: how the HTTP server listens and limits requests.
public struct GatewaySettings: Sendable, Equatable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// Largest request body accepted; larger ones get 413.
    public var maxBodyBytes = 4 << 20
    /// Pooled connections per upstream host.
    public var maxConnectionsPerHost = 256
    /// The models `auto` may choose from; the whole catalog when empty.
    public var defaultModels: [String] = []
    /// Defaults for every model; a model's own `timeouts:` overrides them.
    public var timeouts = Timeouts()
    /// Retries and circuit breakers for every upstream.
    public var resilience = ResilienceSettings()

    public init() {}
}
