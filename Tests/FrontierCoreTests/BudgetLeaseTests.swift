import FrontierCore
import Testing

@Suite struct BudgetLeaseTests {
    @Test func reservesOnlyWhatTheSliceHoldsAndSettlesTheRealCost() {
        var lease = BudgetLease()
        let r1 = lease.reserve(10, nowMs: 0)
        #expect(!r1)
        #expect(lease.shortfall(for: 10) == 10)
        lease.granted(50, storeFree: 950)
        let r2 = lease.reserve(30, nowMs: 1)
        #expect(r2)
        let r3 = lease.reserve(30, nowMs: 2)
        #expect(!r3)
        #expect(lease.available == 20 && lease.remaining == 970)
        lease.settle(reservation: 30, actual: 12)
        #expect(lease.available == 38 && lease.unflushed == 12 && lease.reserved == 0)
        // Busy: keep a chunk; the spent part of the lease goes back as spent.
        let written = lease.flush(keep: 100)
        #expect(written?.spent == 12 && written?.released == 12)
        #expect(lease.leased == 38 && lease.available == 38)
        // Idle: the free slice goes back too.
        #expect(lease.flush(keep: 0)?.released == 38)
        #expect(lease.isEmpty && lease.flush(keep: 0) == nil)
    }

    @Test func theLeaseBehindReservationsStaysWhenSpendingIsWritten() {
        var lease = BudgetLease()
        lease.granted(100, storeFree: 0)
        let r4 = lease.reserve(60, nowMs: 0)
        let r4b = lease.reserve(40, nowMs: 0)
        #expect(r4 && r4b)
        lease.settle(reservation: 40, actual: 40)
        let written = lease.flush(keep: 0)
        #expect(written?.spent == 40 && written?.released == 40)
        #expect(lease.leased == 60 && lease.reserved == 60 && lease.available == 0)
    }

    @Test func anOverrunIsRecordedInFullWithNoLeaseBehindIt() {
        var lease = BudgetLease()
        lease.granted(10, storeFree: 0)
        let r5 = lease.reserve(10, nowMs: 0)
        #expect(r5)
        lease.settle(reservation: 10, actual: 25)
        #expect(lease.overrun == 15 && lease.available == 0)
        let written = lease.flush(keep: 0)
        #expect(written?.spent == 25 && written?.released == 10)
        #expect(lease.leased == 0)
    }

    @Test func aFailedWriteIsKeptForTheNextFlush() {
        var lease = BudgetLease()
        lease.granted(10, storeFree: 0)
        let r6 = lease.reserve(10, nowMs: 0)
        #expect(r6)
        lease.settle(reservation: 10, actual: 7)
        let written = lease.flush(keep: 0)
        lease.unflush(spent: written?.spent ?? 0, released: written?.released ?? 0)
        #expect(lease.unflushed == 7 && lease.leased == 10 && lease.available == 3)
    }

    /// The bound, as a property: instances that lease from one store (granting only while
    /// spent + leased ≤ budget), reserve before each call and settle at most the reservation,
    /// in any interleaving, never spend past the budget; and when all is settled and written,
    /// the store's spent is exactly what was spent.
    @Test func manyInstancesNeverSpendPastTheBudget() {
        var rng = SeededGenerator(seed: 42)
        for _ in 0..<200 {
            let budget = Int64.random(in: 1_000...100_000, using: &rng)
            var storeSpent: Int64 = 0, storeLeased: Int64 = 0
            var instances = Array(repeating: BudgetLease(), count: Int.random(in: 1...4, using: &rng))
            var inFlight: [(instance: Int, reserved: Int64)] = []
            var spent: Int64 = 0
            for step in 0..<500 {
                let n = Int.random(in: 0..<instances.count, using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0, 1:
                    let amount = Int64.random(in: 1...(budget / 10), using: &rng)
                    if !instances[n].reserve(amount, nowMs: Int64(step)) {
                        let ask = max(instances[n].shortfall(for: amount), budget / 20)
                        let granted = min(ask, max(0, budget - storeSpent - storeLeased))
                        storeLeased += granted
                        instances[n].granted(granted, storeFree: budget - storeSpent - storeLeased)
                        guard instances[n].reserve(amount, nowMs: Int64(step)) else { continue }
                    }
                    inFlight.append((n, amount))
                case 2:
                    guard !inFlight.isEmpty else { continue }
                    let call = inFlight.remove(at: Int.random(in: 0..<inFlight.count, using: &rng))
                    let actual = Int64.random(in: 0...call.reserved, using: &rng)
                    instances[call.instance].settle(reservation: call.reserved, actual: actual)
                    spent += actual
                default:
                    if let written = instances[n].flush(keep: Bool.random(using: &rng) ? 0 : budget / 20) {
                        storeSpent += written.spent
                        storeLeased -= written.released
                    }
                }
                #expect(spent <= budget)
                #expect(storeSpent + storeLeased <= budget)
                for lease in instances { #expect(lease.reserved + lease.unflushed <= lease.leased) }
            }
            for call in inFlight { instances[call.instance].settle(reservation: call.reserved, actual: call.reserved); spent += call.reserved }
            for n in instances.indices {
                if let written = instances[n].flush(keep: 0) {
                    storeSpent += written.spent
                    storeLeased -= written.released
                }
            }
            #expect(storeSpent == spent && storeLeased == 0 && spent <= budget)
        }
    }
}
