/// When a request's ledger record must be committed.
public enum LedgerDurability: String, Sendable, Hashable, CaseIterable {
    /// Before the response is released (regulated routes).
    case strict
    /// Within the flush interval after it; a crash loses at most that much.
    case batched
}
