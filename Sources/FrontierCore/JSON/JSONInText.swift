import Foundation

extension JSONValue {
    /// The JSON a model's answer holds: the whole answer, or inside a ```
    /// fence, or (with `lenient`) from the first `{` or `[` to the last `}` or `]`.
    public static func extracted(from answer: String, lenient: Bool = false) -> JSONValue? {
        let trimmed = answer.trimmingCharacters(in: .whitespacesAndNewlines)
        if let json = try? JSONParser.parse(trimmed) { return json }
        if let fence = trimmed.range(of: "```") {
            var rest = trimmed[fence.upperBound...]
            if let newline = rest.firstIndex(of: "\n") { rest = rest[rest.index(after: newline)...] }
            if let end = rest.range(of: "```"), let json = try? JSONParser.parse(String(rest[..<end.lowerBound])) { return json }
        }
        guard lenient, let start = trimmed.firstIndex(where: { $0 == "{" || $0 == "[" }),
              let end = trimmed.lastIndex(where: { $0 == "}" || $0 == "]" }), start < end
        else { return nil }
        return try? JSONParser.parse(String(trimmed[start...end]))
    }
}
