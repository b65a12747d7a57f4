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
    /// What one client or one upstream may hold of the gateway.
    public var limits = GatewayLimits()

    public init() {}
}

/// `gateway.limits`: bounds on connections, requests in flight, how long a
/// client may take to send, and what an upstream may send back. Over a limit
/// a client gets 503 with Retry-After (or its connection closed, for a client
/// too slow to send a request), never an unbounded queue.
public struct GatewayLimits: Sendable, Equatable {
    /// Open client connections; more are answered 503 and closed.
    public var maxConnections = 4_096
    /// Requests being served at once (streams until their end); more get 503. `/healthz` and `/metrics` are not counted.
    public var maxConcurrentRequests = 1_024
    /// From a connection's start (or its previous response) until a request's head is in.
    public var headerTimeoutMs = 10_000
    /// From a request's head until its whole body is in.
    public var bodyTimeoutMs = 30_000
    /// A kept-alive connection with no request in flight is closed after this long.
    public var idleTimeoutMs = 60_000
    /// Each client socket's kernel send buffer. Left to the kernel, it grows to megabytes per
    /// connection, which a slow reader makes the gateway fill (and the machine hold); 0 leaves it to the kernel.
    public var socketSendBufferBytes = 256 << 10
    /// Retry-After, in seconds, on a 503 for being over a limit.
    public var retryAfterSeconds = 1
    /// Bytes of an upstream's non-streamed answer.
    public var maxUpstreamResponseBytes = 16 << 20
    /// Bytes of one upstream stream event (or line); a longer one ends the stream with an error.
    public var maxStreamEventBytes = 1 << 20
    /// After SIGTERM, how long the requests in flight (and the ledger's last batch) may take before
    /// whatever still runs is cancelled: a drain that never ends would keep an instance from being replaced.
    public var shutdownTimeoutMs = 30_000

    public init() {}
}
