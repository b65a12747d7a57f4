public import FrontierCore

/// One canary run (`kind: "canary"`): a model's answers to its canary suite, scored, compared with the last good
/// run, and what the gateway did about it. The evidence and the action are this one record: the per-case scores,
/// digests of the answers (never their text), the identities the model reported, the comparison and the action.
/// Its spend is the operator's, so it names no key.
public struct CanaryRecord: Sendable, Equatable {
    public static let kind = "canary"

    public struct CaseResult: Sendable, Equatable {
        public var id: String
        /// nil: not graded (the call failed, or the cap stopped the run before it).
        public var score: Double?
        /// A digest of each normalised answer, for the distribution test of a later run.
        public var answers: [String]

        public init(id: String, score: Double?, answers: [String]) {
            self.id = id
            self.score = score
            self.answers = answers
        }
    }

    public var model: String
    public var timeMs: Int64
    /// `schedule`, `identity_change` or `start`.
    public var trigger: String
    /// The suite file's digest: runs compare only on the same suite.
    public var suiteDigest: String
    /// `complete`, `capped` (the cost cap stopped it) or `failed` (no case answered).
    public var status: String
    public var costUSD: Double
    public var capUSD: Double
    public var identities: [String]
    public var results: [CaseResult]
    /// Against the baseline run: its time, both mean scores, the drop, the answers changed, the test's p-value.
    public var comparison: JSONValue
    /// `baseline` (the first good run), `none`, `degraded`, `recovered` or `watch` (behaviour changed, scores kept).
    public var action: String
    /// Whether this run is the baseline of the next ones (the last good run).
    public var good: Bool

    public init(
        model: String, timeMs: Int64, trigger: String, suiteDigest: String, status: String, costUSD: Double, capUSD: Double,
        identities: [String], results: [CaseResult], comparison: JSONValue = .null, action: String, good: Bool
    ) {
        self.model = model
        self.timeMs = timeMs
        self.trigger = trigger
        self.suiteDigest = suiteDigest
        self.status = status
        self.costUSD = costUSD
        self.capUSD = capUSD
        self.identities = identities
        self.results = results
        self.comparison = comparison
        self.action = action
        self.good = good
    }

    /// The `request_id` column: every run of a model under one name, so its runs are found by it.
    public var requestID: String { Self.requestID(model: model) }
    public static func requestID(model: String) -> String { "canary:" + model }

    /// The mean score over the graded cases; nil when none was.
    public var meanScore: Double? {
        let scores = results.compactMap(\.score)
        return scores.isEmpty ? nil : scores.reduce(0, +) / Double(scores.count)
    }

    public var canonical: [UInt8] {
        var w = CanonicalObjectWriter()
        w.field("action", action)
        w.field("cap_usd", capUSD)
        w.field("comparison", comparison)
        w.field("cost_usd", costUSD)
        w.field("good", JSONValue.bool(good))
        w.field("identities", JSONValue.array(identities.map { .string($0) }))
        w.field("kind", Self.kind)
        w.field("model", model)
        w.field("request_id", requestID)
        w.field("results", JSONValue.array(results.map { r in
            var o: JSONObject = ["id": .string(r.id), "answers": .array(r.answers.map { .string($0) })]
            o["score"] = r.score.map(JSONValue.double) ?? .null
            return .object(o)
        }))
        w.field("status", status)
        w.field("suite_digest", suiteDigest)
        w.field("time_ms", timeMs)
        w.field("trigger", trigger)
        return w.finish()
    }

    public init(json: JSONValue) throws(LedgerError) {
        guard json["kind"]?.stringValue == Self.kind, let model = json["model"]?.stringValue, let time = json["time_ms"]?.intValue,
              let action = json["action"]?.stringValue, let status = json["status"]?.stringValue
        else { throw LedgerError.corrupt("a canary record lacks its model, time_ms, status or action") }
        let results = (json["results"]?.arrayValue ?? []).compactMap { r -> CaseResult? in
            guard let id = r["id"]?.stringValue else { return nil }
            return CaseResult(id: id, score: r["score"]?.doubleValue, answers: r["answers"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        }
        self.init(
            model: model, timeMs: Int64(time), trigger: json["trigger"]?.stringValue ?? "schedule", suiteDigest: json["suite_digest"]?.stringValue ?? "",
            status: status, costUSD: json["cost_usd"]?.doubleValue ?? 0, capUSD: json["cap_usd"]?.doubleValue ?? 0,
            identities: json["identities"]?.arrayValue?.compactMap(\.stringValue) ?? [], results: results,
            comparison: json["comparison"] ?? .null, action: action, good: json["good"]?.boolValue ?? false)
    }
}
