/// Checks the JSON type of optional fields before a body is translated or
/// forwarded: a field of the wrong type is refused by name, never passed on
/// (an upstream may read it differently) nor silently dropped.
public enum FieldTypes {
    public enum Kind: Sendable {
        case string, bool, object, array, integer, number

        var name: String {
            switch self {
            case .string: "a string"
            case .bool: "true or false"
            case .object: "an object"
            case .array: "an array"
            case .integer: "an integer"
            case .number: "a number"
            }
        }

        func matches(_ value: JSONValue) -> Bool {
            switch (self, value) {
            case (.string, .string), (.bool, .bool), (.object, .object), (.array, .array), (.integer, .int), (.number, .int), (.number, .double): true
            default: false
            }
        }
    }

    /// A request body that must be an object of known fields only: `api` names the protocol in the error.
    public static func object(_ json: JSONValue, knownFields: Set<String>, api: String) throws(RequestValidationError) -> JSONObject {
        guard let body = json.objectValue else {
            throw RequestValidationError(param: nil, message: "The request body must be a JSON object, got \(json.typeDescription).")
        }
        if let unknown = body.keys.first(where: { !knownFields.contains($0) }) {
            throw RequestValidationError(param: unknown, message: "'\(unknown)' is not a\(api.first.map { "AEIOU".contains($0) } == true ? "n" : "") \(api) field Frontier supports; remove it.")
        }
        return body
    }

    /// Throws for the first field present, not null, and not of its kind.
    public static func check(_ body: JSONObject, _ expected: KeyValuePairs<String, Kind>, prefix: String = "") throws(RequestValidationError) {
        for (field, kind) in expected {
            guard let value = body[field], !value.isNull, !kind.matches(value) else { continue }
            throw RequestValidationError(param: prefix + field, message: "'\(prefix + field)' must be \(kind.name), got \(value.typeDescription).")
        }
    }
}
