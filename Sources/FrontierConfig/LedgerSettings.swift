public import FrontierCore

/// The `storage:` and `ledger:` sections: where the audit ledger lives and how it commits.
public struct LedgerSettings: Sendable, Equatable {
    public enum Backend: Sendable, Equatable {
        /// A file path, resolved beside the config.
        case sqlite(path: String)
        /// A `postgres://user:password@host:port/database` URL.
        case postgres(url: String)
    }

    /// Nil when the config has no `storage:`: no ledger.
    public var backend: Backend?
    public var durability: LedgerDurability = .batched
    public var flushMs = 50
    public var maxPending = 10_000
    public var checkpointEvery = 1_000
    /// Keep prompts and responses, encrypted with the key in `bodyKeyEnv`.
    public var storeBodies = false
    /// The environment variable with the ledger's HMAC key (prompt HMACs, checkpoints).
    public var keyEnv = "FRONTIER_LEDGER_KEY"
    public var bodyKeyEnv = "FRONTIER_LEDGER_BODY_KEY"
    /// The general model `frontier report` prices the counterfactual with.
    public var referenceModel: String?
    /// `implicit_feedback`: scores inferred from what clients did (retries, cut streams, malformed tool calls, refusals).
    public var implicitFeedback = ImplicitFeedbackSettings()

    public init() {}
}
