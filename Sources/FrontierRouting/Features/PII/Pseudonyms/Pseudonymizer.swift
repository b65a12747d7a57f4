import Foundation
public import FrontierCore

/// Replaces every sensitive value a request sends with a placeholder of its category (`<PERSON_1>`, `<MRN_1>`)
/// for a model outside the request's privacy zone, and puts the values back into that model's answer
/// (`privacy.on_violation: pseudonymize`). The same value gets the same placeholder everywhere in the request, its
/// earlier turns included, so the model can still tell two patients apart. The mapping lives in this value only:
/// one request's memory, never logged or stored.
///
/// Masking is proven, not assumed: the masked request is scanned again, and where anything sensitive is left (a
/// value split across two fields, one inside an encoded data URL) or the request carries content that cannot
/// be scanned, ``mask(_:detector:)`` returns nil and the request stays in its zone.
public struct Pseudonymizer: Sendable {
    /// Placeholder -> the value it stands for.
    public private(set) var values: [String: String] = [:]
    private var placeholders: [String: String] = [:]
    private var next: [String: Int] = [:]
    /// How many distinct values of each category were replaced (the ledger's record: never the values).
    public private(set) var counts: [PIICategory: Int] = [:]

    /// The longest placeholder written; the stream restorer holds back at most this much.
    public static let maxPlaceholderBytes = 48

    public init() {}

    /// The placeholder label of a category: a short upper-case word (`medical_record_number` -> `MRN`).
    public static func label(_ category: PIICategory) -> String {
        switch category {
        case .personName: return "PERSON"
        case .medicalRecordNumber: return "MRN"
        case .email: return "EMAIL"
        case .phone: return "PHONE"
        case .nationalID: return "SSN"
        case .creditCard: return "CARD"
        case .dateOfBirth: return "DOB"
        case .postalAddress: return "ADDRESS"
        case .ipAddress: return "IP"
        case .iban: return "IBAN"
        default: return String(category.rawValue.uppercased().prefix(32))
        }
    }

    /// `request` with every value `detector` finds replaced, or nil when it cannot be masked safely.
    public mutating func mask(_ request: ChatRequest, detector: PIIDetector) -> ChatRequest? {
        let content = SentContent(request)
        guard content.unscannable.isEmpty else { return nil }
        let text = content.joined().text
        let bytes = Array(text.utf8)
        for finding in detector.findings(in: text) {
            let range = finding.utf8Range.clamped(to: 0..<bytes.count)
            let value = String(decoding: bytes[range], as: UTF8.self)
            // A value that crosses the line break joining two fields is not in any one field: the rescan refuses it.
            guard !value.isEmpty, placeholders[value] == nil else { continue }
            let label = Self.label(finding.category)
            var placeholder: String
            repeat {
                let n = next[label, default: 0] + 1
                next[label] = n
                placeholder = "<\(label)_\(n)>"
            } while text.contains(placeholder)  // a placeholder the request already holds would restore wrongly
            placeholders[value] = placeholder
            values[placeholder] = value
            counts[finding.category, default: 0] += 1
        }
        guard !placeholders.isEmpty else { return request }
        // By first byte, longest first: a value inside another ("Jane" in "Jane Doe") does not split the longer one.
        var byFirstByte: [UInt8: [[UInt8]]] = [:]
        for value in placeholders.keys { byFirstByte[value.utf8.first ?? 0, default: []].append(Array(value.utf8)) }
        for key in byFirstByte.keys { byFirstByte[key]?.sort { $0.count > $1.count } }
        var body = request.body
        for (key, value) in request.body where !SentContent.skippedKeys.contains(key) {
            body[key] = replace(in: value, byFirstByte)
        }
        guard var masked = try? ChatRequest(json: .object(body)) else { return nil }
        // The client's native body is not sent: the provider translates the masked one.
        masked.native = nil
        // The proof: nothing sensitive is left in what the model would read.
        let rescan = SentContent(masked)
        guard rescan.unscannable.isEmpty else { return nil }
        let left = detector.findings(in: rescan.joined().text)
        let maskedText = Array(rescan.joined().text.utf8)
        for finding in left {
            let value = String(decoding: maskedText[finding.utf8Range.clamped(to: 0..<maskedText.count)], as: UTF8.self)
            if values[value] == nil { return nil }
        }
        return masked
    }

    private func replace(in value: JSONValue, _ values: [UInt8: [[UInt8]]]) -> JSONValue {
        switch value {
        case .string(let text):
            return .string(replace(in: text, values))
        case .array(let items):
            return .array(items.map { replace(in: $0, values) })
        case .object(let members):
            var out = JSONObject(minimumCapacity: members.count)
            for (key, item) in members { out[key] = replace(in: item, values) }
            return .object(out)
        case .int, .double, .bool, .null:
            return value
        }
    }

    /// One pass over `text`: what was replaced is never read again, so no value is found inside a placeholder.
    private func replace(in text: String, _ values: [UInt8: [[UInt8]]]) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var i = 0, copied = 0
        while i < bytes.count {
            if let candidates = values[bytes[i]],
               let value = candidates.first(where: { i + $0.count <= bytes.count && bytes[i..<(i + $0.count)].elementsEqual($0) }),
               let placeholder = placeholders[String(decoding: value, as: UTF8.self)] {
                if out.isEmpty { out.reserveCapacity(bytes.count) }
                out.append(contentsOf: bytes[copied..<i])
                out.append(contentsOf: placeholder.utf8)
                i += value.count
                copied = i
                continue
            }
            i += 1
        }
        guard copied > 0 else { return text }
        out.append(contentsOf: bytes[copied...])
        return String(decoding: out, as: UTF8.self)
    }

    /// `text` with every placeholder of this request replaced by its value; `jsonString`: the value escaped for
    /// the inside of a JSON string (a tool call's arguments are JSON in a string).
    public func restore(_ text: String, jsonString: Bool = false) -> String {
        guard !values.isEmpty, text.utf8.contains(UInt8(ascii: "<")) else { return text }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "<"), let end = Self.placeholderEnd(bytes, from: i),
               let value = values[String(decoding: bytes[i..<end], as: UTF8.self)] {
                if jsonString {
                    let quoted = JSONValue.string(value).serialized()
                    out.append(contentsOf: quoted.dropFirst().dropLast())
                } else {
                    out.append(contentsOf: value.utf8)
                }
                i = end
                continue
            }
            out.append(bytes[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Where a placeholder starting at `start` (a `<`) ends, past its `>`: `<`, upper-case letters, digits and
    /// `_`, `>`; nil when the bytes there are not one.
    static func placeholderEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var j = start + 1
        while j < bytes.count, j - start < maxPlaceholderBytes, isPlaceholderByte(bytes[j]) { j += 1 }
        guard j < bytes.count, bytes[j] == UInt8(ascii: ">"), j > start + 1 else { return nil }
        return j + 1
    }

    static func isPlaceholderByte(_ b: UInt8) -> Bool { ASCII.isUpper(b) || ASCII.isDigit(b) || b == UInt8(ascii: "_") }
}

/// Restores placeholders in a stream of text pieces (one choice's content deltas, or one tool call's argument
/// deltas): a placeholder split across pieces (`<PERS` then `ON_1>`) is held back until it is whole, so the
/// client never sees half of one, and at most ``Pseudonymizer/maxPlaceholderBytes`` are ever held.
public struct PlaceholderStream: Sendable {
    private let pseudonyms: Pseudonymizer
    private let jsonString: Bool
    private var pending: [UInt8] = []

    public init(_ pseudonyms: Pseudonymizer, jsonString: Bool = false) {
        self.pseudonyms = pseudonyms
        self.jsonString = jsonString
    }

    /// The restored text that can be sent now.
    public mutating func feed(_ piece: String) -> String {
        pending.append(contentsOf: piece.utf8)
        // Hold back from the last '<' whose tail could still become a placeholder.
        var cut = pending.count
        if let open = pending.lastIndex(of: UInt8(ascii: "<")), pending.count - open < Pseudonymizer.maxPlaceholderBytes,
           pending[(open + 1)...].allSatisfy(Pseudonymizer.isPlaceholderByte) {
            cut = open
        }
        // Never cut inside a UTF-8 character: the held part starts with '<', an ASCII byte, so the cut is safe.
        let ready = String(decoding: pending[..<cut], as: UTF8.self)
        pending.removeFirst(cut)
        return pseudonyms.restore(ready, jsonString: jsonString)
    }

    /// What is still held, at the end of the stream (a '<' that never became a placeholder goes out as it is).
    public mutating func finish() -> String {
        defer { pending.removeAll() }
        return pseudonyms.restore(String(decoding: pending, as: UTF8.self), jsonString: jsonString)
    }
}
