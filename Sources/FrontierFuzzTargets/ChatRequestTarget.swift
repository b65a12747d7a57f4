import FrontierCore

extension FuzzTarget {
    /// Request validation: any JSON either validates or names what to fix; a valid
    /// request keeps its fields within the bounds the rest of the gateway relies on.
    public static let chatRequest = FuzzTarget(name: "chat-request") { bytes in
        guard let json = try? JSONParser.parse(bytes) else { return }
        do throws(RequestValidationError) {
            let request = try ChatRequest(json: json)
            precondition(!request.messages.isEmpty, "a valid request without messages")
            precondition(request.model.utf8.count <= ChatRequest.maximumModelNameBytes, "an unbounded model name was accepted")
            if let max = request.maxTokens { precondition((1...ChatRequest.maximumOutputTokens).contains(max), "max_tokens out of bounds") }
            for message in request.messages { _ = message.text }
            _ = JSONValue.object(request.body).serialized()
        } catch {
            precondition(!error.message.isEmpty, "a validation error without a message")
        }
    }
}
