import AsyncHTTPClient
import FrontierCore
import Logging
import NIOCore
import NIOHTTP1

/// The HTTP side of every provider: one AsyncHTTPClient per distinct connect
/// timeout (AsyncHTTPClient sets that per client), a raised per-host
/// connection limit, and the mapping of transport failures to ``UpstreamError``.
///
/// Redirects are never followed: AsyncHTTPClient would re-send the prompt,
/// and any credential header but `Authorization`, to wherever a `Location`
/// points, https to http included. A redirect is a failed call that says so.
/// Every error text it makes passes through the limits' redactor.
public final class UpstreamHTTP: Sendable {
    private let clients: [Int: HTTPClient]
    private let fallback: HTTPClient
    public let limits: UpstreamLimits

    /// - Parameters:
    ///   - connectTimeoutsMs: every connect timeout the catalog uses.
    ///   - maxConnectionsPerHost: pooled HTTP/1 connections per upstream host (AsyncHTTPClient's default 8 caps throughput).
    public init(connectTimeoutsMs: Set<Int>, maxConnectionsPerHost: Int = 256, limits: UpstreamLimits = UpstreamLimits()) {
        func makeClient(connectMs: Int) -> HTTPClient {
            var configuration = HTTPClient.Configuration()
            configuration.redirectConfiguration = .disallow
            configuration.timeout = .init(connect: .milliseconds(Int64(connectMs)))
            configuration.connectionPool = .init(
                idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: maxConnectionsPerHost)
            configuration.decompression = .enabled(limit: .ratio(50))
            // No distributed tracing is set up; skipping the no-op spans saves ~3% CPU per request.
            configuration.tracing.tracer = nil
            return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        }
        var clients: [Int: HTTPClient] = [:]
        for ms in connectTimeoutsMs { clients[ms] = makeClient(connectMs: ms) }
        self.fallback = makeClient(connectMs: Timeouts().connectMs)
        self.clients = clients
        self.limits = limits
    }

    /// Bytes of an upstream's non-streamed answer the gateway accepts.
    public var maxResponseBytes: Int { limits.maxResponseBytes }

    public func shutdown() async throws {
        for client in clients.values { try await client.shutdown() }
        try await fallback.shutdown()
    }

    /// Sends a JSON POST and returns the response once its head is in, within
    /// the first-token limit. A non-2xx answer becomes ``UpstreamError/status(code:retryAfterSeconds:message:)``.
    func post(url: String, headers: [(String, String)], body: [UInt8], timeouts: Timeouts, started: NIODeadline) async throws(UpstreamError) -> HTTPClientResponse {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let client = clients[timeouts.connectMs] ?? fallback
        let firstTokenMs = min(timeouts.firstTokenMs, timeouts.totalMs)
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, deadline: started + .milliseconds(Int64(firstTokenMs)))
        } catch {
            throw Self.map(error, timeouts: timeouts, phase: .firstToken).redacted(limits.redactor)
        }
        let code = Int(response.status.code)
        if (300..<400).contains(code) {
            throw UpstreamError.status(code: code, retryAfterSeconds: nil, message: Self.redirectMessage(response))
        }
        guard (200..<300).contains(code) else {
            let text = (try? await collect(response, upTo: 64 << 10, timeouts: timeouts, started: started)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            throw UpstreamError.status(
                code: code,
                retryAfterSeconds: response.headers.first(name: "retry-after").flatMap(Self.retryAfterSeconds),
                message: limits.redactor.redact(Self.errorMessage(fromBody: text, status: response.status)))
        }
        return response
    }

    /// Why a redirect was not followed, naming where it pointed (scheme and host only: a path can carry a token).
    static func redirectMessage(_ response: HTTPClientResponse) -> String {
        let location = response.headers.first(name: "location") ?? ""
        var target = "another address"
        if let scheme = location.range(of: "://") {
            let rest = location[scheme.upperBound...]
            let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }.split(separator: "@").last.map(String.init) ?? ""
            target = String(location[..<scheme.lowerBound]) + "://" + host
        } else if location.hasPrefix("/") {
            target = "another path on the same host"
        }
        return "the upstream redirected (HTTP \(response.status.code)) to \(target); Frontier does not follow upstream redirects, "
            + "which would send the prompt and credentials elsewhere. Set base_url to the address that answers."
    }

    /// Reads a whole non-streamed body, within the total limit.
    /// Posts `body` and reads the whole answer as JSON: the exchange of every non-streamed completion.
    func exchangeJSON(url: String, headers: [(String, String)], body: [UInt8], timeouts: Timeouts) async throws(UpstreamError) -> (bytes: [UInt8], json: JSONValue) {
        let started = NIODeadline.now()
        let response = try await post(url: url, headers: headers, body: body, timeouts: timeouts, started: started)
        let bytes = try await collect(response, timeouts: timeouts, started: started)
        do {
            return (bytes, try JSONParser.parse(bytes))
        } catch {
            throw .malformed("body is not JSON: \(error.description)")
        }
    }

    /// `started` is when the request was sent: the total limit counts from there.
    func collect(_ response: HTTPClientResponse, timeouts: Timeouts, started: NIODeadline) async throws(UpstreamError) -> [UInt8] {
        try await collect(response, upTo: maxResponseBytes, timeouts: timeouts, started: started)
    }

    private func collect(_ response: HTTPClientResponse, upTo limit: Int, timeouts: Timeouts, started: NIODeadline) async throws(UpstreamError) -> [UInt8] {
        do {
            let buffer = try await withDeadline(
                started + .milliseconds(Int64(timeouts.totalMs)), on: eventLoop,
                phase: .total, milliseconds: timeouts.totalMs
            ) {
                try await response.body.collect(upTo: limit)
            }
            return Array(buffer: buffer)
        } catch {
            throw Self.map(error, timeouts: timeouts, phase: .total).redacted(limits.redactor)
        }
    }

    /// An event loop for timers.
    var eventLoop: any EventLoop { fallback.eventLoopGroup.any() }

    static func map(_ error: any Error, timeouts: Timeouts, phase: UpstreamError.TimeoutPhase) -> UpstreamError {
        if let upstream = error as? UpstreamError { return upstream }
        if error is CancellationError { return .cancelled }
        if let http = error as? HTTPClientError {
            switch http {
            case .connectTimeout: return .timeout(phase: .connect, milliseconds: timeouts.connectMs)
            case .deadlineExceeded:
                return .timeout(phase: phase, milliseconds: phase == .total ? timeouts.totalMs : min(timeouts.firstTokenMs, timeouts.totalMs))
            case .cancelled: return .cancelled
            case .remoteConnectionClosed, .readTimeout: return .interrupted(String(describing: http))
            default: break
            }
        }
        if error is NIOTooManyBytesError { return .malformed("response larger than the gateway accepts (gateway.limits.max_upstream_response_bytes)") }
        if Task.isCancelled { return .cancelled }
        let text = String(describing: error)
        if text.contains("connect") || text.contains("Connection refused") {
            return .connect(text)
        }
        return .interrupted(text)
    }

    /// Retry-After as delta-seconds (RFC 9110); nil for anything else. An upstream's
    /// header is data: `-1e300`, `inf` or a year's wait are not a delay to honour.
    static func retryAfterSeconds(_ value: String) -> Double? {
        guard let seconds = Double(value.trimmingCharacters(in: " ")), seconds.isFinite, seconds >= 0, seconds <= maximumRetryAfterSeconds else {
            return nil
        }
        return seconds
    }

    /// A day: any longer Retry-After is ignored (the model is skipped for that request either way).
    static let maximumRetryAfterSeconds = 86_400.0

    /// The upstream's own error message where its body has one (OpenAI and Anthropic both nest it under "error").
    static func errorMessage(fromBody text: String, status: HTTPResponseStatus) -> String {
        if let json = try? JSONParser.parse(text), let message = json["error"]?["message"]?.stringValue ?? json["error"]?.stringValue ?? json["message"]?.stringValue {
            return message
        }
        let trimmed = text.prefix(300)
        return trimmed.isEmpty ? status.reasonPhrase : String(trimmed)
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Character) -> Substring {
        var s = Substring(self)
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return s
    }
}
