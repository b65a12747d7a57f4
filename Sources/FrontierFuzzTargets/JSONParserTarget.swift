import FrontierCore
import FrontierProviders

extension FuzzTarget {
    /// The request body parser: never traps, and what it accepts survives a round trip. Read as an
    /// upstream's chat answer, the bytes spliced to conform parse to the answer rebuilt to conform.
    public static let jsonParser = FuzzTarget(name: "json-parser") { bytes in
        guard let value = try? JSONParser.parse(bytes) else { return }
        let again = try? JSONParser.parse(value.serialized())
        precondition(again == value, "serialize-then-parse changed the value")
        precondition((try? JSONParser.parse(value.canonicalSerialized())) == value, "canonical bytes parse to another value")
        if let object = value.objectValue, let choices = object["choices"]?.arrayValue {
            let spliced = try? JSONParser.parse(AnswerConformance.conforming(Array(bytes), json: value))
            let rebuilt = try? JSONParser.parse(AnswerConformance.reserialized(object, choices))
            precondition(spliced == value || spliced == rebuilt, "the spliced answer differs from the rebuilt one")
        }
    }
}
