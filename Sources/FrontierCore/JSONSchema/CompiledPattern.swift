/// A JSON Schema `pattern`: an ECMA-262 regular expression, matched anywhere
/// in the string (patterns are not anchored unless they say so).
struct CompiledPattern: @unchecked Sendable {
    // Regex is not Sendable; a compiled pattern is only read after init.
    private let regex: Regex<AnyRegexOutput>

    init(_ pattern: String, at path: String) throws(JSONSchemaError) {
        do {
            regex = try Regex(pattern)
        } catch {
            throw JSONSchemaError(path: path, message: "'\(pattern)' is not a regular expression Frontier can use")
        }
    }

    func matches(_ text: String) -> Bool {
        (try? regex.firstMatch(in: text)) != nil
    }
}
