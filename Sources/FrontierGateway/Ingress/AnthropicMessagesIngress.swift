import FrontierCore
import FrontierProviders
import HTTPTypes
import Hummingbird

/// `POST /v1/messages` (and, without `max_tokens`, `/v1/messages/count_tokens`):
/// Anthropic's Messages API. The request becomes its OpenAI chat form, which
/// routing reads and every provider translates from, and keeps its own body
/// for an Anthropic upstream (``NativeRequest``); answers, streams and errors
/// go back in Anthropic's shapes.
struct AnthropicMessagesIngress: Ingress {
    var name: String { "anthropic.messages" }
    var requiresMaxTokens = true

    static let versionHeader = HTTPField.Name(literal: "anthropic-version")
    static let betaHeader = HTTPField.Name(literal: "anthropic-beta")

    func parse(_ json: JSONValue, headers: HTTPFields) throws(APIError) -> ChatRequest {
        var chat: ChatRequest
        do {
            chat = try ChatRequest(json: .object(AnthropicMessagesTranslation.chatBody(json, requireMaxTokens: requiresMaxTokens)))
        } catch {
            throw APIError.invalidRequest(error)
        }
        var forwarded: [String: String] = [:]
        if let version = headers[Self.versionHeader] { forwarded["anthropic-version"] = version }
        if let beta = headers[Self.betaHeader] { forwarded["anthropic-beta"] = beta }
        chat.native = NativeRequest(wire: .anthropicMessages, body: json.objectValue ?? [:], headers: forwarded)
        return chat
    }

    func body(of completion: Completion, request: ChatRequest, extras: JSONObject) -> [UInt8] {
        let openAI = (try? JSONParser.parse(completion.body)) ?? [:]
        guard var message = AnthropicMessagesTranslation.message(openAI, usage: completion.usage, model: request.model).objectValue else { return [] }
        for (key, value) in extras { message[key] = value }
        return JSONValue.object(message).serialized()
    }

    func streamEncoder(for request: ChatRequest) -> any StreamEncoder {
        AnthropicEventEncoder(fallbackModel: request.model)
    }

    func error(_ error: APIError, headers: HTTPFields) -> Response {
        Responses.json(Self.errorBody(error), status: HTTPResponse.Status(code: error.status), headers: headers)
    }

    /// `{"type": "error", "error": {"type", "message"}}`, with Anthropic's type for the status.
    static func errorBody(_ error: APIError) -> JSONValue {
        ["type": "error", "error": ["type": .string(errorType(status: error.status)), "message": .string(error.message)]]
    }

    static func errorType(status: Int) -> String {
        switch status {
        case 400, 422: return "invalid_request_error"
        case 401: return "authentication_error"
        case 402: return "billing_error"
        case 403: return "permission_error"
        case 404: return "not_found_error"
        case 413: return "request_too_large"
        case 429: return "rate_limit_error"
        case 503, 529: return "overloaded_error"
        case 504: return "timeout_error"
        default: return "api_error"
        }
    }
}
