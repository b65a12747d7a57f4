import FrontierCore
import FrontierProviders
import FrontierRouting
import Synchronization

/// The caller's key for one request, and what the request holds of it: the
/// budget account its calls reserve against, and its rate-window ticket.
final class RequestTenant: Sendable {
    let key: APIKeyRecord
    private let budgets: BudgetAccounts
    private let account: Mutex<BudgetAccount?>
    private let rates: RateLimiter
    /// The client's body size: the prompt bound of calls that send the client's request.
    let bodyBytes: Int
    private let rateTicket: Int?
    private let nowMs: @Sendable () -> Int64

    init(key: APIKeyRecord, tenancy: Tenancy, bodyBytes: Int, rateTicket: Int?, nowMs: @escaping @Sendable () -> Int64 = { Tenancy.wallClockMs() }) {
        self.key = key
        self.budgets = tenancy.budgets
        self.rates = tenancy.rates
        self.account = Mutex(tenancy.budgets.account(for: key, nowMs: nowMs()))
        self.bodyBytes = bodyBytes
        self.rateTicket = rateTicket
        self.nowMs = nowMs
    }

    var hasBudget: Bool { account.withLock { $0 != nil } }

    /// The scope the planner applies: the key's policy, and its budget against each model's worst case for `chat`.
    func scope(for chat: ChatRequest) -> KeyScope {
        guard let account = account.withLock({ $0 }) else { return KeyScope(id: key.id, policy: key.policy) }
        let bytes = bodyBytes
        return KeyScope(
            id: key.id, policy: key.policy,
            budget: BudgetFilter(
                remainingUSD: Nanodollars.usd(account.remaining),
                worstCaseUSD: { model in WorstCase.costUSD(chat, bodyBytes: bytes, on: model) }))
    }

    /// Reserves the worst case of sending `chat` to `model`; returns the hold and the request to send
    /// (with `max_tokens` set to the bound when the client set none). Nil hold: the key has no budget.
    /// - Parameter bodyBytes: the size of what is sent when it is not the client's own request (a verifier's prompt).
    nonisolated(nonsending) func hold(_ chat: ChatRequest, on model: ModelEntry, bodyBytes: Int? = nil) async throws(UpstreamError) -> (BudgetHold?, ChatRequest) {
        guard hasBudget else { return (nil, chat) }
        var chat = chat
        if chat.maxTokens == nil {
            let cap = WorstCase.outputCap(chat, on: model)
            chat.maxTokens = cap
            chat.body["max_tokens"] = .int(Int64(cap))
        }
        let worst = Nanodollars.up(WorstCase.costUSD(chat, bodyBytes: bodyBytes ?? self.bodyBytes, on: model))
        while true {
            guard let account = account.withLock({ $0 }) else { return (nil, chat) }
            switch await account.reserve(worst, nowMs: nowMs()) {
            case .reserved:
                return (BudgetHold(account: account, reserved: worst, price: model.price), chat)
            case .insufficient(let remaining):
                throw .overBudget(
                    "the key's budget has $\(Exclusion.format(Nanodollars.usd(remaining))) left, and this call to \(model.id) may cost up to $\(Exclusion.format(Nanodollars.usd(worst)))")
            case .storeUnavailable:
                throw .unavailable("the budget store did not answer")
            case .retired:
                let fresh = budgets.account(for: key, nowMs: nowMs())
                self.account.withLock { $0 = fresh }
            }
        }
    }

    /// The request ended having used `tokens`: its rate-window entry is corrected to that.
    func finished(tokens: Int) {
        guard let rateTicket else { return }
        rates.correct(key: key.id, ticket: rateTicket, tokens: tokens)
    }
}
