import FrontierCore
import Synchronization

/// One call's reservation on a key's budget, settled exactly once: with the
/// call's usage when it answered, with nothing when it failed before costing
/// anything. A hold dropped unsettled (a path that lost track of it) is
/// charged its whole reservation: unknown cost is never taken as free.
final class BudgetHold: Sendable {
    let account: BudgetAccount
    let reserved: Int64
    let price: Price
    private let open = Atomic<Bool>(true)

    init(account: BudgetAccount, reserved: Int64, price: Price) {
        self.account = account
        self.reserved = reserved
        self.price = price
    }

    /// The call cost what `usage` says (nil: nothing, it failed before the upstream did any work).
    func settle(_ usage: Usage?) {
        guard open.exchange(false, ordering: .acquiringAndReleasing) else { return }
        account.settle(reservation: reserved, actual: usage.map { Nanodollars.up(price.cost(of: $0)) } ?? 0)
    }

    deinit {
        if open.load(ordering: .acquiring) { account.settle(reservation: reserved, actual: reserved) }
    }
}
