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
