public import FrontierCore

/// The prompt a judging model gets (the eval's LLM judge, a cascade's
/// verifier), and how its verdict is read: one line, "Score: N", N from 0 to 10.
public enum ScoringPrompt {
    public static let defaultInstructions = "You grade answers. Reply with one line: Score: N, where N is an integer from 0 (wrong or useless) to 10 (correct and complete)."

    public static func messages(instructions: String? = nil, question: String, criteria: String? = nil, answer: String) -> [JSONValue] {
        let what = criteria.map { "\n\nWhat a good answer must do:\n\($0)" } ?? ""
        return [
            ["role": "system", "content": .string(instructions ?? defaultInstructions)],
            ["role": "user", "content": .string("Question:\n\(question)\(what)\n\nAnswer to grade:\n\(answer)\n\nScore:")],
        ]
    }

    /// "Score: 7" (or a bare number) -> 0.7; nil when the verdict has no score from 0 to 10.
    public static func score(from verdict: String) -> Double? {
        guard let regex = try? Regex(#"(?i)score\s*[:=]?\s*(\d{1,2})"#) else { return nil }
        let text = verdict.firstMatch(of: regex).flatMap { $0.output[1].substring.map(String.init) }
            ?? verdict.firstMatch(of: /\b(\d{1,2})\b/).map { String($0.output.1) }
        guard let text, let n = Double(text), (0...10).contains(n) else { return nil }
        return n / 10
    }
}
