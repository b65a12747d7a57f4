public import FrontierCore

extension OpenAICompatibleProvider {
    /// `POST {base_url}/embeddings`: the client's body with the upstream's model name; the answer checked
    /// (a `data` list of vectors) and given OpenAI's required fields where the upstream left them out.
    public func embed(_ request: EmbeddingRequest, on model: ModelEntry) async throws(UpstreamError) -> Embeddings {
        var body = JSONObject(request.body.filter { !$0.value.isNull })  // null is absent, as the client meant
        body["model"] = .string(model.upstreamModel)
        body["frontier"] = nil
        let url = model.baseURL.hasSuffix("/") ? model.baseURL + "embeddings" : model.baseURL + "/embeddings"
        let (bytes, json) = try await http.exchangeJSON(url: url, headers: Self.headers(model), body: JSONValue.object(body).serialized(), timeouts: model.timeouts)
        guard var answer = json.objectValue, let data = answer["data"]?.arrayValue else { throw .malformed("no 'data' array in the embeddings answer") }
        let estimated = request.texts.reduce(request.tokenInputs) { $0.saturatingAdd(Usage.estimatedTokens(in: $1)) }
        let prompt = json["usage"]?["prompt_tokens"]?.intValue.map(Usage.bounded)
        let usage = Usage(promptTokens: prompt ?? estimated, completionTokens: 0, isEstimated: prompt == nil)
        var changed = false
        if answer["object"] == nil { answer["object"] = "list"; changed = true }
        if answer["model"] == nil { answer["model"] = .string(model.upstreamModel); changed = true }
        if prompt == nil { answer["usage"] = ["prompt_tokens": .int(Int64(usage.promptTokens)), "total_tokens": .int(Int64(usage.promptTokens))]; changed = true }
        let items: [JSONValue] = data.enumerated().map { n, item in
            guard var object = item.objectValue else { return item }
            if object["object"] == nil { object["object"] = "embedding"; changed = true }
            if object["index"] == nil { object["index"] = .int(Int64(n)); changed = true }
            return .object(object)
        }
        if changed { answer["data"] = .array(items) }
        return Embeddings(body: changed ? JSONValue.object(answer).serialized() : bytes, usage: usage, upstreamModel: json["model"]?.stringValue)
    }
}
