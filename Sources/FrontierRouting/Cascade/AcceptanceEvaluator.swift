import Foundation
public import FrontierCore

/// One acceptance check's verdict and what it measured.
public struct CheckResult: Sendable, Equatable {
    public var check: String
    public var passed: Bool
    /// What was measured ("142 chars", "p_mean=0.61", "2/3 agree", ...).
    public var value: String

    public init(check: String, passed: Bool, value: String) {
        self.check = check
        self.passed = passed
        self.value = value
    }

    public var json: JSONValue { ["check": .string(check), "passed": .bool(passed), "value": .string(value)] }
}

/// A tier's answer as the checks see it.
public struct AnswerUnderReview: Sendable {
    public var text: String
    /// Per-token log probabilities, when the upstream returned them.
    public var tokenLogprobs: [Double]?
    /// Every sample's text, the answer's first, when self-consistency asked for several.
    public var samples: [String]
    /// The verifier model's score in [0, 1], when a verifier ran.
    public var verifierScore: Double?
    /// Why the verifier was not called, when it was not (it is outside the request's privacy zone).
    public var verifierSkipped: String?

    public init(text: String, tokenLogprobs: [Double]? = nil, samples: [String] = [], verifierScore: Double? = nil) {
        self.text = text
        self.tokenLogprobs = tokenLogprobs
        self.samples = samples
        self.verifierScore = verifierScore
    }
}

/// Runs a tier's acceptance checks on its answer. Pure: the model calls a
/// check needs (samples, the verifier) are made by the caller beforehand.
///
/// ```swift
/// let results = AcceptanceEvaluator.evaluate(answer, checks: tier.accept, responseFormat: request.body["response_format"])
/// let accepted = results.allSatisfy(\.passed)
/// ```
public enum AcceptanceEvaluator {
    public static func evaluate(_ answer: AnswerUnderReview, checks: AcceptanceChecks, responseFormat: JSONValue?) -> [CheckResult] {
        let text = answer.text
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var results = [CheckResult(check: "non_empty", passed: !trimmed.isEmpty, value: "\(trimmed.count) chars")]
        if checks.jsonSchema { results.append(jsonCheck(text, responseFormat: responseFormat)) }
        if let min = checks.minChars { results.append(CheckResult(check: "min_chars", passed: trimmed.count >= min, value: "\(trimmed.count) chars, min \(min)")) }
        if let max = checks.maxChars { results.append(CheckResult(check: "max_chars", passed: trimmed.count <= max, value: "\(trimmed.count) chars, max \(max)")) }
        if let pattern = checks.regex {
            let matched = (try? Regex(pattern)).map { text.contains($0) } ?? false
            results.append(CheckResult(check: "regex", passed: matched, value: matched ? "matches" : "no match"))
        }
        for phrase in checks.mustContain {
            let found = text.range(of: phrase, options: .caseInsensitive) != nil
            results.append(CheckResult(check: "must_contain", passed: found, value: "'\(phrase)' \(found ? "found" : "missing")"))
        }
        if checks.rejectRefusals {
            let refusal = refusalPhrase(in: trimmed)
            results.append(CheckResult(check: "no_refusal", passed: refusal == nil, value: refusal.map { "refuses: '\($0)'" } ?? "no refusal"))
        }
        if checks.needsLogprobs { results.append(contentsOf: confidenceChecks(answer.tokenLogprobs, checks)) }
        if let sc = checks.selfConsistency {
            let (agreeing, total) = agreement(answer.samples.isEmpty ? [text] : answer.samples)
            let share = Double(agreeing) / Double(max(total, 1))
            results.append(CheckResult(check: "self_consistency", passed: total >= 2 && share >= sc.minAgreement, value: "\(agreeing)/\(total) agree, min \(sc.minAgreement)"))
        }
        if let verifier = checks.verifier {
            if let score = answer.verifierScore {
                results.append(CheckResult(check: "verifier", passed: score >= verifier.minScore, value: "\(verifier.model) scored \(score), min \(verifier.minScore)"))
            } else {
                results.append(CheckResult(check: "verifier", passed: false, value: answer.verifierSkipped ?? "\(verifier.model) gave no score"))
            }
        }
        return results
    }

    /// The schema of a `response_format` of type json_schema, if any.
    public static func schema(in responseFormat: JSONValue?) -> JSONValue? {
        guard let format = responseFormat, format["type"]?.stringValue == "json_schema" else { return nil }
        return format["json_schema"]?["schema"]
    }

    static func jsonCheck(_ text: String, responseFormat: JSONValue?) -> CheckResult {
        guard let json = JSONValue.extracted(from: text) else { return CheckResult(check: "json_schema", passed: false, value: "not valid JSON") }
        guard let raw = schema(in: responseFormat) else { return CheckResult(check: "json_schema", passed: true, value: "valid JSON (no schema in response_format)") }
        // Refused before any tier runs (RoutePlanner); failing here too keeps the check from passing what it cannot check.
        guard let schema = try? JSONSchema(raw) else { return CheckResult(check: "json_schema", passed: false, value: "the schema cannot be checked") }
        let violations = schema.violations(of: json)
        return CheckResult(check: "json_schema", passed: violations.isEmpty, value: violations.isEmpty ? "conforms to the schema" : violations.prefix(3).joined(separator: "; "))
    }

    public static let refusals = [
        "i can't", "i cannot", "i can not", "i'm sorry", "i am sorry", "as an ai", "i'm unable", "i am unable", "i won't",
        "i will not", "i'm not able", "i am not able", "sorry, but",
    ]

    /// A refusal opening within the first 200 characters.
    public static func refusalPhrase(in text: String) -> String? {
        let head = text.prefix(200).lowercased().replacingOccurrences(of: "’", with: "'")
        return refusals.first { head.contains($0) }
    }

    static func confidenceChecks(_ logprobs: [Double]?, _ checks: AcceptanceChecks) -> [CheckResult] {
        guard let logprobs, !logprobs.isEmpty else {
            // Counted as failed: without evidence of confidence the answer is not trusted.
            return [CheckResult(check: "confidence", passed: false, value: "the upstream returned no logprobs")]
        }
        var results: [CheckResult] = []
        if let min = checks.minMeanTokenProbability {
            let mean = exp(logprobs.reduce(0, +) / Double(logprobs.count))
            results.append(CheckResult(check: "mean_token_prob", passed: mean >= min, value: String(format: "%.3f, min %g", mean, min)))
        }
        if let min = checks.minTokenProbability {
            let lowest = exp(logprobs.min() ?? 0)
            results.append(CheckResult(check: "min_token_prob", passed: lowest >= min, value: String(format: "%.3f, min %g", lowest, min)))
        }
        return results
    }

    /// How many samples agree with the most common one (compared normalised: JSON canonically, text by words).
    static func agreement(_ samples: [String]) -> (Int, Int) {
        var counts: [String: Int] = [:]
        for sample in samples { counts[normalised(sample), default: 0] += 1 }
        return (counts.values.max() ?? 0, samples.count)
    }

    static func normalised(_ text: String) -> String {
        if let json = JSONValue.extracted(from: text) { return canonical(json) }
        return text.lowercased().split(whereSeparator: { $0.isWhitespace || $0.isPunctuation }).joined(separator: " ")
    }

    static func canonical(_ json: JSONValue) -> String {
        switch json {
        case .object(let o): "{" + o.keys.sorted().map { "\($0):\(canonical(o[$0] ?? .null))" }.joined(separator: ",") + "}"
        case .array(let a): "[" + a.map(canonical).joined(separator: ",") + "]"
        default: json.jsonString
        }
    }
}
