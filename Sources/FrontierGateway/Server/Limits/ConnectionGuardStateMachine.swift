import NIOCore

/// What one client connection may hold of the gateway, as a plain state
/// machine: events in (opened, a request's head, body and end read, a
/// response ended, the timer fired, closed), what to do out. Time is passed
/// in, so it is tested without sockets.
///
/// - Until the first request's head is in: the header timeout; between
///   requests of a kept-alive connection: the idle timeout.
/// - From a head until its body's end: the body timeout, however slowly the
///   bytes trickle in (a body part does not extend it).
/// - While a response is being written: no limit here (the upstream's
///   timeouts bound it).
/// - A request over the limit of requests in flight, or any request on a
///   connection over the connection limit, is answered 503 once its end is
///   read, and the connection closed (without the 503 if an earlier
///   pipelined response is still being written).
struct ConnectionGuardStateMachine {
    struct Settings: Equatable {
        var headerTimeout: TimeAmount
        var bodyTimeout: TimeAmount
        var idleTimeout: TimeAmount
    }

    enum Phase: Equatable {
        /// No request is being read; `first` until the first request's head.
        case waitingForHead(first: Bool)
        case readingBody
        /// Reading a request that will be answered 503.
        case rejecting
        case closed
    }

    /// What the handler does with the part just read.
    enum Action: Equatable {
        case forward
        /// Swallow it: the request is being rejected, or the connection is closing.
        case drop
        /// Write the 503 and close the connection.
        case reject
        /// Close without a response: an earlier request's response is still being
        /// written, and a 503 now would cut into it (a client pipelining while overloaded).
        case close
    }

    /// What becomes of the connection's one timer.
    enum Timer: Equatable {
        case set(NIODeadline)
        case cancel
        case unchanged
    }

    struct Transition: Equatable {
        var action: Action = .forward
        var timer: Timer = .unchanged
    }

    let settings: Settings
    /// Over the connection limit: every request on it is rejected.
    let overCapacity: Bool
    private(set) var phase: Phase = .waitingForHead(first: true)
    /// For each request whose head was read and whose response has not ended: whether it holds a slot.
    private var pending: [Bool] = []
    private var answered = 0

    init(settings: Settings, overCapacity: Bool) {
        self.settings = settings
        self.overCapacity = overCapacity
    }

    /// Requests read whose responses have not ended.
    var requestsInFlight: Int { pending.count - answered }

    mutating func opened(now: NIODeadline) -> Transition {
        Transition(timer: .set(now + settings.headerTimeout))
    }

    /// A request's head. `admitted`: it got a slot among the requests in flight, or needs none;
    /// `holdsSlot`: it took one, to give back when its response ends.
    mutating func head(now: NIODeadline, admitted: Bool, holdsSlot: Bool) -> Transition {
        guard phase != .closed else { return Transition(action: .drop) }
        pending.append(holdsSlot)
        phase = admitted && !overCapacity ? .readingBody : .rejecting
        return Transition(action: phase == .rejecting ? .drop : .forward, timer: .set(now + settings.bodyTimeout))
    }

    func body() -> Transition {
        Transition(action: phase == .readingBody ? .forward : .drop)
    }

    mutating func end() -> Transition {
        switch phase {
        case .readingBody:
            phase = .waitingForHead(first: false)
            return Transition(timer: .cancel)  // being answered: the upstream's timeouts bound it
        case .rejecting:
            phase = .closed
            return Transition(action: requestsInFlight > 1 ? .close : .reject, timer: .cancel)
        case .waitingForHead, .closed:
            return Transition(action: .drop)
        }
    }

    /// A response's end was written: whether its request held a slot (to release), and the timer to have now.
    mutating func responseEnded(now: NIODeadline) -> (releaseSlot: Bool, timer: Timer) {
        guard answered < pending.count else { return (false, .unchanged) }
        let held = pending[answered]
        answered += 1
        if answered == pending.count {
            pending.removeAll(keepingCapacity: true)
            answered = 0
        }
        let idle = phase == .waitingForHead(first: false) && requestsInFlight == 0
        return (held, idle ? .set(now + settings.idleTimeout) : .unchanged)
    }

    /// The timer set for `deadline` fired: whether to close the connection (a client too slow to send).
    mutating func timerFired(now: NIODeadline, deadline: NIODeadline) -> Bool {
        guard now >= deadline else { return false }
        switch phase {
        case .waitingForHead:
            guard requestsInFlight == 0 else { return false }  // still answering: not idle
        case .readingBody, .rejecting:
            break
        case .closed:
            return false
        }
        phase = .closed
        return true
    }

    /// The connection closed: how many slots its unanswered requests held.
    mutating func closed() -> Int {
        phase = .closed
        let held = pending[answered...].filter { $0 }.count
        pending.removeAll()
        answered = 0
        return held
    }
}
