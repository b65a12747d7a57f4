/// An error as the client sees it: an HTTP status and OpenAI's error object
/// `{"error": {"message", "type", "param", "code"}}`.
public struct APIError: Error, Sendable, Equatable {
    public var status: Int
    public var type: String
    public var code: String?
    public var param: String?
    public var message: String

    public init(status: Int, type: String, code: String? = nil, param: String? = nil, message: String) {
        self.status = status
        self.type = type
        self.code = code
        self.param = param
        self.message = message
    }

    public var json: JSONValue {
        [
            "error": [
                "message": .string(message),
                "type": .string(type),
                "param": param.map(JSONValue.string) ?? .null,
                "code": code.map(JSONValue.string) ?? .null,
            ]
        ]
    }
}

extension APIError {
    public static func invalidJSON(_ error: JSONParseError) -> APIError {
        APIError(
            status: 400, type: "invalid_request_error", code: "invalid_json",
            message: "The request body is not valid JSON: \(error.description). Send a JSON object (Content-Type: application/json).")
    }

    public static func invalidRequest(_ error: RequestValidationError) -> APIError {
        APIError(status: 400, type: "invalid_request_error", code: "invalid_value", param: error.param, message: error.message)
    }

    public static func bodyTooLarge(limit: Int) -> APIError {
        APIError(
            status: 413, type: "invalid_request_error", code: "request_too_large",
            message: "The request body is larger than this gateway's limit of \(limit) bytes (gateway.max_body_bytes). Send a smaller request.")
    }

    public static func modelNotFound(_ model: String, known: [String]) -> APIError {
        APIError(
            status: 404, type: "invalid_request_error", code: "model_not_found", param: "model",
            message: "The model '\(model)' does not exist in this gateway's catalog. Use one of: \((["auto"] + known).joined(separator: ", ")).")
    }

    public static func modelUnavailable(_ model: String, reason: String) -> APIError {
        APIError(
            status: 503, type: "service_unavailable", code: "model_unavailable", param: "model",
            message: "The model '\(model)' is configured but unavailable: \(reason).")
    }

    /// Every candidate failed; `reasons` says why, per model.
    public static func noModelAvailable(reasons: [(model: String, reason: String)]) -> APIError {
        let detail = reasons.map { "\($0.model): \($0.reason)" }.joined(separator: "; ")
        return APIError(
            status: 503, type: "service_unavailable", code: "no_model_available",
            message: "No model could serve this request. \(detail)")
    }
}
