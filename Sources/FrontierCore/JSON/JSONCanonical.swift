extension JSONValue {
    /// A canonical encoding: compact, object keys sorted by their UTF-8 bytes.
    /// The same value always gives the same bytes (the ledger hashes them).
    public func canonicalSerialized() -> [UInt8] {
        var out: [UInt8] = []
        writeCanonical(to: &out)
        return out
    }

    public func writeCanonical(to out: inout [UInt8]) {
        switch self {
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (n, item) in items.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                item.writeCanonical(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (n, key) in members.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                JSONValue.writeString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                members[key]?.writeCanonical(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        default:
            write(to: &out)
        }
    }
}

/// Writes a canonical JSON object field by field, for types that know their
/// keys: the caller gives them in sorted order (checked in tests against
/// ``JSONValue/canonicalSerialized()``), so no dictionary is built or sorted.
public struct CanonicalObjectWriter {
    public private(set) var bytes: [UInt8] = [UInt8(ascii: "{")]
    private var first = true

    public init(capacity: Int = 512) {
        bytes.reserveCapacity(capacity)
    }

    private mutating func key(_ name: StaticString) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    public mutating func field(_ name: StaticString, _ value: String) {
        key(name)
        JSONValue.writeString(value, to: &bytes)
    }

    public mutating func field(_ name: StaticString, _ value: Int64) {
        key(name)
        JSONValue.int(value).write(to: &bytes)
    }

    public mutating func field(_ name: StaticString, _ value: Double) {
        key(name)
        JSONValue.double(value).write(to: &bytes)
    }

    public mutating func field(_ name: StaticString, _ value: JSONValue) {
        key(name)
        value.writeCanonical(to: &bytes)
    }

    /// A nested value written by the caller (an object or array of its own).
    public mutating func field(_ name: StaticString, raw: [UInt8]) {
        key(name)
        bytes.append(contentsOf: raw)
    }

    public mutating func finish() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }
}
