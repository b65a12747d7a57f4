import FrontierCore

/// The body of `POST /v1/feedback`, checked field by field: every number
/// bounded, every string bounded, an unknown field named (a typo such as
/// `scores` would otherwise be lost without a word).
struct FeedbackSubmission: Sendable, Equatable {
    static let maxBodyBytes = 64 << 10
    static let maxCommentCharacters = 4_096
    static let fields: Set<String> = ["request_id", "score", "label", "comment"]

    var requestID: String
    var score: Double
    /// A short tag (`wrong_dose`, `thumbs_down`): letters, digits and `_.:-`, so that it can be counted and
    /// shown without carrying personal data; free text belongs in `comment`.
    var label: String?
    var comment: String?

    init(requestID: String, score: Double, label: String? = nil, comment: String? = nil) {
        self.requestID = requestID
        self.score = score
        self.label = label
        self.comment = comment
    }

    init(_ body: JSONValue) throws(APIError) {
        guard let object = body.objectValue else { throw .feedbackInvalid(param: nil, "The body must be a JSON object: {\"request_id\": \"frq_...\", \"score\": 1}.") }
        if let unknown = object.keys.first(where: { !Self.fields.contains($0) }) {
            throw .feedbackInvalid(param: unknown, "Unknown field '\(unknown.prefix(64))': feedback takes request_id, score, label and comment.")
        }
        guard let id = object["request_id"]?.stringValue else {
            throw .feedbackInvalid(param: "request_id", "request_id is required: the x-frontier-request-id header of the answer being scored.")
        }
        guard !id.isEmpty, id.utf8.count <= 128, id.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw .feedbackInvalid(param: "request_id", "request_id must be 1 to 128 printable ASCII characters, as in the x-frontier-request-id header.")
        }
        guard let score = object["score"]?.doubleValue, score.isFinite, (0...1).contains(score) else {
            throw .feedbackInvalid(param: "score", "score must be a number from 0 (bad) to 1 (good).")
        }
        var label: String?
        if let value = object["label"], value != .null {
            guard let text = value.stringValue, (1...64).contains(text.utf8.count),
                  text.utf8.allSatisfy({ Self.labelByte($0) })
            else {
                throw .feedbackInvalid(param: "label", "label must be 1 to 64 letters, digits or _.:- (a tag such as \"wrong_dose\"); put free text in comment.")
            }
            label = text
        }
        var comment: String?
        if let value = object["comment"], value != .null {
            guard let text = value.stringValue, text.unicodeScalars.count <= Self.maxCommentCharacters else {
                throw .feedbackInvalid(param: "comment", "comment must be a string of at most \(Self.maxCommentCharacters) characters.")
            }
            comment = text
        }
        self.init(requestID: id, score: score, label: label, comment: comment)
    }

    static func labelByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: "-"): true
        default: false
        }
    }
}
