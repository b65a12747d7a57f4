import FrontierCore
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// The I/O shell around ``ConnectionGuardStateMachine``: one per client
/// connection, placed after Hummingbird's HTTP decoding. It keeps the
/// connection's one timer, counts the connection and its requests against
/// ``GatewayLoad``, and writes the 503 for a request over a limit.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Paths served however loaded the gateway is: cheap, and what operators look at under load.
    static let exemptPaths: Set<String> = ["/healthz", "/metrics"]

    private let load: GatewayLoad
    private let retryAfterSeconds: Int
    private let sendBufferBytes: Int
    private var state: ConnectionGuardStateMachine
    private var timer: Scheduled<Void>?
    private var deadline: NIODeadline?
    private var holdsConnection = false
    private var isRemoved = false

    init(load: GatewayLoad, settings: ConnectionGuardStateMachine.Settings, retryAfterSeconds: Int, sendBufferBytes: Int) {
        self.load = load
        self.retryAfterSeconds = retryAfterSeconds
        self.sendBufferBytes = sendBufferBytes
        holdsConnection = load.openConnection()
        state = ConnectionGuardStateMachine(settings: settings, overCapacity: !holdsConnection)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if sendBufferBytes > 0 {
            // Bounds what a slow reader makes the kernel hold for it (and the relay burst to fill it).
            _ = context.channel.setOption(ChannelOptions.socketOption(.so_sndbuf), value: SocketOptionValue(sendBufferBytes))
        }
        apply(state.opened(now: .now()).timer, context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        release()
    }

    func channelInactive(context: ChannelHandlerContext) {
        release()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        let transition: ConnectionGuardStateMachine.Transition
        switch part {
        case .head(let head):
            let exempt = head.path.map { Self.exemptPaths.contains(String($0.prefix { $0 != "?" })) } ?? false
            let slot = !exempt && !state.overCapacity && load.startRequest()
            transition = state.head(now: .now(), admitted: exempt || slot, holdsSlot: slot)
        case .body:
            transition = state.body()
        case .end:
            transition = state.end()
        }
        apply(transition.timer, context: context)
        switch transition.action {
        case .forward: context.fireChannelRead(data)
        case .drop: break
        case .reject: reject(context: context)
        case .close: context.close(promise: nil)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            let (release, timer) = state.responseEnded(now: .now())
            if release { load.endRequests() }
            apply(timer, context: context)
        }
        context.write(data, promise: promise)
    }

    private func reject(context: ChannelHandlerContext) {
        let message = state.overCapacity
            ? "The gateway is at its limit of \(load.maxConnections) open connections (gateway.limits.max_connections). Retry after \(retryAfterSeconds) s."
            : "The gateway is at its limit of \(load.maxRequests) requests in flight (gateway.limits.max_concurrent_requests). Retry after \(retryAfterSeconds) s."
        let body = APIError.overloaded(message).json.serialized()
        var head = HTTPResponse(status: .serviceUnavailable)
        head.headerFields[.contentType] = "application/json"
        head.headerFields[.retryAfter] = String(retryAfterSeconds)
        head.headerFields[.connection] = "close"
        head.headerFields[.contentLength] = String(body.count)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(ByteBuffer(bytes: body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    private func apply(_ change: ConnectionGuardStateMachine.Timer, context: ChannelHandlerContext) {
        switch change {
        case .unchanged:
            return
        case .cancel:
            timer?.cancel()
            timer = nil
            deadline = nil
        case .set(let at):
            timer?.cancel()
            deadline = at
            timer = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(deadline: at) { [self] in
                timer = nil
                if state.timerFired(now: .now(), deadline: at) { context.close(promise: nil) }
            }
        }
    }

    private func release() {
        guard !isRemoved else { return }
        isRemoved = true
        timer?.cancel()
        timer = nil
        load.endRequests(state.closed())
        if holdsConnection { load.closeConnection() }
    }
}
