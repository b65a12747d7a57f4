/// An operator's own recognizer (`privacy.recognizers[]`): a pattern for an identifier the built-in rules
/// cannot know (a hospital's record numbers, a bank's customer numbers, a firm's matter numbers), with words
/// that make a match likelier and a check digit that must hold.
///
/// A match scores 0.5; 0.6 when its check digit holds (one that fails is no match); 0.4 more when a context
/// word is within `window` bytes before or after it. Matches below `minScore` are dropped, so
/// `min_score: 0.9` makes a context word required.
public struct PatternRecognizer: Sendable {
    public enum Validation: String, Sendable, CaseIterable {
        case none, luhn, mod11, iban
    }

    public let name: String
    public let category: PIICategory
    public let validation: Validation
    public let window: Int
    public let minScore: Double
    public let contextWords: [String]
    let program: PatternProgram
    let context: Keywords?

    public static let baseScore = 0.5
    public static let checksumBonus = 0.1
    public static let contextBonus = 0.4
    /// The widest context window accepted, in bytes.
    public static let maxWindow = 1_000

    /// Compiles `pattern`; the error says what in it is refused and why.
    public init(
        name: String, category: PIICategory, pattern: String, context: [String] = [], window: Int = 40,
        validation: Validation = .none, minScore: Double = 0.5
    ) throws(PatternError) {
        self.name = name
        self.category = category
        self.program = try PatternProgram(pattern)
        self.validation = validation
        self.window = min(max(window, 0), Self.maxWindow)
        self.minScore = minScore
        // Context words are matched on the lower-cased normalised text, as the built-in cues are.
        let words = context.map { String(decoding: NormalizedText($0).bytes, as: UTF8.self).lowercased() }.filter { !$0.isEmpty }
        self.contextWords = words
        self.context = words.isEmpty ? nil : Keywords(words)
    }

    /// The score of the match at `range` in a scan's text, or nil when its check digit fails.
    func score(_ range: Range<Int>, in scan: PIIScan) -> Double? {
        var score = Self.baseScore
        switch validation {
        case .none:
            break
        case .luhn, .mod11:
            let digits = scan.bytes[range].filter(ASCII.isDigit).map { $0 - 48 }
            guard validation == .luhn ? Checksums.luhn(digits) : Checksums.mod11(digits) else { return nil }
            score += Self.checksumBonus
        case .iban:
            let characters = scan.bytes[range].filter(ASCII.isAlnum).map { ASCII.isLowerLetter($0) ? $0 - 32 : $0 }
            guard Checksums.ibanIsValid(characters) else { return nil }
            score += Self.checksumBonus
        }
        if let context, window > 0 {
            let after = scan.lower[range.upperBound..<min(scan.lower.count, range.upperBound + window)]
            if scan.context(before: range.lowerBound, window: window, context) || context.occur(in: after) {
                score += Self.contextBonus
            }
        }
        return score
    }
}
