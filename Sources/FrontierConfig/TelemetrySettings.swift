/// `telemetry:`: traces and the GenAI client metrics over OTLP. Off unless
/// `telemetry.otlp` is set; the standard `OTEL_*` variables then refine it.
public struct TelemetrySettings: Sendable, Equatable {
    /// Where and how spans and metrics are sent; nil: no telemetry at all.
    public var otlp: OTLPSettings?
    /// Prompts and answers as span events. Never for a request with sensitive data, whatever this says.
    public var captureContent = false

    public init(otlp: OTLPSettings? = nil, captureContent: Bool = false) {
        self.otlp = otlp
        self.captureContent = captureContent
    }
}

/// `telemetry.otlp`: named as the OTLP exporter's environment variables are.
public struct OTLPSettings: Sendable, Equatable {
    /// `OTEL_EXPORTER_OTLP_PROTOCOL`'s values.
    public enum WireProtocol: String, Sendable, Equatable, CaseIterable {
        case httpProtobuf = "http/protobuf"
        case grpc
    }

    /// The base URL, as `OTEL_EXPORTER_OTLP_ENDPOINT`: OTLP/HTTP posts to `/v1/traces` and `/v1/metrics` under it.
    public var endpoint: String
    public var wireProtocol: WireProtocol
    /// Sent with every export (a collector's API key); values may come from `${ENV}`.
    public var headers: [String: String]
    /// The share of traces kept, decided once per trace (a caller's sampled flag wins).
    public var sampleRatio: Double
    /// One export's time limit; the queue keeps filling (and drops past its bound) meanwhile.
    public var timeoutMs: Int
    /// Finished spans waiting for export; past it spans are dropped and counted.
    public var maxQueueSize: Int

    public init(
        endpoint: String, wireProtocol: WireProtocol = .httpProtobuf, headers: [String: String] = [:], sampleRatio: Double = 1,
        timeoutMs: Int = 10_000, maxQueueSize: Int = 2_048
    ) {
        self.endpoint = endpoint
        self.wireProtocol = wireProtocol
        self.headers = headers
        self.sampleRatio = sampleRatio
        self.timeoutMs = timeoutMs
        self.maxQueueSize = maxQueueSize
    }
}

/// `logging:`: the format of the gateway's log lines on standard error.
public struct LoggingSettings: Sendable, Equatable {
    public enum Format: String, Sendable, Equatable, CaseIterable {
        /// `time level label: key=value ... [source] message`.
        case text
        /// One JSON object a line, its metadata (the request id, trace and span ids) as fields.
        case json
    }

    public var format: Format = .text

    public init(format: Format = .text) { self.format = format }
}

extension ConfigLoader {
    /// `telemetry: {otlp: {endpoint, protocol, headers, sample_ratio, timeout_ms, max_queue_size}, capture_content}`.
    func telemetrySettings(_ top: NodeReader) throws(ConfigError) -> TelemetrySettings {
        guard let telemetry = try top.nested("telemetry", known: ["otlp", "capture_content"]) else { return TelemetrySettings() }
        var settings = TelemetrySettings(captureContent: try telemetry.bool("capture_content") ?? false)
        guard let otlp = try telemetry.nested("otlp", known: ["endpoint", "protocol", "headers", "sample_ratio", "timeout_ms", "max_queue_size"]) else {
            return settings
        }
        let expansion = EnvironmentExpansion(environment: environment)
        func expanded(_ raw: String, field: String) throws(ConfigError) -> String {
            switch expansion.expand(raw) {
            case .value(let value): return value.trimmingWhitespace
            case .missing(let name): throw otlp.fail(field, "uses the environment variable \(name), which is not set.")
            }
        }
        guard let rawEndpoint = try otlp.string("endpoint") else {
            throw otlp.fail("endpoint", "is required: the collector's base URL, e.g. http://127.0.0.1:4318 (OTLP/HTTP) or http://127.0.0.1:4317 (gRPC).")
        }
        let endpoint = try expanded(rawEndpoint, field: "endpoint")
        guard endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://") else {
            throw otlp.fail("endpoint", "must be an http:// or https:// URL, got '\(endpoint)'.")
        }
        let protocolName = try otlp.string("protocol") ?? OTLPSettings.WireProtocol.httpProtobuf.rawValue
        guard let wire = OTLPSettings.WireProtocol(rawValue: protocolName) else {
            throw otlp.fail("protocol", "must be http/protobuf or grpc (the values of OTEL_EXPORTER_OTLP_PROTOCOL); got '\(protocolName)'.")
        }
        var headers: [String: String] = [:]
        for (name, raw) in try otlp.stringMap("headers") {
            let value = try expanded(raw, field: "headers.\(name)")
            guard !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                throw otlp.fail("headers.\(name)", "holds a control character inside its value; a header value cannot carry one.")
            }
            headers[name.lowercased()] = value
        }
        settings.otlp = OTLPSettings(
            endpoint: endpoint, wireProtocol: wire, headers: headers, sampleRatio: try otlp.double("sample_ratio", minimum: 0, maximum: 1) ?? 1,
            timeoutMs: try otlp.int("timeout_ms", minimum: 1, maximum: 600_000) ?? 10_000,
            maxQueueSize: try otlp.int("max_queue_size", minimum: 1, maximum: 1_000_000) ?? 2_048)
        return settings
    }

    /// `logging: {format: text | json}`.
    func loggingSettings(_ top: NodeReader) throws(ConfigError) -> LoggingSettings {
        guard let logging = try top.nested("logging", known: ["format"]) else { return LoggingSettings() }
        let name = try logging.string("format") ?? LoggingSettings.Format.text.rawValue
        guard let format = LoggingSettings.Format(rawValue: name) else { throw logging.fail("format", "must be text or json; got '\(name)'.") }
        return LoggingSettings(format: format)
    }
}
