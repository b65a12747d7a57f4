public import FrontierCore

/// A score for one served request, appended to the chain as its own record
/// (`kind: "feedback"`): the request's record is never changed, so `audit
/// verify` covers feedback as it covers requests. Several may name one
/// request; the latest of a source counts.
public struct FeedbackRecord: Sendable, Equatable {
    public static let kind = "feedback"

    /// Where a score came from. Implicit and check scores are weighted and labelled so an operator can tell them
    /// apart from (or switch them off against) what a person posted.
    public enum Source: String, Sendable, CaseIterable {
        /// Posted to `POST /v1/feedback` by the key that made the request or the admin.
        case client
        /// A cascade tier's acceptance check on the answer.
        case check
        /// A judge model or an eval grader.
        case grader
        /// A second model's graded answer to the same request (`router.explore`): an ``ExplorationRecord``, never a feedback record.
        case exploration
        /// Inferred from what the client did next (a retry, a cut answer, a malformed tool call, a refusal).
        case implicit
    }

    /// The scored request's id (`x-frontier-request-id`).
    public var requestID: String
    public var timeMs: Int64
    /// The key that posted it (its id, never the key); nil for the admin key or a gateway without auth.
    public var apiKeyID: String?
    /// The model whose answer is scored: the request's served model unless a source scored another attempt.
    public var model: String
    /// In [0, 1].
    public var score: Double
    public var label: String?
    public var source: Source
    /// How much the score counts against a person's (1).
    public var weight: Double
    /// The free-text comment sealed with the bodies' key; nil when it was not kept (no `store_bodies`).
    public var encryptedComment: String?

    public init(
        requestID: String, timeMs: Int64, apiKeyID: String? = nil, model: String, score: Double, label: String? = nil,
        source: Source = .client, weight: Double = 1, encryptedComment: String? = nil
    ) {
        self.requestID = requestID
        self.timeMs = timeMs
        self.apiKeyID = apiKeyID
        self.model = model
        self.score = score
        self.label = label
        self.source = source
        self.weight = weight
        self.encryptedComment = encryptedComment
    }

    /// The canonical bytes that are stored and hashed (sorted keys, compact).
    public var canonical: [UInt8] {
        var w = CanonicalObjectWriter()
        if let apiKeyID { w.field("api_key_id", apiKeyID) }
        if let encryptedComment { w.field("encrypted_comment", encryptedComment) }
        w.field("kind", Self.kind)
        if let label { w.field("label", label) }
        w.field("model", model)
        w.field("request_id", requestID)
        w.field("score", score)
        w.field("source", source.rawValue)
        w.field("time_ms", timeMs)
        w.field("weight", weight)
        return w.finish()
    }

    /// A stored feedback record; throws for any other kind, so readers can tell the two apart by trying.
    public init(json: JSONValue) throws(LedgerError) {
        guard json["kind"]?.stringValue == Self.kind else { throw LedgerError.corrupt("not a feedback record") }
        guard let requestID = json["request_id"]?.stringValue, let model = json["model"]?.stringValue,
              let time = json["time_ms"]?.intValue, let score = json["score"]?.doubleValue,
              let source = json["source"]?.stringValue.flatMap(Source.init(rawValue:))
        else { throw LedgerError.corrupt("a feedback record lacks its request_id, model, time_ms, score or source") }
        self.init(
            requestID: requestID, timeMs: Int64(time), apiKeyID: json["api_key_id"]?.stringValue, model: model, score: score,
            label: json["label"]?.stringValue, source: source, weight: json["weight"]?.doubleValue ?? 1,
            encryptedComment: json["encrypted_comment"]?.stringValue)
    }
}
