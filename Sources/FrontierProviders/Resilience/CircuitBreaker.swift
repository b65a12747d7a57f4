public import FrontierCore

/// One upstream's circuit breaker as a plain state machine: events in
/// (a call wants to start, a call ended), decisions out, time injected.
///
/// - closed: calls pass. It opens after `consecutiveFailures` failures in a
///   row, or when at least `minimumCalls` of the last `window` calls ended
///   and the failure share reaches `errorRate`.
/// - open: calls are refused until `openMs` have passed.
/// - half-open: up to `halfOpenProbes` probe calls pass at once; that many
///   successes close it, one failure opens it again.
///
/// Every admitted call must end in ``record(_:now:)``: `.success`, `.failure`,
/// or `.neutral` for a call whose outcome says nothing about the upstream (the
/// client went away, the request itself was rejected). A neutral end frees its
/// probe slot; and a probe outstanding for longer than `openMs` is presumed
/// lost, so no sequence of events can leave the breaker refusing for good.
///
/// ```swift
/// var breaker = CircuitBreaker(settings: .init())
/// if case .allow = breaker.admit(now: now) { ...call...; breaker.record(.success, now: now) }
/// ```
public struct CircuitBreaker: Sendable {
    public enum State: Sendable, Equatable {
        case closed
        case open(until: ContinuousClock.Instant)
        case halfOpen(inFlight: Int, successes: Int)
    }

    public enum Admission: Sendable, Equatable {
        case allow
        /// A half-open probe: its outcome decides whether the breaker closes.
        case probe
        case reject(retryAt: ContinuousClock.Instant)
    }

    /// How an admitted call ended, for the breaker.
    public enum Outcome: Sendable, Equatable {
        case success
        case failure
        /// Says nothing about the upstream's health; only frees the call's probe slot.
        case neutral
    }

    public let settings: ResilienceSettings.Breaker
    public private(set) var state: State = .closed
    /// When the newest half-open probe was let through.
    private var probeAdmittedAt: ContinuousClock.Instant?
    private var consecutiveFailures = 0
    /// The outcomes of the last `window` calls, oldest first (true = failure).
    private var recent: [Bool] = []

    public init(settings: ResilienceSettings.Breaker) {
        self.settings = settings
    }

    public mutating func admit(now: ContinuousClock.Instant) -> Admission {
        switch state {
        case .closed:
            return .allow
        case .open(let until):
            guard now >= until else { return .reject(retryAt: until) }
            state = .halfOpen(inFlight: 1, successes: 0)
            probeAdmittedAt = now
            return .probe
        case .halfOpen(let inFlight, let successes):
            let probesLost = probeAdmittedAt.map { now >= $0 + .milliseconds(settings.openMs) } ?? true
            guard inFlight < settings.halfOpenProbes || probesLost else {
                return .reject(retryAt: (probeAdmittedAt ?? now) + .milliseconds(settings.openMs))
            }
            // A lost probe's slot goes to this one.
            state = .halfOpen(inFlight: min(inFlight + 1, settings.halfOpenProbes), successes: successes)
            probeAdmittedAt = now
            return .probe
        }
    }

    public mutating func record(success: Bool, now: ContinuousClock.Instant) {
        record(success ? .success : .failure, now: now)
    }

    public mutating func record(_ outcome: Outcome, now: ContinuousClock.Instant) {
        if outcome == .neutral {
            if case .halfOpen(let inFlight, let successes) = state { state = .halfOpen(inFlight: max(0, inFlight - 1), successes: successes) }
            return
        }
        let success = outcome == .success
        switch state {
        case .closed:
            consecutiveFailures = success ? 0 : consecutiveFailures + 1
            recent.append(!success)
            if recent.count > settings.window { recent.removeFirst(recent.count - settings.window) }
            let failures = recent.filter { $0 }.count
            let rateTripped = recent.count >= settings.minimumCalls && Double(failures) / Double(recent.count) >= settings.errorRate
            if consecutiveFailures >= settings.consecutiveFailures || rateTripped { trip(now) }
        case .open:
            break  // a call admitted before the breaker opened; its outcome changes nothing
        case .halfOpen(let inFlight, let successes):
            guard success else { return trip(now) }
            let done = successes + 1
            if done >= settings.halfOpenProbes {
                state = .closed
                probeAdmittedAt = nil
                consecutiveFailures = 0
                recent.removeAll()
            } else {
                state = .halfOpen(inFlight: max(0, inFlight - 1), successes: done)
            }
        }
    }

    private mutating func trip(_ now: ContinuousClock.Instant) {
        state = .open(until: now + .milliseconds(settings.openMs))
        probeAdmittedAt = nil
        consecutiveFailures = 0
        recent.removeAll()
    }

    public var isOpen: Bool {
        if case .open = state { return true }
        return false
    }
}
