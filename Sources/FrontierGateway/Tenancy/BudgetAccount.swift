import FrontierCore
import FrontierLedger
import Logging
import Synchronization

/// One key's budget for one period on this instance: its ``BudgetLease``
/// under a lock, and the one lease request to the store at a time that the
/// calls short of slice wait on together.
///
/// The hot path is the lock: a call that fits the slice reserves in memory.
/// Only a call that does not fit waits for the store, and every call that
/// arrives meanwhile joins the same request (it asks for all of them at once).
final class BudgetAccount: Sendable {
    let keyID: String
    let periodStartMs: Int64
    private let store: any KeyStore
    private let instance: String
    private let logger: Logger
    private let budget: Atomic<Int64>

    private struct Waiter {
        var amount: Int64
        var continuation: CheckedContinuation<Reservation, Never>
    }

    private struct State {
        var lease = BudgetLease()
        var waiters: [Waiter] = []
        var leasing = false
        /// Forgotten by ``BudgetAccounts``: a call that still holds it looks the account up again.
        var retired = false
    }

    private let state = Mutex(State())

    enum Reservation: Sendable, Equatable {
        case reserved
        /// What the key has left (as far as this instance can tell), short of the amount asked.
        case insufficient(remaining: Int64)
        case storeUnavailable
        /// This account was forgotten; the current one is to be asked.
        case retired
    }

    init(keyID: String, periodStartMs: Int64, budget: Int64, store: any KeyStore, instance: String, logger: Logger) {
        self.keyID = keyID
        self.periodStartMs = periodStartMs
        self.budget = Atomic(budget)
        self.store = store
        self.instance = instance
        self.logger = logger
    }

    /// The budget as the key now says (an admin may change it).
    func update(budget: Int64) {
        self.budget.store(budget, ordering: .relaxed)
    }

    /// The slice a lease asks for beyond what is needed: a twentieth of the budget, so a
    /// run of calls costs a store round trip every twenty-odd calls at most.
    var chunk: Int64 { max(1, budget.load(ordering: .relaxed) / 20) }

    var snapshot: BudgetLease { state.withLock { $0.lease } }

    /// What the key has left as this instance knows it: its slice plus the store's last word.
    var remaining: Int64 {
        let lease = snapshot
        return lease.storeFree == nil ? max(0, budget.load(ordering: .relaxed) - lease.reserved - lease.unflushed) : lease.remaining
    }

    /// Holds `amount` for a call: from the slice at once, or after the store leased more.
    func reserve(_ amount: Int64, nowMs: Int64) async -> Reservation {
        switch state.withLock({ s -> Bool? in s.retired ? nil : s.lease.reserve(amount, nowMs: nowMs) }) {
        case true?: return .reserved
        case nil: return .retired
        case false?: break
        }
        if amount > budget.load(ordering: .relaxed) { return .insufficient(remaining: remaining) }
        return await withCheckedContinuation { continuation in
            let start = state.withLock { s -> Bool in
                if s.retired {
                    continuation.resume(returning: .retired)
                    return false
                }
                // The slice may have grown since the first look.
                if s.lease.reserve(amount, nowMs: nowMs) {
                    continuation.resume(returning: .reserved)
                    return false
                }
                s.waiters.append(Waiter(amount: amount, continuation: continuation))
                guard !s.leasing else { return false }
                s.leasing = true
                return true
            }
            if start { Task { await self.leaseForWaiters(nowMs: nowMs) } }
        }
    }

    /// A call holding `reservation` ended, having cost `actual`.
    func settle(reservation: Int64, actual: Int64) {
        state.withLock { $0.lease.settle(reservation: reservation, actual: actual) }
    }

    /// Asks the store for what the waiting calls need, until they are all served or the budget is out.
    private func leaseForWaiters(nowMs: Int64) async {
        while true {
            let ask = state.withLock { s -> Int64 in
                let demand = s.waiters.reduce(Int64(0)) { $0 + $1.amount }
                return max(s.lease.shortfall(for: demand), chunk)
            }
            let result: (granted: Int64, free: Int64)?
            do {
                result = try await store.lease(key: keyID, periodStartMs: periodStartMs, budget: budget.load(ordering: .relaxed), amount: ask, instance: instance)
            } catch {
                logger.error("budget lease failed", metadata: ["key": "\(keyID)", "error": "\(SecretRedactor().redact(String(describing: error)))"])
                result = nil
            }
            let done = state.withLock { s -> Bool in
                if let result { s.lease.granted(result.granted, storeFree: result.free) }
                var waiting: [Waiter] = []
                for waiter in s.waiters {
                    if s.lease.reserve(waiter.amount, nowMs: nowMs) {
                        waiter.continuation.resume(returning: .reserved)
                    } else {
                        waiting.append(waiter)
                    }
                }
                // The store gave less than asked: what is left cannot serve the rest.
                let exhausted = result.map { $0.granted < ask } ?? true
                if waiting.isEmpty || exhausted {
                    let answer: Reservation = result == nil ? .storeUnavailable : .insufficient(remaining: s.lease.remaining)
                    for waiter in waiting { waiter.continuation.resume(returning: answer) }
                    s.waiters = []
                    s.leasing = false
                    return true
                }
                s.waiters = waiting
                return false
            }
            if done { return }
        }
    }

    /// Writes unwritten spending to the store, and gives back the free slice over what it keeps:
    /// all of it once no call has asked for a while (or at shutdown), else one chunk.
    func flush(nowMs: Int64, idleMs: Int64, final: Bool) async {
        let pending = state.withLock { s -> (spent: Int64, released: Int64)? in
            let idle = final || nowMs - s.lease.lastDemandMs >= idleMs
            return s.lease.flush(keep: idle ? 0 : chunk)
        }
        guard let pending else { return }
        do {
            try await store.settle(key: keyID, periodStartMs: periodStartMs, spent: pending.spent, released: pending.released, instance: instance)
        } catch {
            state.withLock { $0.lease.unflush(spent: pending.spent, released: pending.released) }
            logger.error("budget settle failed; kept for the next flush", metadata: ["key": "\(keyID)", "error": "\(SecretRedactor().redact(String(describing: error)))"])
        }
    }

    /// Retires the account if it holds nothing and no call asked of it for `idleMs`; once retired it takes no reservation.
    func retireIfIdle(nowMs: Int64, idleMs: Int64) -> Bool {
        state.withLock { s in
            guard !s.retired, s.lease.isEmpty, s.waiters.isEmpty, nowMs - s.lease.lastDemandMs >= idleMs else { return s.retired }
            s.retired = true
            return true
        }
    }
}
