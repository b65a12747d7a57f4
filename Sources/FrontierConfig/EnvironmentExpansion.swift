import Foundation

/// Expands `${NAME}` references from the environment, the only way secrets
/// enter the config.
struct EnvironmentExpansion {
    let environment: [String: String]

    enum Result: Equatable {
        case value(String)
        /// A referenced variable is unset or empty.
        case missing(String)
    }

    func expand(_ text: String) -> Result {
        guard text.contains("${") else { return .value(text) }
        var output = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            output += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                output += rest[start.lowerBound...]
                return .value(output)
            }
            let name = String(rest[start.upperBound..<end])
            guard let value = environment[name], !value.isEmpty else { return .missing(name) }
            output += value
            rest = rest[rest.index(after: end)...]
        }
        output += rest
        return .value(output)
    }
}

extension EnvironmentExpansion {
    /// The config text with every `${NAME}` that stands as a whole unquoted value quoted
    /// (`{admin_key: ${FRONTIER_ADMIN_KEY}}` reads as YAML then: a bare `{` cannot start a
    /// value inside a flow mapping). References inside longer values are left as they are.
    static func quotingBareReferences(in text: String) -> String {
        guard text.contains("${") else { return text }
        let pattern = #"((?::|-)[ \t]+|[\[{,][ \t]*)(\$\{[A-Za-z_][A-Za-z0-9_]*\})(?=[ \t]*(?:[,}\]]|#|$))"#
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines]) else { return text }
        let range = NSRange(text.startIndex..., in: text)
        return regex.stringByReplacingMatches(in: text, range: range, withTemplate: "$1\"$2\"")
    }
}
