public import FrontierCore

/// Why an upstream call failed, sorted by what the gateway should do about it.
public enum UpstreamError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No connection could be made (refused, DNS, TLS, connect timeout).
    case connect(String)
    /// A phase took longer than its configured limit.
    case timeout(phase: TimeoutPhase, milliseconds: Int)
    /// The upstream answered with a non-2xx status.
    case status(code: Int, retryAfterSeconds: Double?, message: String)
    /// The upstream answered 2xx with a body that is not what its protocol says.
    case malformed(String)
    /// The connection broke while the answer was being read.
    case interrupted(String)
    /// The client went away, so the gateway gave up the call.
    case cancelled
    /// Not called: its circuit breaker is open, or the deadline left no time for it.
    case unavailable(String)
    /// Not called: the caller's budget cannot cover the call's worst case (a cheaper model may fit).
    case overBudget(String)
    /// It answered as another model than the catalog pins (`expect_identity`, `on_identity_change: fail`).
    /// `reported` is the upstream's identity, already bounded to printable ASCII; nil when it named none.
    case identity(expected: String, reported: String?)

    public enum TimeoutPhase: String, Sendable {
        case connect, firstToken = "first-token", total
    }

    /// Whether the next model of the candidate list should get the request.
    /// A 400/413/422 is the client's own request being wrong: another model would refuse it too.
    public var movesToNextModel: Bool {
        switch self {
        case .connect, .timeout, .malformed, .interrupted, .unavailable, .overBudget, .identity: return true
        case .status(let code, _, _): return ![400, 413, 422].contains(code)
        case .cancelled: return false
        }
    }

    /// Whether the failure is the upstream's, for its circuit breaker (a rejected request or a gone client is not).
    public var countsAgainstUpstream: Bool {
        switch self {
        // A model serving another identity keeps doing so: its breaker spares the next requests the call.
        case .connect, .timeout, .malformed, .interrupted, .identity: return true
        case .status(let code, _, _): return code == 429 || code >= 500
        case .cancelled, .unavailable, .overBudget: return false
        }
    }

    public var description: String {
        switch self {
        case .connect(let detail): return "could not connect (\(detail))"
        case .timeout(let phase, let ms): return "\(phase.rawValue) timeout after \(ms) ms"
        case .status(let code, let retryAfter, let message):
            let retry = retryAfter.map { ", retry after \(Self.format($0)) s" } ?? ""
            return "HTTP \(code)\(retry): \(message)"
        case .malformed(let detail): return "malformed response (\(detail))"
        case .interrupted(let detail): return "connection broke mid-response (\(detail))"
        case .cancelled: return "cancelled: the client disconnected"
        case .unavailable(let why): return "not called: \(why)"
        case .overBudget(let why): return "not called: \(why)"
        case .identity(let expected, let reported):
            return "answered as \(reported ?? "an unnamed model"), not the pinned identity \(expected) (expect_identity)"
        }
    }

    /// The error in the gateway's own words, without any text the upstream sent (which can echo
    /// the prompt): what the ledger keeps in plain text.
    public var summary: String {
        switch self {
        case .connect: return "could not connect"
        case .timeout: return description
        case .status(let code, _, _): return "HTTP \(code)"
        case .malformed: return "malformed response"
        case .interrupted: return "connection broke mid-response"
        case .cancelled: return description
        case .unavailable(let why), .overBudget(let why): return "not called: \(why)"
        case .identity: return description
        }
    }

    /// A low-cardinality name for metrics and spans (`error.type`): the HTTP status, or what failed.
    public var kind: String {
        switch self {
        case .connect: "connect"
        case .timeout: "timeout"
        case .status(let code, _, _): String(code)
        case .malformed: "malformed"
        case .interrupted: "interrupted"
        case .cancelled: "cancelled"
        case .unavailable: "unavailable"
        case .overBudget: "over_budget"
        case .identity: "identity"
        }
    }

    /// The same error with its text passed through `redactor` (upstream messages can quote keys).
    public func redacted(_ redactor: SecretRedactor) -> UpstreamError {
        switch self {
        case .connect(let detail): return .connect(redactor.redact(detail))
        case .status(let code, let retryAfter, let message): return .status(code: code, retryAfterSeconds: retryAfter, message: redactor.redact(message))
        case .malformed(let detail): return .malformed(redactor.redact(detail))
        case .interrupted(let detail): return .interrupted(redactor.redact(detail))
        case .unavailable(let why): return .unavailable(redactor.redact(why))
        case .timeout, .cancelled, .overBudget, .identity: return self
        }
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(seconds.saturatingInt) : String(seconds)
    }
}
