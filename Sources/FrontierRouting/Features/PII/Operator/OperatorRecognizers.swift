/// The operator's own rules beside the built-in ones: `privacy.recognizers` and `privacy.deny_lists`, built
/// once from the config (and again on a reload) and shared, read-only, by every scan.
public final class OperatorRecognizers: Sendable, Hashable {
    public let patterns: [PatternRecognizer]
    public let denyLists: [DenyList]

    public init(patterns: [PatternRecognizer] = [], denyLists: [DenyList] = []) {
        self.patterns = patterns
        self.denyLists = denyLists
    }

    public var isEmpty: Bool { patterns.isEmpty && denyLists.isEmpty }

    /// The categories these rules report.
    public var categories: Set<PIICategory> { Set(patterns.map(\.category) + denyLists.map(\.category)) }

    // One set of rules is one load of the config: identity is equality (a deny list of 100,000 hashes is never compared).
    public static func == (a: OperatorRecognizers, b: OperatorRecognizers) -> Bool { a === b }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}

/// Where a finding came from: a built-in rule, or which of the operator's recognizers or deny lists.
public enum PIIRule: Sendable, Hashable, CustomStringConvertible {
    case builtIn
    case recognizer(String)
    case denyList(String)

    public var description: String {
        switch self {
        case .builtIn: return "built-in"
        case .recognizer(let name): return "recognizer \(name)"
        case .denyList(let name): return "deny list \(name)"
        }
    }
}

extension PIIScan {
    /// The operator's rules, run before the built-in ones: what the operator knows about its own identifiers
    /// wins where a built-in rule would read the same bytes as something else (a record number as a phone).
    mutating func scanOperatorRules(_ rules: OperatorRecognizers) {
        for recognizer in rules.patterns {
            for range in recognizer.program.matches(in: bytes) {
                guard let score = recognizer.score(range, in: self), score >= recognizer.minScore else { continue }
                add(recognizer.category, range, rule: .recognizer(recognizer.name))
            }
        }
        for list in rules.denyLists {
            for range in list.matches(in: lower) { add(list.category, range, rule: .denyList(list.name)) }
        }
    }
}
