public import FrontierCore

/// A chat-completion answer as OpenAI's published schema requires it: llama.cpp and others omit
/// `choices[].logprobs` and `message.refusal` (both required, nullable), which clients generated from
/// that schema reject. The missing fields are spliced into the upstream's bytes at the offsets a skim
/// finds, so the answer is not rebuilt and re-serialized on every request; anything the skim does not
/// account for exactly (escaped or repeated keys, a missing `object`) takes the re-serializing path.
public enum AnswerConformance {
    public static func conforming(_ bytes: [UInt8], json: JSONValue) -> [UInt8] {
        guard let body = json.objectValue, let choices = body["choices"]?.arrayValue else { return bytes }
        var needsLogprobs: [Bool] = []
        var needsRefusal: [Bool] = []
        needsLogprobs.reserveCapacity(choices.count)
        needsRefusal.reserveCapacity(choices.count)
        for choice in choices {
            let object = choice.objectValue
            needsLogprobs.append(object != nil && object?["logprobs"] == nil)
            needsRefusal.append(object?["message"]?.objectValue.map { $0["refusal"] == nil } ?? false)
        }
        guard needsLogprobs.contains(true) || needsRefusal.contains(true) else { return bytes }
        guard body["object"] != nil,
              let openings = ChoiceSkim.openings(in: bytes),
              openings.count == choices.count
        else { return reserialized(body, choices) }
        var inserts: [(offset: Int, text: String)] = []
        for (index, opening) in openings.enumerated() {
            if needsLogprobs[index] { inserts.append((opening.choice, "\"logprobs\":null")) }
            if needsRefusal[index] {
                guard let message = opening.message else { return reserialized(body, choices) }
                inserts.append((message, "\"refusal\":null"))
            }
        }
        return splice(bytes, inserts)
    }

    /// Inserts each text right after an object's `{`, with the comma the object's next member needs.
    static func splice(_ bytes: [UInt8], _ inserts: [(offset: Int, text: String)]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + inserts.count * 20)
        var copied = 0
        for insert in inserts.sorted(by: { $0.offset < $1.offset }) {
            out.append(contentsOf: bytes[copied..<insert.offset])
            out.append(contentsOf: insert.text.utf8)
            var next = insert.offset
            while next < bytes.count, ChoiceSkim.isSpace(bytes[next]) { next += 1 }
            if next < bytes.count, bytes[next] != UInt8(ascii: "}") { out.append(UInt8(ascii: ",")) }
            copied = insert.offset
        }
        out.append(contentsOf: bytes[copied...])
        return out
    }

    /// The slow path, also the reference the splice is fuzzed against: the answer rebuilt with the fields.
    public static func reserialized(_ object: JSONObject, _ choices: [JSONValue]) -> [UInt8] {
        var body = object
        body["choices"] = .array(choices.map { choice in
            guard var choice = choice.objectValue else { return choice }
            if choice["logprobs"] == nil { choice["logprobs"] = .null }
            if var message = choice["message"]?.objectValue, message["refusal"] == nil {
                message["refusal"] = .null
                choice["message"] = .object(message)
            }
            return .object(choice)
        })
        if body["object"] == nil { body["object"] = "chat.completion" }
        return JSONValue.object(body).serialized()
    }
}

/// Where, in JSON already parsed and so known to be valid, each element of the top-level `choices`
/// array opens and where its `message` object opens (the offset just past each `{`). Nil when a key
/// is escaped or repeated at either level, since then the bytes and the parsed value could disagree.
enum ChoiceSkim {
    struct Opening: Equatable {
        var choice: Int
        var message: Int?
    }

    static func openings(in bytes: [UInt8]) -> [Opening]? {
        var cursor = Skimmer(bytes: bytes)
        var found: [Opening]?
        let ok = cursor.members { key, cursor in
            guard key == .choices else { return cursor.skipValue() }
            guard found == nil, cursor.peek == UInt8(ascii: "[") else { return false }
            var openings: [Opening] = []
            let fine = cursor.elements { cursor in
                guard cursor.peek == UInt8(ascii: "{") else {
                    openings.append(Opening(choice: -1, message: nil))
                    return cursor.skipValue()
                }
                var opening = Opening(choice: cursor.index + 1, message: nil)
                let inner = cursor.members { key, cursor in
                    guard key == .message else { return cursor.skipValue() }
                    guard opening.message == nil else { return false }
                    if cursor.peek == UInt8(ascii: "{") { opening.message = cursor.index + 1 }
                    return cursor.skipValue()
                }
                openings.append(opening)
                return inner
            }
            found = openings
            return fine
        }
        guard ok, let found, !found.contains(where: { $0.choice < 0 }) else { return nil }
        return found
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    enum Key {
        case choices, message, other, escaped
    }

    struct Skimmer {
        let bytes: [UInt8]
        var index = 0

        var peek: UInt8? {
            mutating get {
                while index < bytes.count, ChoiceSkim.isSpace(bytes[index]) { index += 1 }
                return index < bytes.count ? bytes[index] : nil
            }
        }

        /// Calls `body` with each member's key, the cursor at its value; `body` must consume the value.
        mutating func members(_ body: (Key, inout Skimmer) -> Bool) -> Bool {
            guard peek == UInt8(ascii: "{") else { return false }
            index += 1
            if peek == UInt8(ascii: "}") { index += 1; return true }
            while true {
                guard peek == UInt8(ascii: "\""), let key = readKey() else { return false }
                guard key != .escaped, peek == UInt8(ascii: ":") else { return false }
                index += 1
                _ = peek
                guard body(key, &self) else { return false }
                switch peek {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "}"): index += 1; return true
                default: return false
                }
            }
        }

        mutating func elements(_ body: (inout Skimmer) -> Bool) -> Bool {
            guard peek == UInt8(ascii: "[") else { return false }
            index += 1
            if peek == UInt8(ascii: "]") { index += 1; return true }
            while true {
                _ = peek
                guard body(&self) else { return false }
                switch peek {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "]"): index += 1; return true
                default: return false
                }
            }
        }

        mutating func readKey() -> Key? {
            let start = index + 1
            guard skipString() else { return nil }
            let key = bytes[start..<(index - 1)]
            if key.contains(UInt8(ascii: "\\")) { return .escaped }
            if key.elementsEqual("choices".utf8) { return .choices }
            if key.elementsEqual("message".utf8) { return .message }
            return .other
        }

        mutating func skipString() -> Bool {
            index += 1
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\\"): index += 2
                case UInt8(ascii: "\""): index += 1; return true
                default: index += 1
                }
            }
            return false
        }

        /// Skips any value; nesting is tracked by a depth count, strings by `skipString`.
        mutating func skipValue() -> Bool {
            guard let first = peek else { return false }
            if first == UInt8(ascii: "\"") { return skipString() }
            guard first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else {
                while index < bytes.count {
                    let byte = bytes[index]
                    if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") || ChoiceSkim.isSpace(byte) { break }
                    index += 1
                }
                return true
            }
            var depth = 0
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    guard skipString() else { return false }
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { index += 1; return true }
                default:
                    break
                }
                index += 1
            }
            return false
        }
    }
}
