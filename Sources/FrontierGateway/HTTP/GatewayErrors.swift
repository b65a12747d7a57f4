import FrontierCore
import FrontierProviders

/// The gateway's own errors, one named constructor each: the status, type,
/// code and the words that say what to fix live here, once, not at each throw.
extension APIError {
    /// 503 from the connection guard: too many connections or requests in flight.
    static func overloaded(_ message: String) -> APIError {
        APIError(status: 503, type: "service_unavailable", code: "overloaded", message: message)
    }

    static func invalidAPIKey(_ message: String) -> APIError {
        APIError(status: 401, type: "invalid_request_error", code: "invalid_api_key", message: message)
    }

    static let keyFieldsNotAnObject = APIError(
        status: 400, type: "invalid_request_error", code: "invalid_value",
        message: "The body must be a JSON object of key fields, like {\"name\": \"billing\"}.")

    /// 500 for an error nothing else named; its text redacted of secrets.
    static func internalError(_ error: any Error) -> APIError {
        APIError(status: 500, type: "server_error", message: "Internal gateway error: \(SecretRedactor().redact(String(describing: error)))")
    }

    static let clientClosedRequest = APIError(status: 499, type: "client_closed_request", message: "The client disconnected.")

    static let shuttingDown = APIError(status: 503, type: "service_unavailable", code: "shutting_down", message: "The gateway is shutting down.")

    static func bodyUnreadable(_ error: any Error) -> APIError {
        APIError(status: 400, type: "invalid_request_error", code: "body_read_failed", message: "Could not read the request body: \(error)")
    }

    /// 429 from the key's own limit (`limit` is the wire type: requests or tokens).
    static func rateLimited(_ limit: String, figure: String, retryAfterSeconds: Int64) -> APIError {
        APIError(status: 429, type: limit, code: "rate_limit_exceeded",
                 message: "Rate limit reached for this API key: \(figure) per minute. Try again in \(retryAfterSeconds) s.")
    }

    /// The upstream rejected the request itself (400/413/422): another model would too.
    static func upstreamRejected(status: Int, model: String, message: String) -> APIError {
        APIError(status: status, type: "invalid_request_error", code: "upstream_rejected_request", message: "\(model) rejected the request: \(message)")
    }

    static func budgetCannotCover(_ failures: [(model: String, error: UpstreamError)]) -> APIError {
        APIError(status: 429, type: "insufficient_quota", code: "insufficient_quota",
                 message: "This API key's budget cannot cover this request: "
                     + failures.map { "\($0.model): \($0.error)" }.joined(separator: "; ") + ". Send a smaller max_tokens, or ask for a larger budget.")
    }

    static func upstreamTimeout(model: String, _ error: UpstreamError) -> APIError {
        APIError(status: 504, type: "upstream_timeout", code: "upstream_timeout", message: "\(model): \(error)")
    }

    static func upstreamRateLimited(model: String, _ error: UpstreamError) -> APIError {
        APIError(status: 429, type: "rate_limit_error", code: "upstream_rate_limited", message: "\(model): \(error)")
    }

    static func badUpstreamResponse(model: String, _ error: UpstreamError) -> APIError {
        APIError(status: 502, type: "upstream_error", code: "bad_upstream_response", message: "\(model): \(error)")
    }

    static func streamInterrupted(model: String, _ error: any Error) -> APIError {
        APIError(status: 502, type: "upstream_error", code: "stream_interrupted",
                 message: "\(model) failed mid-stream: \(error). The answer above is incomplete.")
    }

    static func cascadeDeadlinePassed(deadlineMs: Int, reasons: String) -> APIError {
        APIError(status: 504, type: "upstream_timeout", code: "deadline_exceeded",
                 message: "The cascade's \(deadlineMs) ms deadline passed before a tier answered. \(reasons)")
    }

    /// Strict routes: the intent record before the prompt leaves could not be written.
    static func ledgerRefusedIntent(model: String, _ reason: String) -> APIError {
        APIError(status: 503, type: "service_unavailable", code: "ledger_unavailable",
                 message: "The audit ledger could not record that this request is about to leave for \(model), so it was not sent: \(reason)")
    }

    static func ledgerWithheldResponse(_ reason: String) -> APIError {
        APIError(status: 503, type: "service_unavailable", code: "ledger_unavailable",
                 message: "The audit ledger could not record this request, so its response is withheld: \(reason)")
    }
}

/// `POST /v1/feedback`'s errors.
extension APIError {
    static func feedbackInvalid(param: String?, _ message: String) -> APIError {
        APIError(status: 400, type: "invalid_request_error", code: "invalid_value", param: param, message: message)
    }

    /// The same answer for an id that does not exist and for one another key made: never confirm an id exists.
    static func feedbackRequestNotFound(_ id: String) -> APIError {
        APIError(
            status: 404, type: "invalid_request_error", code: "request_not_found", param: "request_id",
            message: "No request '\(id.prefix(128))' made with this key is in the ledger. Use the x-frontier-request-id header of an answer this key received.")
    }

    static func feedbackNothingToScore(_ id: String, status: Int) -> APIError {
        APIError(
            status: 400, type: "invalid_request_error", code: "nothing_to_score", param: "request_id",
            message: "Request '\(id.prefix(128))' got no answer from a model (status \(status)): there is nothing to score.")
    }

    static let feedbackUnavailable = APIError(
        status: 404, type: "invalid_request_error", code: "feedback_unavailable",
        message: "This gateway keeps no ledger (its config has no storage:), so it has nowhere to record feedback.")

    static func feedbackNotRecorded(_ reason: String) -> APIError {
        APIError(status: 503, type: "service_unavailable", code: "ledger_unavailable", message: "The feedback was not recorded: \(reason). Try again.")
    }
}
