/// A JSON Schema, checked once and then used to validate values: the subset
/// structured-output schemas use, as OpenAI's, Pydantic's and Zod's emitters
/// write them.
///
/// Supported: `type`, `enum`, `const`, numeric bounds and `multipleOf`,
/// `minLength`/`maxLength`/`pattern`, `items`/`prefixItems`/`minItems`/
/// `maxItems`/`uniqueItems`, `properties`/`required`/`additionalProperties`/
/// `patternProperties`/`minProperties`/`maxProperties`, `allOf`/`anyOf`/
/// `oneOf`/`not`, local `$ref` (`#`, `#/$defs/...`, `#/definitions/...`, any
/// JSON pointer into the document) with `$defs`/`definitions`, OpenAPI's
/// `nullable`, and the annotations (`title`, `description`, `default`,
/// `examples`, `format`, `$schema`, `$id`, `$comment`, ...), which assert
/// nothing. Any other keyword is refused when the schema is made: a check
/// that silently passes what it cannot check is worse than none.
///
/// ```swift
/// let schema = try JSONSchema(parsedSchema)
/// schema.violations(of: answer)   // [] when it conforms
/// // ["$.age: expected integer, got string", "$: missing required property 'name'"]
/// ```
public struct JSONSchema: Sendable, Equatable {
    public let root: JSONValue
    /// Compiled `pattern` and `patternProperties` keys.
    private let patterns: [String: CompiledPattern]

    /// Checks every keyword of `schema`; throws naming the first one not supported, or a `$ref` that points nowhere.
    public init(_ schema: JSONValue) throws(JSONSchemaError) {
        var patterns: [String: CompiledPattern] = [:]
        try Self.inspect(schema, at: "$", root: schema, patterns: &patterns)
        self.root = schema
        self.patterns = patterns
    }

    /// Two schemas are equal when their documents are.
    public static func == (lhs: JSONSchema, rhs: JSONSchema) -> Bool { lhs.root == rhs.root }

    public func violations(of value: JSONValue) -> [String] {
        var out: [String] = []
        check(value, root, "$", refDepth: 0, &out)
        return out
    }

    static let assertions: Set<String> = [
        "type", "enum", "const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
        "minLength", "maxLength", "pattern", "items", "prefixItems", "minItems", "maxItems", "uniqueItems",
        "properties", "required", "additionalProperties", "patternProperties", "minProperties", "maxProperties",
        "allOf", "anyOf", "oneOf", "not", "$ref", "$defs", "definitions", "nullable",
    ]
    static let annotations: Set<String> = [
        "$schema", "$id", "$comment", "$anchor", "title", "description", "default", "examples", "example", "format",
        "deprecated", "readOnly", "writeOnly", "contentEncoding", "contentMediaType", "discriminator", "propertyOrdering",
    ]

    /// Walks the schema once: every keyword known, every `$ref` resolvable, every pattern compiled.
    private static func inspect(_ schema: JSONValue, at path: String, root: JSONValue, patterns: inout [String: CompiledPattern]) throws(JSONSchemaError) {
        if case .bool = schema { return }
        guard let s = schema.objectValue else { throw JSONSchemaError(path: path, message: "a schema must be an object or a boolean") }
        for (key, value) in s {
            guard assertions.contains(key) || annotations.contains(key) else {
                throw JSONSchemaError(path: path, message: "the keyword '\(key)' is not supported by Frontier's validator, so the answer could not be checked against it")
            }
            switch key {
            case "properties", "patternProperties", "$defs", "definitions":
                guard let members = value.objectValue else { throw JSONSchemaError(path: "\(path).\(key)", message: "must be an object of schemas") }
                for (name, sub) in members {
                    if key == "patternProperties" { patterns[name] = try CompiledPattern(name, at: "\(path).\(key)") }
                    try inspect(sub, at: "\(path).\(key).\(name)", root: root, patterns: &patterns)
                }
            case "items", "additionalProperties", "not":
                if case .array(let tuple) = value, key == "items" {
                    for (n, sub) in tuple.enumerated() { try inspect(sub, at: "\(path).items[\(n)]", root: root, patterns: &patterns) }
                } else {
                    try inspect(value, at: "\(path).\(key)", root: root, patterns: &patterns)
                }
            case "prefixItems", "allOf", "anyOf", "oneOf":
                guard let list = value.arrayValue, !list.isEmpty else { throw JSONSchemaError(path: "\(path).\(key)", message: "must be a non-empty array of schemas") }
                for (n, sub) in list.enumerated() { try inspect(sub, at: "\(path).\(key)[\(n)]", root: root, patterns: &patterns) }
            case "pattern":
                guard let text = value.stringValue else { throw JSONSchemaError(path: "\(path).pattern", message: "must be a string") }
                patterns[text] = try CompiledPattern(text, at: "\(path).pattern")
            case "$ref":
                guard let reference = value.stringValue else { throw JSONSchemaError(path: "\(path).$ref", message: "must be a string") }
                guard resolve(reference, in: root) != nil else {
                    throw JSONSchemaError(path: "\(path).$ref", message: "'\(reference)' does not point into this schema (only local references, '#...', are supported)")
                }
            case "required", "enum":
                guard value.arrayValue != nil else { throw JSONSchemaError(path: "\(path).\(key)", message: "must be an array") }
            case "type":
                let names = value.arrayValue?.compactMap(\.stringValue) ?? value.stringValue.map { [$0] } ?? []
                let known: Set<String> = ["null", "boolean", "string", "number", "integer", "array", "object"]
                guard !names.isEmpty, names.allSatisfy(known.contains) else {
                    throw JSONSchemaError(path: "\(path).type", message: "must be one of null, boolean, string, number, integer, array, object (or a list of them)")
                }
            case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties":
                guard value.doubleValue != nil || (key.hasPrefix("exclusive") && value.boolValue != nil) else {
                    throw JSONSchemaError(path: "\(path).\(key)", message: "must be a number")
                }
            default:
                break
            }
        }
    }

    /// The schema a local reference points to: `#`, or a JSON pointer after `#` (`~0` is `~`, `~1` is `/`).
    static func resolve(_ reference: String, in root: JSONValue) -> JSONValue? {
        guard reference.hasPrefix("#") else { return nil }
        let pointer = reference.dropFirst()
        guard !pointer.isEmpty else { return root }
        guard pointer.hasPrefix("/") else { return nil }
        var node = root
        for raw in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let token = raw.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
                .replacingOccurrences(of: "%24", with: "$")
            if let object = node.objectValue, let next = object[token] {
                node = next
            } else if let items = node.arrayValue, let index = Int(token), items.indices.contains(index) {
                node = items[index]
            } else {
                return nil
            }
        }
        return node
    }

    /// Nested `$ref`s followed without the value getting any deeper: past this, the schema loops.
    static let maximumReferenceDepth = 64

    private func check(_ value: JSONValue, _ schema: JSONValue, _ path: String, refDepth: Int, _ out: inout [String]) {
        if case .bool(let allowed) = schema {
            if !allowed { out.append("\(path): no value is allowed here") }
            return
        }
        guard let s = schema.objectValue else { return }
        if let reference = s["$ref"]?.stringValue, let target = Self.resolve(reference, in: root) {
            guard refDepth < Self.maximumReferenceDepth else {
                out.append("\(path): the schema's $ref '\(reference)' refers to itself without end")
                return
            }
            check(value, target, path, refDepth: refDepth + 1, &out)
        }
        if case .null = value, s["nullable"]?.boolValue == true { return }
        if let type = s["type"] {
            let types = type.arrayValue?.compactMap(\.stringValue) ?? type.stringValue.map { [$0] } ?? []
            if !types.isEmpty, !types.contains(where: { Self.matches(value, type: $0) }) {
                out.append("\(path): expected \(types.joined(separator: " or ")), got \(Self.typeName(value))")
                return
            }
        }
        if let options = s["enum"]?.arrayValue, !options.contains(where: { Self.equal($0, value) }) {
            out.append("\(path): \(value.jsonString) is not one of \(JSONValue.array(options).jsonString)")
        }
        if let constant = s["const"], !Self.equal(constant, value) {
            out.append("\(path): must be \(constant.jsonString)")
        }
        if let number = value.doubleValue, value.boolValue == nil { checkNumber(number, s, path, &out) }
        if let string = value.stringValue { checkString(string, s, path, &out) }
        if let items = value.arrayValue { checkArray(items, s, path, refDepth: refDepth, &out) }
        if let object = value.objectValue { checkObject(object, s, path, &out) }
        if let all = s["allOf"]?.arrayValue {
            for sub in all { check(value, sub, path, refDepth: refDepth, &out) }
        }
        if let any = s["anyOf"]?.arrayValue, !any.contains(where: { conforms(value, $0, refDepth) }) {
            out.append("\(path): matches none of the anyOf schemas")
        }
        if let one = s["oneOf"]?.arrayValue {
            let matching = one.filter { conforms(value, $0, refDepth) }.count
            if matching != 1 { out.append("\(path): matches \(matching) of the oneOf schemas, not exactly one") }
        }
        if let not = s["not"], conforms(value, not, refDepth) {
            out.append("\(path): matches a schema it must not (not)")
        }
    }

    private func conforms(_ value: JSONValue, _ schema: JSONValue, _ refDepth: Int) -> Bool {
        var out: [String] = []
        check(value, schema, "$", refDepth: refDepth, &out)
        return out.isEmpty
    }

    private func checkNumber(_ number: Double, _ s: JSONObject, _ path: String, _ out: inout [String]) {
        if let min = s["minimum"]?.doubleValue, number < min { out.append("\(path): \(number) is below the minimum \(min)") }
        if let max = s["maximum"]?.doubleValue, number > max { out.append("\(path): \(number) is above the maximum \(max)") }
        // Draft 4 wrote exclusiveMinimum/Maximum as booleans beside minimum/maximum.
        if s["exclusiveMinimum"]?.boolValue == true, let min = s["minimum"]?.doubleValue, number <= min { out.append("\(path): \(number) must be above \(min)") }
        if s["exclusiveMaximum"]?.boolValue == true, let max = s["maximum"]?.doubleValue, number >= max { out.append("\(path): \(number) must be below \(max)") }
        if let min = s["exclusiveMinimum"]?.doubleValue, s["exclusiveMinimum"]?.boolValue == nil, number <= min { out.append("\(path): \(number) must be above \(min)") }
        if let max = s["exclusiveMaximum"]?.doubleValue, s["exclusiveMaximum"]?.boolValue == nil, number >= max { out.append("\(path): \(number) must be below \(max)") }
        if let step = s["multipleOf"]?.doubleValue, step > 0 {
            let quotient = number / step
            if quotient.isFinite, abs(quotient - quotient.rounded()) > 1e-9 { out.append("\(path): \(number) is not a multiple of \(step)") }
        }
    }

    private func checkString(_ string: String, _ s: JSONObject, _ path: String, _ out: inout [String]) {
        // Lengths count code points, as JSON Schema does.
        let length = string.unicodeScalars.count
        if let min = s["minLength"]?.intValue, length < min { out.append("\(path): shorter than \(min) characters") }
        if let max = s["maxLength"]?.intValue, length > max { out.append("\(path): longer than \(max) characters") }
        if let pattern = s["pattern"]?.stringValue, let regex = patterns[pattern], !regex.matches(string) {
            out.append("\(path): does not match the pattern \(pattern)")
        }
    }

    private func checkArray(_ items: [JSONValue], _ s: JSONObject, _ path: String, refDepth: Int, _ out: inout [String]) {
        if let min = s["minItems"]?.intValue, items.count < min { out.append("\(path): fewer than \(min) items") }
        if let max = s["maxItems"]?.intValue, items.count > max { out.append("\(path): more than \(max) items") }
        let prefix = s["prefixItems"]?.arrayValue ?? s["items"]?.arrayValue ?? []
        for (n, item) in items.enumerated() {
            if n < prefix.count {
                check(item, prefix[n], "\(path)[\(n)]", refDepth: 0, &out)
            } else if let itemSchema = s["items"], itemSchema.arrayValue == nil {
                check(item, itemSchema, "\(path)[\(n)]", refDepth: 0, &out)
            }
        }
        if s["uniqueItems"]?.boolValue == true {
            for i in items.indices where items[(i + 1)...].contains(where: { Self.equal($0, items[i]) }) {
                out.append("\(path): item \(i) is repeated (uniqueItems)")
                break
            }
        }
    }

    private func checkObject(_ object: JSONObject, _ s: JSONObject, _ path: String, _ out: inout [String]) {
        let properties = s["properties"]?.objectValue ?? [:]
        let patternProperties = s["patternProperties"]?.objectValue ?? [:]
        for name in s["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[name] == nil {
            out.append("\(path): missing required property '\(name)'")
        }
        if let min = s["minProperties"]?.intValue, object.count < min { out.append("\(path): fewer than \(min) properties") }
        if let max = s["maxProperties"]?.intValue, object.count > max { out.append("\(path): more than \(max) properties") }
        for (name, item) in object.sorted(by: { $0.key < $1.key }) {
            var matched = false
            if let propertySchema = properties[name] {
                matched = true
                check(item, propertySchema, "\(path).\(name)", refDepth: 0, &out)
            }
            for (pattern, sub) in patternProperties where patterns[pattern]?.matches(name) == true {
                matched = true
                check(item, sub, "\(path).\(name)", refDepth: 0, &out)
            }
            guard !matched, let additional = s["additionalProperties"] else { continue }
            if additional.boolValue == false {
                out.append("\(path): property '\(name)' is not allowed")
            } else if additional.objectValue != nil {
                check(item, additional, "\(path).\(name)", refDepth: 0, &out)
            }
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

/// A schema Frontier cannot check: where in it, and why.
public struct JSONSchemaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where in the schema, as `$.properties.name.pattern`.
    public var path: String
    public var message: String

    public var description: String { "\(path): \(message)" }
}
