import Foundation
public import FrontierCore

/// A grade: the score in [0, 1] and what was measured, for the eval table.
public struct Grade: Sendable, Equatable {
    public var score: Double
    public var detail: String

    public init(score: Double, detail: String) {
        self.score = score
        self.detail = detail
    }
}

extension EvalCase.Grader {
    /// Grades an answer; nil for the judge, which needs a model (`ScoringPrompt` in FrontierRouting).
    public func grade(_ answer: String) -> Grade? {
        let trimmed = answer.trimmingCharacters(in: .whitespacesAndNewlines)
        switch self {
        case .exact(let expected):
            let ok = trimmed.lowercased() == expected.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            return Grade(score: ok ? 1 : 0, detail: ok ? "exact match" : "not an exact match")
        case .choice(let letter):
            guard let chosen = Self.choiceLetter(in: answer) else { return Grade(score: 0, detail: "no answer letter found") }
            return Grade(score: chosen == letter ? 1 : 0, detail: "answered \(chosen), expected \(letter)")
        case .regex(let pattern):
            guard let regex = try? Regex(pattern) else { return Grade(score: 0, detail: "invalid pattern") }
            let ok = answer.contains(regex)
            return Grade(score: ok ? 1 : 0, detail: ok ? "matches /\(pattern)/" : "does not match /\(pattern)/")
        case .numeric(let expected, let tolerance):
            guard let value = Self.lastNumber(in: answer) else { return Grade(score: 0, detail: "no number found") }
            let ok = abs(value - expected) <= tolerance
            return Grade(score: ok ? 1 : 0, detail: "answered \(value), expected \(expected) ± \(tolerance)")
        case .jsonSchema(let schema):
            guard let json = JSONValue.extracted(from: answer, lenient: true) else { return Grade(score: 0, detail: "not valid JSON") }
            let violations = schema.violations(of: json)
            return Grade(score: violations.isEmpty ? 1 : 0, detail: violations.isEmpty ? "valid against the schema" : violations.prefix(3).joined(separator: "; "))
        case .contains(let needle):
            let ok = answer.lowercased().contains(needle.lowercased())
            return Grade(score: ok ? 1 : 0, detail: ok ? "contains '\(needle)'" : "does not contain '\(needle)'")
        case .judge:
            return nil
        }
    }

    /// The answer letter: "answer is (C)", "Answer: C", or else the last standalone capital A-J.
    static func choiceLetter(in answer: String) -> String? {
        let patterns = [#"[Aa]nswer(?: is)?:?\s*\(?([A-J])\)?(?![A-Za-z])"#, #"^\s*\(?([A-J])\)?(?:[.):\s]|$)"#]
        for pattern in patterns {
            if let regex = try? Regex(pattern), let match = answer.firstMatch(of: regex), match.output.count > 1,
               let letter = match.output[1].substring {
                return String(letter)
            }
        }
        guard let regex = try? Regex(#"\b([A-J])\b"#) else { return nil }
        return answer.matches(of: regex).last.flatMap { $0.output[1].substring.map(String.init) }
    }

    static func lastNumber(in answer: String) -> Double? {
        guard let regex = try? Regex(#"-?\d[\d,]*(?:\.\d+)?(?:[eE][-+]?\d+)?"#) else { return nil }
        return answer.matches(of: regex).last.flatMap { Double(String(answer[$0.range]).replacingOccurrences(of: ",", with: "")) }
    }
}
