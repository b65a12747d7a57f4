import OrderedCollections

/// A JSON object's members in the order they were written, so a
/// `response_format` or `tools` schema reaches the upstream in the client's
/// order (structured outputs emit fields in schema order). Lookups are
/// hashed; equality ignores the order, as JSON does.
///
/// A thin wrapper over swift-collections' `OrderedDictionary`, so modules
/// using JSON need not import that package.
public struct JSONObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public typealias Element = (key: String, value: JSONValue)
    private var members: OrderedDictionary<String, JSONValue>

    public init() {
        members = [:]
    }

    public init(minimumCapacity: Int) {
        members = OrderedDictionary(minimumCapacity: minimumCapacity)
    }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        members = OrderedDictionary(elements, uniquingKeysWith: { _, last in last })
    }

    /// Members in the given order; a repeated key keeps its first position and its last value.
    public init(_ elements: some Sequence<(String, JSONValue)>) {
        members = OrderedDictionary(elements, uniquingKeysWith: { _, last in last })
    }

    public subscript(key: String) -> JSONValue? {
        get { members[key] }
        set { members[key] = newValue }
    }

    public subscript(key: String, default value: @autoclosure () -> JSONValue) -> JSONValue {
        get { members[key] ?? value() }
        set { members[key] = newValue }
    }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }
    public var keys: [String] { Array(members.keys) }
    public var values: [JSONValue] { Array(members.values) }

    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        members.removeValue(forKey: key)
    }

    public func mapValues(_ transform: (JSONValue) throws -> JSONValue) rethrows -> JSONObject {
        var out = self
        out.members = try members.mapValues(transform)
        return out
    }

    public func makeIterator() -> some IteratorProtocol<Element> {
        members.lazy.map { (key: $0.key, value: $0.value) }.makeIterator()
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.count == rhs.count && lhs.members.allSatisfy { key, value in rhs.members[key] == value }
    }

    public func hash(into hasher: inout Hasher) {
        // Order-independent, to agree with ==.
        var sum = 0
        for (key, value) in members {
            var member = Hasher()
            member.combine(key)
            member.combine(value)
            sum &+= member.finalize()
        }
        hasher.combine(members.count)
        hasher.combine(sum)
    }
}
