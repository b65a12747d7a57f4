public import FrontierCore

/// Reads outcomes JSONL. Every bad line is reported with its number and what
/// is wrong; none is skipped silently. Costs come from `cost_usd`, else from
/// the token counts and `prices` (a config's catalog).
///
/// ```swift
/// let set = try OutcomeReader(prices: catalogPrices).read(path: "outcomes.jsonl")
/// ```
public struct OutcomeReader: Sendable {
    public var prices: [String: Price]

    public init(prices: [String: Price] = [:]) {
        self.prices = prices
    }

    public func read(path: String) throws(OutcomeDataError) -> OutcomeSet {
        guard let data = FileBytes.read(path) else {
            throw OutcomeDataError(path: path, line: nil, message: "cannot read the file")
        }
        return try read(bytes: data, path: path)
    }

    public func read(bytes: [UInt8], path: String) throws(OutcomeDataError) -> OutcomeSet {
        OutcomeSet(records: try JSONLines.read(bytes, path: path, what: "prompt", empty: "no outcome records in the file", id: \.id, parse: parse))
    }

    private func parse(_ line: ArraySlice<UInt8>) throws(OutcomeDataError) -> OutcomeRecord {
        let json: JSONValue
        do { json = try JSONParser.parse(line) } catch { throw .init(message: "not valid JSON: \(error.message)") }
        guard json.objectValue != nil else { throw .init(message: "a line must be a JSON object") }
        guard let id = json["id"]?.stringValue ?? json["id"]?.intValue.map(String.init), !id.isEmpty else {
            throw .init(message: "field 'id' must be a non-empty string")
        }
        guard let prompt = json["prompt"]?.stringValue else { throw .init(message: "prompt '\(id)': field 'prompt' must be a string") }
        var domain: String?
        if let value = json["domain"], !value.isNull {
            guard let d = value.stringValue else { throw .init(message: "prompt '\(id)': field 'domain' must be a string") }
            domain = d
        }
        guard let results = json["results"]?.objectValue else {
            throw .init(message: "prompt '\(id)': field 'results' must be an object of model id -> outcome")
        }
        var outcomes: [String: ModelOutcome] = [:]
        for (model, value) in results {
            outcomes[model] = try outcome(value, model: model, prompt: id)
        }
        return OutcomeRecord(id: id, prompt: prompt, domain: domain, results: outcomes)
    }

    private func outcome(_ value: JSONValue, model: String, prompt: String) throws(OutcomeDataError) -> ModelOutcome {
        let at = "prompt '\(prompt)', model '\(model)'"
        guard value.objectValue != nil else { throw .init(message: "\(at): the outcome must be an object") }
        guard let score = value["score"]?.doubleValue else { throw .init(message: "\(at): field 'score' must be a number") }
        guard (0...1).contains(score) else { throw .init(message: "\(at): field 'score' must be in [0, 1], got \(score)") }
        func number(_ key: String) throws(OutcomeDataError) -> Double? {
            guard let v = value[key], !v.isNull else { return nil }
            guard let d = v.doubleValue, d >= 0 else { throw .init(message: "\(at): field '\(key)' must be a number >= 0") }
            return d
        }
        let input = try number("input_tokens").map { Int($0) }
        let output = try number("output_tokens").map { Int($0) }
        var cost = try number("cost_usd")
        if cost == nil, let price = prices[model], let input, let output {
            cost = price.cost(of: Usage(promptTokens: input, completionTokens: output))
        }
        let weight = try number("weight") ?? 1
        guard weight <= 1 else { throw .init(message: "\(at): field 'weight' must be in [0, 1], got \(weight)") }
        return ModelOutcome(
            score: score, costUSD: cost, inputTokens: input, outputTokens: output, latencyMs: try number("latency_ms"),
            upstreamModel: value["upstream_model"]?.stringValue, error: value["error"]?.stringValue, weight: weight)
    }
}

/// What is wrong with an outcomes file: one problem, or every bad line.
public struct OutcomeDataError: Error, CustomStringConvertible {
    public var path: String?
    public var line: Int?
    public var message: String
    public var problems: [OutcomeDataError] = []

    init(path: String? = nil, line: Int? = nil, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    init(path: String, problems: [OutcomeDataError]) {
        self.path = path
        self.problems = problems
        self.message = "\(problems.count) bad line\(problems.count == 1 ? "" : "s")"
    }

    public var description: String {
        if !problems.isEmpty {
            let shown = problems.prefix(20).map(\.description)
            let more = problems.count > 20 ? ["... and \(problems.count - 20) more"] : []
            return "\(path ?? "outcomes"): \(message):\n" + (shown + more).joined(separator: "\n")
        }
        return [path, line.map(String.init)].compactMap { $0 }.joined(separator: ":") + ": " + message
    }
}
