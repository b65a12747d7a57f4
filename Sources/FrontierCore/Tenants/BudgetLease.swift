/// One instance's slice of a key's budget for one period, and what its
/// requests in flight hold of it. Plain arithmetic, no I/O: the owner asks the
/// store for lease (``shortfall(for:)``), reports what it was granted
/// (``granted(_:storeFree:)``), and writes back what ``flush(nowMs:keep:)`` returns.
///
/// Why no budget is overspent, across any number of instances: the store
/// grants lease only while `spent + leased ≤ budget` (atomically), and an
/// instance reserves only out of its own lease (`reserved + unflushed ≤ leased`),
/// each call's worst case before it is sent. Spending is settled out of the
/// call's reservation, so the total spent is at most the total leased, which
/// is at most the budget — as long as each call costs no more than its worst
/// case (``WorstCase``). A call that cost more is still recorded in full (an
/// overrun), and nothing is reserved against the excess.
public struct BudgetLease: Sendable, Equatable {
    /// Granted by the store and not yet written back, in nanodollars.
    public private(set) var leased: Int64 = 0
    /// Held by calls in flight.
    public private(set) var reserved: Int64 = 0
    /// Spent by finished calls and not yet written to the store.
    public private(set) var unflushed: Int64 = 0
    /// What the store had left for every instance after the last lease: budget − spent − leased.
    public private(set) var storeFree: Int64?
    /// When a reservation was last asked for: an idle slice goes back to the store.
    public private(set) var lastDemandMs: Int64 = 0
    /// Spending past reservations, for the log and the metrics.
    public private(set) var overrun: Int64 = 0

    public init() {}

    /// What new reservations may take now.
    public var available: Int64 { max(0, leased - reserved - unflushed) }

    /// What the key has left, as this instance knows it: its own slice plus the store's last word.
    public var remaining: Int64 { available.addingReportingOverflow(storeFree ?? 0).partialValue }

    /// Takes `amount` out of the slice for a call, if the slice holds it.
    public mutating func reserve(_ amount: Int64, nowMs: Int64) -> Bool {
        lastDemandMs = max(lastDemandMs, nowMs)
        guard amount <= available else { return false }
        reserved += amount
        return true
    }

    /// The lease to ask the store for so that `amount` fits: zero if it already does.
    public func shortfall(for amount: Int64) -> Int64 {
        max(0, amount - available)
    }

    /// The store granted `amount` more, and has `storeFree` left.
    public mutating func granted(_ amount: Int64, storeFree: Int64) {
        leased += max(0, amount)
        self.storeFree = max(0, storeFree)
    }

    /// A call holding `reservation` ended having cost `actual`: the reservation is let go, the cost recorded.
    public mutating func settle(reservation: Int64, actual: Int64) {
        reserved = max(0, reserved - reservation)
        let actual = max(0, actual)
        if actual > reservation { overrun += actual - reservation }
        unflushed = min(Nanodollars.maximum, unflushed + actual)
    }

    /// What to write to the store: the spending to record, and the lease given back (the part the spending
    /// used, and whatever of the free slice is over `keep`). Applied here at once; nil when there is nothing to write.
    /// - Parameter keep: the free slice to hold on to (0 gives it all back, as at shutdown or when idle).
    public mutating func flush(keep: Int64) -> (spent: Int64, released: Int64)? {
        let spent = unflushed
        // The lease behind reservations stays; an overrun's spending has no lease behind it.
        let consumed = min(spent, max(0, leased - reserved))
        leased -= consumed
        unflushed = 0
        let returned = max(0, available - max(0, keep))
        leased -= returned
        guard spent > 0 || consumed + returned > 0 else { return nil }
        if let free = storeFree { storeFree = free + returned }
        return (spent, consumed + returned)
    }

    /// The write of a ``flush(keep:)`` failed: its spending is unwritten again, and its lease still held.
    public mutating func unflush(spent: Int64, released: Int64) {
        unflushed = min(Nanodollars.maximum, unflushed + spent)
        leased += released
    }

    /// Nothing in flight, nothing unwritten, no lease held: the slice can be forgotten.
    public var isEmpty: Bool { leased == 0 && reserved == 0 && unflushed == 0 }
}
