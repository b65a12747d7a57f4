public import FrontierCore

/// One prompt of an eval suite and how to grade the answer.
///
/// Suite lines (JSONL): `{"id": "q1", "prompt": "...", "grader": "choice", "expected": "C", "domain": "law"}`;
/// graders: `exact`, `choice` (multiple-choice letter), `regex`, `numeric`
/// (with `tolerance`), `json_schema` (`expected` is the schema), `contains`,
/// `judge` (`expected` is what a good answer must do; scored by the judge model).
/// Optional: `system`, `max_tokens`.
public struct EvalCase: Sendable {
    public var id: String
    public var prompt: String
    public var system: String?
    public var domain: String?
    public var maxTokens: Int?
    public var grader: Grader

    public enum Grader: Sendable, Equatable {
        case exact(String)
        case choice(String)
        case regex(String)
        case numeric(Double, tolerance: Double)
        case jsonSchema(JSONSchema)
        case contains(String)
        case judge(criteria: String)

        public var name: String {
            switch self {
            case .exact: "exact"
            case .choice: "choice"
            case .regex: "regex"
            case .numeric: "numeric"
            case .jsonSchema: "json_schema"
            case .contains: "contains"
            case .judge: "judge"
            }
        }
    }

    public init(id: String, prompt: String, system: String? = nil, domain: String? = nil, maxTokens: Int? = nil, grader: Grader) {
        self.id = id
        self.prompt = prompt
        self.system = system
        self.domain = domain
        self.maxTokens = maxTokens
        self.grader = grader
    }

    /// The chat request that asks `model` this case, at temperature 0 so runs compare.
    public func request(model: String) throws(RequestValidationError) -> ChatRequest {
        var messages: [JSONValue] = []
        if let system { messages.append(["role": "system", "content": .string(system)]) }
        messages.append(["role": "user", "content": .string(prompt)])
        var body: JSONObject = ["model": .string(model), "messages": .array(messages), "temperature": 0]
        if let maxTokens { body["max_tokens"] = .int(Int64(maxTokens)) }
        return try ChatRequest(json: .object(body))
    }
}

/// Reads a suite, naming the line and field of every mistake.
public enum EvalSuiteReader {
    public static func read(bytes: [UInt8], path: String) throws(OutcomeDataError) -> [EvalCase] {
        try JSONLines.read(bytes, path: path, what: "case", empty: "the suite has no cases", id: \.id, parse: parse)
    }

    public static func read(path: String) throws(OutcomeDataError) -> [EvalCase] {
        guard let bytes = FileBytes.read(path) else { throw OutcomeDataError(path: path, line: nil, message: "cannot read the file") }
        return try read(bytes: bytes, path: path)
    }

    private static func parse(_ line: ArraySlice<UInt8>) throws(OutcomeDataError) -> EvalCase {
        let json: JSONValue
        do { json = try JSONParser.parse(line) } catch { throw .init(message: "not valid JSON: \(error.message)") }
        guard let id = json["id"]?.stringValue, !id.isEmpty else { throw .init(message: "field 'id' must be a non-empty string") }
        guard let prompt = json["prompt"]?.stringValue, !prompt.isEmpty else { throw .init(message: "case '\(id)': field 'prompt' must be a non-empty string") }
        let expected = json["expected"]
        func text() throws(OutcomeDataError) -> String {
            guard let s = expected?.stringValue else { throw .init(message: "case '\(id)': field 'expected' must be a string for this grader") }
            return s
        }
        let grader: EvalCase.Grader
        switch json["grader"]?.stringValue {
        case "exact": grader = .exact(try text())
        case "choice":
            let letter = try text().uppercased()
            guard letter.count == 1, let c = letter.unicodeScalars.first, ("A"..."Z").contains(c) else {
                throw .init(message: "case '\(id)': a choice grader expects one letter, got '\(letter)'")
            }
            grader = .choice(letter)
        case "regex":
            let pattern = try text()
            guard (try? Regex(pattern)) != nil else { throw .init(message: "case '\(id)': field 'expected' is not a valid regular expression") }
            grader = .regex(pattern)
        case "numeric":
            guard let value = expected?.doubleValue ?? expected?.stringValue.flatMap(Double.init) else {
                throw .init(message: "case '\(id)': a numeric grader expects a number")
            }
            let tolerance = json["tolerance"]?.doubleValue ?? 1e-6
            guard tolerance >= 0 else { throw .init(message: "case '\(id)': field 'tolerance' must be >= 0") }
            grader = .numeric(value, tolerance: tolerance)
        case "json_schema":
            guard let schema = expected, schema.objectValue != nil || schema.boolValue != nil else {
                throw .init(message: "case '\(id)': a json_schema grader expects the schema object in 'expected'")
            }
            do {
                grader = .jsonSchema(try JSONSchema(schema))
            } catch {
                throw .init(message: "case '\(id)': field 'expected' is a schema Frontier cannot check: \(error.description)")
            }
        case "contains": grader = .contains(try text())
        case "judge": grader = .judge(criteria: try text())
        case let other:
            throw .init(message: "case '\(id)': field 'grader' must be one of exact, choice, regex, numeric, json_schema, contains, judge; got \(other.map { "'\($0)'" } ?? "nothing")")
        }
        var maxTokens: Int?
        if let value = json["max_tokens"], !value.isNull {
            guard let n = value.intValue, n > 0 else { throw .init(message: "case '\(id)': field 'max_tokens' must be a positive integer") }
            maxTokens = n
        }
        return EvalCase(id: id, prompt: prompt, system: json["system"]?.stringValue, domain: json["domain"]?.stringValue, maxTokens: maxTokens, grader: grader)
    }
}
