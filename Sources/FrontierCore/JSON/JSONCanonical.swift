extension JSONValue {
    /// A canonical encoding: compact, object keys sorted by their UTF-8 bytes.
    /// The same value always gives the same bytes (the ledger hashes them).
    public func canonicalSerialized() -> [UInt8] {
        var out: [UInt8] = []
        writeCanonical(to: &out)
        return out
    }

    private func writeCanonical(to out: inout [UInt8]) {
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
