/// What a catalog model is expected to report it is (`models[].expect_identity`) and what a different answer does
/// (`models[].on_identity_change`).
public struct IdentityExpectation: Sendable, Hashable {
    public enum Action: String, Sendable, Hashable, CaseIterable {
        /// A pinned model that answers as another is a failed attempt; the request moves to the next candidate.
        case fail
        /// The answer is served; the change is recorded (ledger, log, metric) and the model watched.
        case watch
    }

    /// The model name or fingerprint the upstream must report; nil: any, changes are only watched.
    public var pinned: String?
    public var onChange: Action

    public init(pinned: String? = nil, onChange: Action? = nil) {
        self.pinned = pinned
        // A pin exists to be enforced: it fails over unless told to watch.
        self.onChange = onChange ?? (pinned == nil ? .watch : .fail)
    }
}
