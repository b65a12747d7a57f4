import Yams

/// Reads a YAML mapping field by field, naming the file, the context
/// (e.g. "model 'gpt-4o'") and the line of anything wrong.
struct NodeReader {
    let file: String
    let context: String
    let mapping: Node.Mapping
    let known: Set<String>
    let prefix: String

    init(file: String, context: String, node: Node, known: Set<String>, prefix: String = "") throws(ConfigError) {
        self.file = file
        self.context = context
        self.known = known
        self.prefix = prefix
        guard let mapping = node.mapping else {
            throw ConfigError("\(file)\(Self.line(node)): \(context)\(prefix.isEmpty ? "" : " field '\(prefix.dropLast())'") must be a mapping of fields.")
        }
        self.mapping = mapping
        for key in mapping.keys {
            let name = key.string ?? ""
            if !known.contains(name) {
                throw ConfigError(
                    "\(file)\(Self.line(key)): \(context): unknown field '\(prefix)\(name)'. Known fields: \(known.sorted().joined(separator: ", ")).")
            }
        }
    }

    static func line(_ node: Node) -> String {
        node.mark.map { ":\($0.line)" } ?? ""
    }

    func fail(_ key: String, _ problem: String) -> ConfigError {
        let node = mapping[key]
        return ConfigError("\(file)\(node.map(Self.line) ?? ""): \(context): field '\(prefix)\(key)' \(problem)")
    }

    func node(_ key: String) -> Node? {
        guard let node = mapping[key] else { return nil }
        if case .scalar(let scalar) = node, scalar.string == "~" || scalar.string == "null" || (scalar.string.isEmpty && scalar.style == .plain) {
            return nil
        }
        return node
    }

    func string(_ key: String) throws(ConfigError) -> String? {
        guard let node = node(key) else { return nil }
        guard case .scalar(let scalar) = node else { throw fail(key, "must be a string.") }
        return scalar.string
    }

    func requiredString(_ key: String) throws(ConfigError) -> String {
        guard let value = try string(key), !value.isEmpty else { throw fail(key, "is required.") }
        return value
    }

    func double(_ key: String, minimum: Double = 0, maximum: Double = 1e12) throws(ConfigError) -> Double? {
        guard let node = node(key) else { return nil }
        guard let value = node.float ?? node.int.map(Double.init), value.isFinite else {
            throw fail(key, "must be a number, got '\(node.string ?? "a \(node.kindName)")'.")
        }
        guard value >= minimum else { throw fail(key, "must be at least \(minimum), got \(value).") }
        guard value <= maximum else { throw fail(key, "must be at most \(maximum), got \(value).") }
        return value
    }

    func bool(_ key: String) throws(ConfigError) -> Bool? {
        guard let node = node(key) else { return nil }
        guard let value = node.bool else { throw fail(key, "must be true or false, got '\(node.string ?? "a \(node.kindName)")'.") }
        return value
    }

    /// A whole number within `minimum...maximum`. The default ceiling (a billion) keeps every
    /// count and millisecond figure far from overflow when it becomes nanoseconds or a sum.
    func int(_ key: String, minimum: Int = 0, maximum: Int = 1_000_000_000) throws(ConfigError) -> Int? {
        guard let node = node(key) else { return nil }
        guard let value = node.int else { throw fail(key, "must be a whole number, got '\(node.string ?? "a \(node.kindName)")'.") }
        guard value >= minimum else { throw fail(key, "must be at least \(minimum), got \(value).") }
        guard value <= maximum else { throw fail(key, "must be at most \(maximum), got \(value).") }
        return value
    }

    func stringList(_ key: String) throws(ConfigError) -> [String]? {
        guard let node = node(key) else { return nil }
        guard let sequence = node.sequence else { throw fail(key, "must be a list of strings.") }
        var values: [String] = []
        for item in sequence {
            guard let text = item.string else { throw fail(key, "must be a list of strings.") }
            values.append(text)
        }
        return values
    }

    func stringMap(_ key: String) throws(ConfigError) -> [String: String] {
        guard let node = node(key) else { return [:] }
        guard let mapping = node.mapping else { throw fail(key, "must be a mapping of names to strings.") }
        var values: [String: String] = [:]
        for (name, value) in mapping {
            guard let name = name.string, let text = value.string else { throw fail(key, "must be a mapping of names to strings.") }
            values[name] = text
        }
        return values
    }

    func nested(_ key: String, known: Set<String>) throws(ConfigError) -> NodeReader? {
        guard let node = node(key) else { return nil }
        return try NodeReader(file: file, context: context, node: node, known: known, prefix: prefix + key + ".")
    }
}

extension Node {
    var kindName: String {
        switch self {
        case .scalar: return "scalar"
        case .mapping: return "mapping"
        case .sequence: return "list"
        case .alias: return "alias"
        }
    }
}
