import FrontierCore

extension FuzzTarget {
    /// The request body parser: never traps, and what it accepts survives a round trip.
    public static let jsonParser = FuzzTarget(name: "json-parser") { bytes in
        guard let value = try? JSONParser.parse(bytes) else { return }
        let again = try? JSONParser.parse(value.serialized())
        precondition(again == value, "serialize-then-parse changed the value")
        precondition((try? JSONParser.parse(value.canonicalSerialized())) == value, "canonical bytes parse to another value")
    }
}
