@testable import FrontierGateway
import NIOCore
import Testing

/// The connection guard's rules, without sockets: time is passed in.
@Suite struct ConnectionGuardStateMachineTests {
    let settings = ConnectionGuardStateMachine.Settings(headerTimeout: .seconds(10), bodyTimeout: .seconds(30), idleTimeout: .seconds(60))
    func at(_ seconds: Int64) -> NIODeadline { .uptimeNanoseconds(1_000_000_000_000 + UInt64(seconds) * 1_000_000_000) }

    @Test func aConnectionMustSendItsHeadWithinTheHeaderTimeout() {
        var machine = ConnectionGuardStateMachine(settings: settings, overCapacity: false)
        let opened = machine.opened(now: at(0))
        #expect(opened.timer == .set(at(10)))
        let early = machine.timerFired(now: at(9), deadline: at(10))
        #expect(!early)
        let due = machine.timerFired(now: at(10), deadline: at(10))
        #expect(due)
        #expect(machine.phase == .closed)
    }

    @Test func theBodyTimeoutRunsFromTheHeadAndIsNotExtendedByTricklingBytes() {
        var machine = ConnectionGuardStateMachine(settings: settings, overCapacity: false)
        _ = machine.opened(now: at(0))
        let head = machine.head(now: at(1), admitted: true, holdsSlot: true)
        #expect(head == .init(action: .forward, timer: .set(at(31))))
        for _ in 0..<100 { #expect(machine.body() == .init(action: .forward, timer: .unchanged)) }
        let due = machine.timerFired(now: at(31), deadline: at(31))
        #expect(due)
        let released = machine.closed()
        #expect(released == 1)  // the slot it held is given back
    }

    @Test func whileAnsweringThereIsNoTimeoutThenTheIdleTimeoutRuns() {
        var machine = ConnectionGuardStateMachine(settings: settings, overCapacity: false)
        _ = machine.opened(now: at(0))
        _ = machine.head(now: at(1), admitted: true, holdsSlot: true)
        let end = machine.end()
        #expect(end == .init(action: .forward, timer: .cancel))
        // A timer that fires late (its cancel raced it) closes nothing while a response is being written.
        let late = machine.timerFired(now: at(100), deadline: at(31))
        #expect(!late)
        let ended = machine.responseEnded(now: at(200))
        #expect(ended.releaseSlot && ended.timer == .set(at(260)))
        let idle = machine.timerFired(now: at(260), deadline: at(260))
        #expect(idle)
    }

    @Test func aRequestWithoutASlotIsAnswered503AfterItsBody() {
        var machine = ConnectionGuardStateMachine(settings: settings, overCapacity: false)
        _ = machine.opened(now: at(0))
        let head = machine.head(now: at(1), admitted: false, holdsSlot: false)
        #expect(head.action == .drop)
        #expect(machine.body().action == .drop)
        let end = machine.end()
        #expect(end.action == .reject)
        let released = machine.closed()
        #expect(released == 0)
    }

    @Test func everyRequestOnAConnectionOverCapacityIsRejected() {
        var machine = ConnectionGuardStateMachine(settings: settings, overCapacity: true)
        _ = machine.opened(now: at(0))
        let head = machine.head(now: at(1), admitted: true, holdsSlot: false)
        #expect(head.action == .drop)
        let end = machine.end()
        #expect(end.action == .reject)
    }

    @Test func pipelinedRequestsReleaseTheirSlotsInOrderAndARejectionNeverCutsIntoAResponse() {
        var machine = ConnectionGuardStateMachine(settings: settings, overCapacity: false)
        _ = machine.opened(now: at(0))
        _ = machine.head(now: at(1), admitted: true, holdsSlot: true)
        _ = machine.end()
        _ = machine.head(now: at(2), admitted: true, holdsSlot: false)  // exempt: /healthz
        _ = machine.end()
        #expect(machine.requestsInFlight == 2)
        let first = machine.responseEnded(now: at(3))
        #expect(first.releaseSlot && first.timer == .unchanged)
        let second = machine.responseEnded(now: at(3))
        #expect(!second.releaseSlot && second.timer == .set(at(63)))
        // Over the limit while an earlier response is still going: close rather than interleave a 503.
        _ = machine.head(now: at(4), admitted: true, holdsSlot: true)
        _ = machine.end()
        _ = machine.head(now: at(5), admitted: false, holdsSlot: false)
        let end = machine.end()
        #expect(end.action == .close)
        let released = machine.closed()
        #expect(released == 1)
    }
}
