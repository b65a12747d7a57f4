import FrontierCore
import FrontierProviders
import HTTPTypes
import Hummingbird

/// `POST /v1/responses`: OpenAI's Responses API, stateless. The request becomes
/// its chat form (any upstream serves it); the answer a response object, the
/// stream the Responses events; errors keep OpenAI's shape. `previous_response_id`,
/// `store: true` and conversations get a 400 that says why: nothing is stored.
struct OpenAIResponsesIngress: Ingress {
    var name: String { "openai.responses" }

    func parse(_ json: JSONValue, headers: HTTPFields) throws(APIError) -> ChatRequest {
        var chat: ChatRequest
        do {
            chat = try ChatRequest(json: .object(OpenAIResponsesTranslation.chatBody(json)))
        } catch {
            throw APIError.invalidRequest(error)
        }
        // Kept for the settings a response echoes; never sent anywhere (no upstream speaks it for the gateway).
        chat.native = NativeRequest(wire: .openAIResponses, body: json.objectValue ?? [:])
        return chat
    }

    func body(of completion: Completion, request: ChatRequest, extras: JSONObject) -> [UInt8] {
        let openAI = (try? JSONParser.parse(completion.body)) ?? [:]
        let echoed = request.native?.body ?? [:]
        guard var response = OpenAIResponsesTranslation.response(openAI, usage: completion.usage, request: echoed, fallbackModel: request.model).objectValue else { return [] }
        for (key, value) in extras { response[key] = value }
        return JSONValue.object(response).serialized()
    }

    func streamEncoder(for request: ChatRequest) -> any StreamEncoder {
        ResponsesEventEncoder(request: request.native?.body ?? [:], fallbackModel: request.model)
    }

    func error(_ error: APIError, headers: HTTPFields) -> Response {
        Responses.error(error, headers: headers)
    }
}
