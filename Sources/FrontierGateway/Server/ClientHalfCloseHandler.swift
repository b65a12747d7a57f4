import NIOCore

/// Closes a connection whose client shut its sending side.
///
/// Hummingbird allows remote half-closure, so a client that hangs up while
/// its request is in flight leaves the channel active and nobody would know.
/// An LLM request can run for minutes: closing here fires the channel's close
/// future, which cancels the upstream call (see ``DisconnectWatcher``).
/// HTTP clients that half-close and still wait for the answer are rare; like
/// nginx's 499, the gateway treats them as gone.
final class ClientHalfCloseHandler: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
