/// Checks a JSON value against a JSON Schema: the subset that structured-output
/// schemas use (type, properties, required, additionalProperties, items,
/// enum, const, numeric and length bounds, minItems/maxItems, anyOf, allOf,
/// oneOf). Unknown keywords are ignored, as the specification says.
///
/// ```swift
/// JSONSchemaValidator.violations(of: value, against: schema)  // [] when it conforms
/// // ["$.age: expected integer, got string", "$: missing required property 'name'"]
/// ```
public enum JSONSchemaValidator {
    public static func violations(of value: JSONValue, against schema: JSONValue) -> [String] {
        var out: [String] = []
        check(value, schema, "$", &out)
        return out
    }

    private static func check(_ value: JSONValue, _ schema: JSONValue, _ path: String, _ out: inout [String]) {
        if case .bool(let allowed) = schema {
            if !allowed { out.append("\(path): no value is allowed here") }
            return
        }
        guard let s = schema.objectValue else { return }
        if let type = s["type"] {
            let types = type.arrayValue?.compactMap(\.stringValue) ?? type.stringValue.map { [$0] } ?? []
            if !types.isEmpty, !types.contains(where: { matches(value, type: $0) }) {
                out.append("\(path): expected \(types.joined(separator: " or ")), got \(typeName(value))")
                return
            }
        }
        if let options = s["enum"]?.arrayValue, !options.contains(where: { equal($0, value) }) {
            out.append("\(path): \(value.jsonString) is not one of \(JSONValue.array(options).jsonString)")
        }
        if let constant = s["const"], !equal(constant, value) {
            out.append("\(path): must be \(constant.jsonString)")
        }
        if let number = value.doubleValue, value.boolValue == nil {
            if let min = s["minimum"]?.doubleValue, number < min { out.append("\(path): \(number) is below the minimum \(min)") }
            if let max = s["maximum"]?.doubleValue, number > max { out.append("\(path): \(number) is above the maximum \(max)") }
            if let min = s["exclusiveMinimum"]?.doubleValue, number <= min { out.append("\(path): \(number) must be above \(min)") }
            if let max = s["exclusiveMaximum"]?.doubleValue, number >= max { out.append("\(path): \(number) must be below \(max)") }
        }
        if let string = value.stringValue {
            let length = string.count
            if let min = s["minLength"]?.intValue, length < min { out.append("\(path): shorter than \(min) characters") }
            if let max = s["maxLength"]?.intValue, length > max { out.append("\(path): longer than \(max) characters") }
        }
        if let items = value.arrayValue {
            if let min = s["minItems"]?.intValue, items.count < min { out.append("\(path): fewer than \(min) items") }
            if let max = s["maxItems"]?.intValue, items.count > max { out.append("\(path): more than \(max) items") }
            if let itemSchema = s["items"] {
                for (n, item) in items.enumerated() { check(item, itemSchema, "\(path)[\(n)]", &out) }
            }
        }
        if let object = value.objectValue {
            let properties = s["properties"]?.objectValue ?? [:]
            for name in s["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[name] == nil {
                out.append("\(path): missing required property '\(name)'")
            }
            for (name, item) in object.sorted(by: { $0.key < $1.key }) {
                if let propertySchema = properties[name] {
                    check(item, propertySchema, "\(path).\(name)", &out)
                } else if let additional = s["additionalProperties"] {
                    if additional.boolValue == false {
                        out.append("\(path): property '\(name)' is not allowed")
                    } else if additional.objectValue != nil {
                        check(item, additional, "\(path).\(name)", &out)
                    }
                }
            }
        }
        if let all = s["allOf"]?.arrayValue {
            for sub in all { check(value, sub, path, &out) }
        }
        if let any = s["anyOf"]?.arrayValue, !any.contains(where: { violations(of: value, against: $0).isEmpty }) {
            out.append("\(path): matches none of the anyOf schemas")
        }
        if let one = s["oneOf"]?.arrayValue {
            let matching = one.filter { violations(of: value, against: $0).isEmpty }.count
            if matching != 1 { out.append("\(path): matches \(matching) of the oneOf schemas, not exactly one") }
        }
    }

    private static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object): true
        case ("number", .int), ("number", .double), ("integer", .int): true
        case ("integer", .double(let d)): d.rounded() == d
        default: false
        }
    }

    private static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// JSON equality, where 1 and 1.0 are the same number.
    private static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        if let x = a.doubleValue, let y = b.doubleValue, a.boolValue == nil, b.boolValue == nil { return x == y }
        return a == b
    }
}
