/// What the routing page counts beyond the usage sums, per five minutes and route, kept beside the chain in the
/// same transaction as the records (as ``UsageRollup`` is): the requests that carried sensitive data and where
/// they were kept, each cascade tier's outcomes and the checks that failed, the attempts that fell back, and
/// the front door each request came in through.
/// Counts only, and every name and detail comes from the gateway's own vocabulary (categories, model ids,
/// outcomes, check names, its own error summaries), never from a prompt or an upstream's text.
public struct RoutingKey: Hashable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// `name` a PII category (or ``RoutingKey/anyCategory``), `detail` how the request was kept: its zone
        /// (`on-prem`, `local`), `pseudonymized` (placeholders went out), `refused`, or `any` (not narrowed).
        case sensitive
        /// `name` "tier:model" (tiers from 1), `detail` the attempt's outcome (accepted, rejected, failed, skipped, served).
        case tier
        /// `name` "tier:model", `detail` a check that failed on that tier's answer.
        case check
        /// `name` the model whose attempt failed and was fallen back from (or was the last), `detail` why, in the
        /// gateway's words with figures replaced by `#` ("first-token timeout after # ms").
        case fallback
        /// `name` the front door the request came in through (`openai.chat`, `anthropic.messages`, ...), `detail` empty.
        case door
    }

    public var bucketMs: Int64
    public var route: String
    public var kind: Kind
    public var name: String
    public var detail: String

    public init(bucketMs: Int64, route: String, kind: Kind, name: String, detail: String) {
        self.bucketMs = bucketMs
        self.route = route
        self.kind = kind
        self.name = name
        self.detail = detail
    }

    /// The `sensitive` row that counts each request with any PII once.
    public static let anyCategory = "(any)"
}

public enum RoutingRollup {
    public static func counts(of entries: some Sequence<LedgerEntry>) -> [RoutingKey: Int] {
        var counts: [RoutingKey: Int] = [:]
        for entry in entries { add(entry, to: &counts) }
        return counts
    }

    public static func add(_ entry: LedgerEntry, to counts: inout [RoutingKey: Int]) {
        guard case .request(let record) = entry, record.kind == nil else { return }
        let bucket = UsageRollup.bucket(record.timeMs)
        func count(_ kind: RoutingKey.Kind, _ name: String, _ detail: String) {
            counts[RoutingKey(bucketMs: bucket, route: record.route, kind: kind, name: bounded(name), detail: bounded(detail)), default: 0] += 1
        }
        if let door = record.door { count(.door, door, "") }
        if !record.piiCategories.isEmpty {
            let kept = record.status >= 400 ? "refused" : record.pseudonymized != nil ? "pseudonymized" : record.zone ?? "any"
            count(.sensitive, RoutingKey.anyCategory, kept)
            for category in Set(record.piiCategories) { count(.sensitive, category, kept) }
        }
        let cascade = record.attempts.contains { ["accepted", "rejected", "skipped"].contains($0.outcome) }
        for (index, attempt) in record.attempts.enumerated() {
            if cascade {
                let tier = "\(index + 1):\(attempt.model)"
                count(.tier, tier, attempt.outcome)
                if attempt.outcome == "rejected" {
                    for check in attempt.checks?.arrayValue ?? [] where check["passed"]?.boolValue == false {
                        count(.check, tier, check["check"]?.stringValue ?? "?")
                    }
                }
            } else if attempt.outcome == "failed" {
                count(.fallback, attempt.model, reason(attempt.error))
            }
        }
    }

    /// An error summary with its figures replaced, so "deadline: 812 ms left" and "deadline: 90 ms left" are one
    /// row; an HTTP status is kept whole, since it is the reason.
    static func reason(_ error: String?) -> String {
        guard let error, !error.isEmpty else { return "error" }
        if error.hasPrefix("HTTP ") { return String(error.prefix(8)) }
        var out = "", inNumber = false
        for c in error {
            if c.isNumber {
                if !inNumber { out.append("#") }
                inNumber = true
            } else {
                out.append(c)
                inNumber = false
            }
        }
        return out
    }

    /// Names and details are the gateway's own words; bounded anyway, so a row's key stays small.
    static func bounded(_ s: String) -> String { s.count <= 96 ? s : String(s.prefix(96)) }

    /// `counts` of the buckets that overlap [from, to), per step (a multiple of the bucket; nil: one step for all,
    /// `bucketMs` 0).
    public static func total(
        _ counts: some Sequence<(key: RoutingKey, value: Int)>, fromMs: Int64, toMs: Int64, stepMs: Int64?
    ) -> [RoutingKey: Int] {
        let first = UsageRollup.bucket(fromMs)
        var out: [RoutingKey: Int] = [:]
        for (key, value) in counts where key.bucketMs >= first && key.bucketMs < toMs {
            var coarse = key
            coarse.bucketMs = stepMs.map { UsageRollup.floor(key.bucketMs, max(UsageRollup.bucketMs, $0)) } ?? 0
            out[coarse, default: 0] += value
        }
        return out
    }
}
