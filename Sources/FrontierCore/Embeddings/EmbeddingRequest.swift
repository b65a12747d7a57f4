/// An OpenAI embeddings request, validated. `body` keeps every field the
/// client sent (`encoding_format`, `dimensions`, ...) to forward; `texts` are
/// the inputs the gateway reads (for personal data and the budget).
public struct EmbeddingRequest: Sendable {
    /// OpenAI's limit on inputs per request.
    public static let maximumInputs = 2_048

    public var body: JSONObject
    public var model: String
    /// The inputs that are text (token-array inputs carry no text to scan, and are counted by length).
    public var texts: [String]
    /// Tokens given as token ids rather than text.
    public var tokenInputs: Int

    public init(json: JSONValue) throws(RequestValidationError) {
        guard let body = json.objectValue else {
            throw RequestValidationError(param: nil, message: "The request body must be a JSON object, got \(json.typeDescription).")
        }
        guard let model = body["model"]?.stringValue, !model.isEmpty, model.utf8.count <= ChatRequest.maximumModelNameBytes else {
            throw RequestValidationError(param: "model", message: "'model' must name an embedding model from GET /v1/models, or \"auto\".")
        }
        var texts: [String] = []
        var tokens = 0
        switch body["input"] {
        case .string(let text)?:
            texts = [text]
        case .array(let items)? where !items.isEmpty && items.count <= Self.maximumInputs:
            for (n, item) in items.enumerated() {
                switch item {
                case .string(let text): texts.append(text)
                case .int: tokens += 1
                case .array(let ids) where ids.allSatisfy({ $0.intValue != nil }): tokens += ids.count
                default:
                    throw RequestValidationError(param: "input[\(n)]", message: "'input[\(n)]' must be a string, a token id or an array of token ids.")
                }
            }
        default:
            throw RequestValidationError(
                param: "input", message: "'input' must be a string or an array of 1 to \(Self.maximumInputs) strings (or token-id arrays).")
        }
        try FieldTypes.check(body, ["user": .string, "encoding_format": .string, "dimensions": .integer])
        if let format = body["encoding_format"], !format.isNull, format.stringValue != "float", format.stringValue != "base64" {
            throw RequestValidationError(param: "encoding_format", message: "'encoding_format' must be \"float\" or \"base64\".")
        }
        if let dimensions = body["dimensions"], !dimensions.isNull, !(dimensions.intValue.map { (1...65_536).contains($0) } ?? false) {
            throw RequestValidationError(param: "dimensions", message: "'dimensions' must be an integer from 1 to 65536.")
        }
        self.body = body
        self.model = model
        self.texts = texts
        self.tokenInputs = tokens
    }
}
