public import Crypto
public import FrontierCore

/// Served requests with a score, as lines of the outcomes format `frontier
/// fit` reads (`shared/data/README.md`): the prompt (when the ledger keeps
/// bodies), the domain, and per model that answered the score, real cost,
/// tokens and latency. A request several models answered (cascade tiers, or
/// a second model asked by `router.explore`) gives several results on one line, and so does one prompt sent to several
/// models in separate requests (matched by the record's prompt HMAC): exactly
/// the data a router needs. A prompt with personal data is left
/// out unless the caller asks for it, so the default export is safe to hand on.
public struct OutcomeExport: Sendable {
    /// Which scores count, and in which order one wins over another for the same model.
    public var sources: [FeedbackRecord.Source]
    public var includePII: Bool
    /// Opens the sealed prompts; without it lines carry no prompt and say so.
    public var bodyKey: SymmetricKey?
    /// Requests that started before this are left out (their feedback may come later).
    public var fromMs: Int64?
    public var untilMs: Int64?
    /// The domain of a prompt whose record has none (a named model is not classified while serving): the live
    /// router file's classifier, so that fit learns per domain from named-model traffic too.
    public var classify: (@Sendable (String) -> String?)?

    public init(
        sources: [FeedbackRecord.Source] = [.client, .grader, .check, .exploration, .implicit], includePII: Bool = false, bodyKey: SymmetricKey? = nil,
        fromMs: Int64? = nil, untilMs: Int64? = nil, classify: (@Sendable (String) -> String?)? = nil
    ) {
        self.classify = classify
        self.sources = sources
        self.includePII = includePII
        self.bodyKey = bodyKey
        self.fromMs = fromMs
        self.untilMs = untilMs
    }

    public struct Summary: Sendable, Equatable {
        /// Lines written.
        public var exported = 0
        /// Scored requests left out because their prompt had personal data (no `--include-pii`).
        public var withheldForPII = 0
        /// Lines without their prompt (the ledger keeps no bodies, or the body key is not set).
        public var withoutPrompt = 0
        /// Served requests in the window with no score at all.
        public var unscored = 0
        /// Scores by source.
        public var scores: [String: Int] = [:]
    }

    /// One score of one model on one request.
    struct Score {
        var value: Double
        var source: FeedbackRecord.Source
        var weight: Double
        var label: String?
        /// What answering cost, when the score is of an answer the request's record does not hold (an exploration's).
        var answer: ExplorationRecord? = nil
    }

    /// The lines, in the order the requests were recorded.
    public func lines(from stored: [StoredRecord]) -> (lines: [JSONValue], summary: Summary) {
        var requests: [LedgerRecord] = []
        // The latest score of each source, per request and model.
        var feedback: [String: [String: [FeedbackRecord.Source: Score]]] = [:]
        for s in stored.sorted(by: { $0.seq < $1.seq }) {
            guard let json = try? JSONParser.parse(s.body), let entry = try? LedgerEntry(json: json) else { continue }
            switch entry {
            case .request(let r) where r.kind == nil:
                if let fromMs, r.timeMs < fromMs { continue }
                if let untilMs, r.timeMs >= untilMs { continue }
                requests.append(r)
            case .feedback(let f) where sources.contains(f.source):
                feedback[f.requestID, default: [:]][f.model, default: [:]][f.source] = Score(value: f.score, source: f.source, weight: f.weight, label: f.label)
            case .exploration(let x) where sources.contains(.exploration):
                feedback[x.requestID, default: [:]][x.model, default: [:]][.exploration] = Score(
                    value: x.score, source: .exploration, weight: 1, label: x.grader, answer: x)
            default:
                continue
            }
        }
        var summary = Summary()
        var lines: [JSONObject] = []
        /// Where each prompt's line is, by HMAC: later requests with the same prompt add their results to it.
        var lineOfPrompt: [String: Int] = [:]
        for record in requests where record.model != nil {
            var scores = feedback[record.requestID] ?? [:]
            if sources.contains(.check) {
                for attempt in record.attempts { if let score = Self.checkScore(attempt) { scores[attempt.model, default: [:]][.check] = score } }
            }
            var results: JSONObject = [:]
            for (model, bySource) in scores {
                guard let best = sources.lazy.compactMap({ bySource[$0] }).first else { continue }
                let tried = record.attempts.filter { $0.model == model }
                var result: JSONObject = ["score": .double(best.value), "source": .string(best.source.rawValue)]
                if best.weight != 1 { result["weight"] = .double(best.weight) }
                if let label = best.label { result["label"] = .string(label) }
                if let answer = best.answer {
                    result["cost_usd"] = .double(answer.costUSD)
                    result["input_tokens"] = .int(Int64(answer.inputTokens))
                    result["output_tokens"] = .int(Int64(answer.outputTokens))
                    result["latency_ms"] = .double(answer.latencyMs)
                } else if !tried.isEmpty {
                    result["cost_usd"] = .double(tried.map(\.costUSD).reduce(0, +))
                    result["input_tokens"] = .int(Int64(tried.map(\.inputTokens).reduce(0, +)))
                    result["output_tokens"] = .int(Int64(tried.map(\.outputTokens).reduce(0, +)))
                    result["latency_ms"] = .double(tried.map(\.latencyMs).reduce(0, +))
                }
                results[model] = .object(result)
                summary.scores[best.source.rawValue, default: 0] += 1
            }
            guard !results.isEmpty else {
                summary.unscored += 1
                continue
            }
            if !record.piiCategories.isEmpty, !includePII {
                summary.withheldForPII += 1
                continue
            }
            if !record.promptHMAC.isEmpty, let n = lineOfPrompt[record.promptHMAC], case .object(var merged)? = lines[n]["results"] {
                for (model, result) in results { merged[model] = result }
                lines[n]["results"] = .object(merged)
                lines[n]["time_ms"] = .int(record.timeMs)
                continue
            }
            var line: JSONObject = ["id": .string(record.requestID), "results": .object(results), "time_ms": .int(record.timeMs)]
            if let prompt = record.encryptedPrompt.flatMap({ sealed in bodyKey.flatMap { BodyCipher.open(sealed, key: $0) } }) {
                line["prompt"] = .string(Self.routerText(String(decoding: prompt, as: UTF8.self)))
            } else {
                // fit reads every line's prompt: an empty one teaches the domain's figures only.
                line["prompt"] = ""
                line["prompt_unavailable"] = .string(
                    record.encryptedPrompt == nil
                        ? "the ledger kept no body for this request (ledger.store_bodies was off)"
                        : "the body key (ledger.body_key_env) is not set, so the sealed prompt cannot be read")
                summary.withoutPrompt += 1
            }
            if let domain = record.domain ?? line["prompt"]?.stringValue.flatMap({ $0.isEmpty ? nil : classify?($0) }) {
                line["domain"] = .string(domain)
            }
            if let version = record.routerVersion { line["router_version"] = .string(version) }
            if !record.piiCategories.isEmpty { line["pii"] = .array(record.piiCategories.map(JSONValue.string)) }
            line["route"] = .string(record.route)
            if !record.promptHMAC.isEmpty { lineOfPrompt[record.promptHMAC] = lines.count }
            lines.append(line)
            summary.exported += 1
        }
        return (lines.map(JSONValue.object), summary)
    }

    /// The text the router reads of a request (its messages' text, one a line) from the ledger's form of it,
    /// which starts each message with its role ("user: ..."), so that fit learns from what serving will see.
    static func routerText(_ ledgerPrompt: String) -> String {
        let roles = ["system: ", "developer: ", "user: ", "assistant: ", "tool: "]
        return ledgerPrompt.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            for role in roles where line.hasPrefix(role) { return String(line.dropFirst(role.count)) }
            return String(line)
        }.joined(separator: "\n")
    }

    /// Lines as JSONL bytes, one object a line.
    public static func jsonl(_ lines: [JSONValue]) -> [UInt8] {
        var bytes: [UInt8] = []
        for line in lines {
            bytes += line.serialized()
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }

    /// A cascade tier's checks as a score: 1 when every check passed, 0 when one failed.
    static func checkScore(_ attempt: LedgerRecord.Attempt) -> Score? {
        guard let checks = attempt.checks?.arrayValue, !checks.isEmpty else { return nil }
        let passed = checks.allSatisfy { $0["passed"] == .bool(true) }
        return Score(value: passed ? 1 : 0, source: .check, weight: 1, label: passed ? "checks_passed" : "check_failed")
    }
}
