import FrontierCore

/// What both doors' translations do alike when they build a request's chat form.
enum ChatForm {
    /// `stream` as sent; a stream asks for the usage chunk, which every door's closing events carry.
    static func stream(from body: JSONObject, into chat: inout JSONObject) {
        guard let stream = body["stream"] else { return }
        chat["stream"] = stream
        if stream.boolValue == true { chat["stream_options"] = ["include_usage": true] }
    }

    /// `tools`, each translated by `translate` (given its path for errors); a 400 when not an array.
    static func tools(
        from body: JSONObject, into chat: inout JSONObject, _ translate: (JSONValue, String) throws(RequestValidationError) -> JSONValue
    ) throws(RequestValidationError) {
        guard let tools = body["tools"], !tools.isNull else { return }
        guard let list = tools.arrayValue else { throw RequestValidationError(param: "tools", message: "'tools' must be an array.") }
        var out: [JSONValue] = []
        for (n, tool) in list.enumerated() { out.append(try translate(tool, "tools[\(n)]")) }
        chat["tools"] = .array(out)
    }
}
