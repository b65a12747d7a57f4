import Crypto
import Foundation
import FrontierCore
import FrontierLedger

/// What the dashboard's pages read (`/admin/api/...`, behind the admin key when `auth` is on): sums from the
/// ledger's usage table (never raw records in bulk), a bounded page of recent records, one request's records
/// without its sealed bodies, and the chain's verification. The figures are ``CostReport``'s, the same object
/// `frontier report` prints.
struct DashboardAPI: Sendable {
    let store: any LedgerStore
    let ledgerKey: SymmetricKey
    let catalog: ModelCatalog
    let referenceModelID: String?
    let health: @Sendable () -> JSONValue
    var frontierSources: @Sendable () -> FrontierSources = { FrontierSources() }
    var breakerTransitions: @Sendable () -> [CircuitBreakers.Transition] = { [] }
    /// With `ledger.store_bodies`: the key that opens a record's sealed bodies, and the writer that records each opening.
    var bodyKey: SymmetricKey?
    var writer: LedgerWriter?
    var now: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }

    /// The windows the pages offer.
    static let windows: [String: Int64] = ["1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000]
    /// The most records one listing reads (pages of at most ``pageLimit`` shown).
    static let scanLimit = 20_000
    static let pageLimit = 200

    func window(_ query: [String: String]) throws(APIError) -> (name: String, fromMs: Int64, toMs: Int64) {
        let name = query["window"] ?? "24h"
        guard let length = Self.windows[name] else {
            throw APIError(
                status: 400, type: "invalid_request_error", code: "invalid_value", param: "window",
                message: "window must be one of 1h, 24h, 7d, 30d; got '\(name.prefix(40))'.")
        }
        let to = now()
        return (name, to - length, to)
    }

    var reference: ModelEntry? { CostReport.referenceModel(referenceModelID, in: catalog.models) }

    /// Windows up to a day read the five-minute sums; longer ones the hourly sums (no domain, no key), so a month
    /// is some ten thousand rows whatever the traffic.
    static let detailedUpToMs: Int64 = 86_400_000

    /// The window's sums, summed by the store per step of the page's series.
    /// - Parameter byDomainAndKey: whether the page shows domains and keys (the overview does not, and reads fewer rows).
    private func windowSums(_ w: (name: String, fromMs: Int64, toMs: Int64), byDomainAndKey: Bool) async throws(APIError)
        -> (sums: UsageRows, stepMs: Int64, detailed: Bool)
    {
        let hourly = w.toMs - w.fromMs > Self.detailedUpToMs
        let step = UsageSeries.step(fromMs: w.fromMs, toMs: w.toMs, bucketMs: hourly ? UsageRollup.hourMs : UsageRollup.bucketMs)
        let query = UsageQuery(fromMs: w.fromMs, toMs: w.toMs, hourly: hourly, byDomainAndKey: byDomainAndKey, stepMs: step)
        do {
            return (try await store.usage(query), step, query.byDomainAndKey)
        } catch {
            throw Self.unavailable(error)
        }
    }

    func overview(_ query: [String: String]) async throws(APIError) -> JSONValue {
        let w = try window(query)
        let (usage, step, _) = try await windowSums(w, byDomainAndKey: false)
        let report = CostReport(usage: usage, catalog: catalog.models, fromMs: w.fromMs, toMs: w.toMs, by: .model, reference: reference)
        let series = UsageSeries(usage: usage, fromMs: w.fromMs, toMs: w.toMs, bucketMs: step, detailed: false, reference: reference)
        var o: JSONObject = [
            "window": .string(w.name), "from_ms": .int(w.fromMs), "to_ms": .int(w.toMs), "step_ms": .int(series.stepMs),
            "requests": .int(Int64(report.requests)), "total_usd": .double(report.totalUSD), "api_usd": .double(report.apiUSD),
            "hosting_usd": .double(report.hostingUSD), "fine_tuning_usd": .double(report.fineTuningUSD), "idle_usd": .double(report.idleUSD),
            "exploration_usd": .double(report.explorationUSD), "per_request_usd": .double(report.perRequestUSD),
            "series": .array(series.points.map {
                ["t": .int($0.timeMs), "requests": .int(Int64($0.requests)), "errors": .int(Int64($0.errors)), "api_usd": .double($0.apiUSD),
                 "counterfactual_usd": .double($0.counterfactualUSD)]
            }),
            "by_model": .array(report.rows.map {
                ["group": .string($0.group), "requests": .int(Int64($0.requests)), "api_usd": .double($0.apiUSD), "hosting_usd": .double($0.hostingUSD),
                 "fine_tuning_usd": .double($0.fineTuningUSD), "total_usd": .double($0.totalUSD)]
            }),
        ]
        if let reference = report.reference, let counterfactual = report.counterfactualUSD, let savings = report.savingsUSD {
            o["reference_model"] = .string(reference)
            o["counterfactual_usd"] = .double(counterfactual)
            o["savings_usd"] = .double(savings)
        }
        return .object(o)
    }

    func routing(_ query: [String: String]) async throws(APIError) -> JSONValue {
        let w = try window(query)
        let (usage, step, detailed) = try await windowSums(w, byDomainAndKey: true)
        let series = UsageSeries(usage: usage, fromMs: w.fromMs, toMs: w.toMs, bucketMs: step, detailed: detailed, reference: nil)
        func counts(_ d: [String: Int]) -> JSONValue {
            .array(d.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.map { ["name": .string($0.key), "requests": .int(Int64($0.value))] })
        }
        let models = Set(series.points.flatMap(\.models.keys)).sorted()
        let events: [RoutingKey: Int]
        do {
            events = try await store.routing(fromMs: w.fromMs, toMs: w.toMs, stepMs: series.stepMs)
        } catch {
            throw Self.unavailable(error)
        }
        var o: JSONObject = [
            "window": .string(w.name), "from_ms": .int(w.fromMs), "to_ms": .int(w.toMs), "step_ms": .int(series.stepMs),
            "detail": .string(detailed ? "full" : "hourly"),
            "models": .array(models.map(JSONValue.string)),
            "series": .array(series.points.map { point in
                ["t": .int(point.timeMs), "models": Self.object(point.models.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.int(Int64($0.value))) })]
            }),
            "by_route": counts(series.byRoute), "by_domain": counts(series.byDomain),
            "by_status": counts(Dictionary(uniqueKeysWithValues: series.byStatus.map { (String($0.key), $0.value) })),
            "by_key": .array(series.byKey.keys.sorted().map { key in
                ["key_id": .string(key), "requests": .int(Int64(series.byKey[key]?.requests ?? 0)),
                 "rate_limited": .int(Int64(series.byKey[key]?.rateLimited ?? 0))]
            }),
            "attempts": .array(series.attempts.keys.sorted().map { model in
                ["model": .string(model), "attempts": .int(Int64(series.attempts[model] ?? 0)),
                 "not_serving": .int(Int64(series.unservedAttempts[model] ?? 0)),
                 "mean_latency_ms": series.meanLatencyMs[model].map { .double(($0 * 10).rounded() / 10) } ?? .null]
            }),
        ]
        for (key, value) in Self.routingEvents(events, requests: series.points.reduce(0) { $0 + $1.requests }) { o[key] = value }
        return .object(o)
    }

    /// The live health (breakers, identities, degraded marks) with latency percentiles of the recent requests.
    func healthPage() async throws(APIError) -> JSONValue {
        var o = health().objectValue ?? [:]
        let recent = try await records(limit: 2_000, beforeSeq: nil).compactMap { $0.entry.request }
        var latencies: [String: [Double]] = [:], firstTokens: [String: [Double]] = [:]
        for record in recent {
            guard let served = record.attempts.last(where: { ["served", "accepted"].contains($0.outcome) }) else { continue }
            latencies[served.model, default: []].append(served.latencyMs)
            if let first = served.firstTokenMs { firstTokens[served.model, default: []].append(first) }
        }
        func quantiles(_ values: [Double]?) -> JSONValue {
            guard let values, !values.isEmpty else { return .null }
            let sorted = values.sorted()
            func q(_ p: Double) -> JSONValue { .double((sorted[min(sorted.count - 1, Int(p * Double(sorted.count)))] * 10).rounded() / 10) }
            return ["p50": q(0.5), "p95": q(0.95), "p99": q(0.99), "n": .int(Int64(sorted.count))]
        }
        o["latency"] = Self.object(catalog.models.map { model in
            (model.id, ["answer_ms": quantiles(latencies[model.id]), "first_token_ms": quantiles(firstTokens[model.id])] as JSONValue)
        })
        o["latency_sample"] = .int(Int64(recent.count))
        // This process's, newest first: breakers are per instance, as their states are.
        o["breaker_events"] = .array(breakerTransitions().map {
            ["time_ms": .int($0.timeMs), "model": .string($0.model), "from": .string($0.from), "to": .string($0.to)]
        })
        return .object(o)
    }

    /// The newest requests, filtered (`id`, `key`, `model`, `route`, `status`), a page at a time (`before`: a sequence number).
    func requests(_ query: [String: String]) async throws(APIError) -> JSONValue {
        let limit = try Self.integer(query, "limit", 1...Int64(Self.pageLimit)).map(Int.init) ?? 50
        var before = try Self.integer(query, "before", 1...Int64.max)
        let status = try Self.integer(query, "status", 100...599).map(Int.init)
        let filters = (key: try Self.text(query, "key"), model: try Self.text(query, "model"), route: try Self.text(query, "route"))
        if let id = try Self.text(query, "id") {
            let found = try await stored { try await store.records(requestID: id) }.compactMap { $0.entry?.request }.filter { $0.kind == nil }
            return ["requests": .array(found.map(Self.summary)), "next_before": .null]
        }
        var page: [(Int64, LedgerRecord)] = []
        var scanned = 0
        while page.count < limit, scanned < Self.scanLimit {
            let batch = try await records(limit: 500, beforeSeq: before)
            guard let last = batch.last else { before = nil; break }
            scanned += batch.count
            before = last.seq
            for item in batch {
                guard let record = item.entry.request, record.kind == nil else { continue }
                if let key = filters.key, record.apiKeyID != key { continue }
                if let model = filters.model, record.model != model { continue }
                if let route = filters.route, record.route != route { continue }
                if let status, record.status != status { continue }
                page.append((item.seq, record))
                if page.count == limit { before = item.seq; break }
            }
        }
        return [
            "requests": .array(page.map { seq, record in
                guard case .object(var o) = Self.summary(record) else { return .null }
                o["seq"] = .int(seq)
                return .object(o)
            }),
            "next_before": before.map(JSONValue.int) ?? .null, "scanned": .int(Int64(scanned)),
        ]
    }

    /// Every record naming the request (its intent, its record, its feedback), each with its chain position,
    /// without the sealed prompt, answer and upstream error text.
    func request(id: String) async throws(APIError) -> JSONValue {
        let records = try await stored { try await store.records(requestID: id) }
        guard !records.isEmpty else {
            throw APIError(status: 404, type: "invalid_request_error", code: "not_found", message: "No record of request '\(id.prefix(100))' in the ledger.")
        }
        return [
            "request_id": .string(id),
            "records": .array(records.map { item in
                var json = (try? JSONParser.parse(item.stored.body)).flatMap(\.objectValue) ?? [:]
                // Sealed text is opened only on request, one record at a time (``bodies(id:)``); here only whether there is any.
                if json["encrypted_prompt"] != nil { json["sealed_bodies"] = true }
                for sealed in ["encrypted_prompt", "encrypted_response"] { json.removeValue(forKey: sealed) }
                if case .array(let attempts)? = json["attempts"] {
                    json["attempts"] = .array(attempts.map { attempt in
                        guard case .object(var a) = attempt else { return attempt }
                        a.removeValue(forKey: "error_sealed")
                        return .object(a)
                    })
                }
                return ["seq": .int(item.stored.seq), "hash": .string(item.stored.hash), "record": .object(json)]
            }),
        ]
    }

    /// The longest chain verified in the gateway's own memory; past it, `frontier audit verify` does it elsewhere.
    static let maxVerifiedRecords: Int64 = 200_000

    /// `frontier audit verify`, run here, on a chain short enough not to weigh on the serving process.
    func verify() async throws(APIError) -> JSONValue {
        do {
            let head = try await store.head()
            guard head.seq <= Self.maxVerifiedRecords else {
                throw APIError(
                    status: 409, type: "invalid_request_error", code: "chain_too_long",
                    message: "The chain holds \(head.seq) records; the gateway verifies at most \(Self.maxVerifiedRecords) itself. "
                        + "Run frontier audit verify --config <file> on a machine with the ledger's storage.")
            }
            let records = try await store.records(fromMs: nil, toMs: nil)
            let report = ChainVerifier.verify(records, checkpoints: try await store.checkpoints(), key: ledgerKey, head: try await store.head())
            return [
                "ok": .bool(report.ok), "records": .int(Int64(report.records)), "checkpoints": .int(Int64(report.checkpoints)),
                "problems": .array(report.problems.map { .string($0.description) }),
            ]
        } catch let error as APIError {
            throw error
        } catch {
            throw Self.unavailable(error)
        }
    }

    // MARK: reading the store

    struct Item {
        var stored: StoredRecord
        var seq: Int64 { stored.seq }
        var entry: LedgerEntry? { (try? JSONParser.parse(stored.body)).flatMap { try? LedgerEntry(json: $0) } }
    }

    private func records(limit: Int, beforeSeq: Int64?) async throws(APIError) -> [(seq: Int64, entry: LedgerEntry)] {
        try await stored { try await store.recent(limit: limit, beforeSeq: beforeSeq) }.compactMap { item in item.entry.map { (item.seq, $0) } }
    }

    /// What `read` returns, or the store's failure as a 503 (every page's reading goes through here).
    func stored(_ read: () async throws -> [StoredRecord]) async throws(APIError) -> [Item] {
        do { return try await read().map { Item(stored: $0) } } catch { throw Self.unavailable(error) }
    }

    static func unavailable(_ error: any Error) -> APIError {
        APIError(status: 503, type: "service_unavailable", code: "ledger_unavailable", message: "The ledger cannot be read now; try again.")
    }

    /// A query parameter's text when given and not empty; at most 256 bytes.
    static func text(_ query: [String: String], _ name: String) throws(APIError) -> String? {
        guard let text = query[name].nonEmpty else { return nil }
        guard text.utf8.count <= 256 else {
            throw APIError(status: 400, type: "invalid_request_error", code: "invalid_value", param: name, message: "\(name) is at most 256 bytes.")
        }
        return text
    }

    /// A query parameter that must be a whole number in `range` when given.
    static func integer(_ query: [String: String], _ name: String, _ range: ClosedRange<Int64>) throws(APIError) -> Int64? {
        guard let text = query[name] else { return nil }
        guard let value = Int64(text), range.contains(value) else {
            throw APIError(
                status: 400, type: "invalid_request_error", code: "invalid_value", param: name,
                message: "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound); got '\(text.prefix(40))'.")
        }
        return value
    }

    static func object(_ pairs: [(String, JSONValue)]) -> JSONValue {
        var o = JSONObject(minimumCapacity: pairs.count)
        for (k, v) in pairs { o[k] = v }
        return .object(o)
    }

    static func summary(_ record: LedgerRecord) -> JSONValue {
        [
            "request_id": .string(record.requestID), "time_ms": .int(record.timeMs), "route": .string(record.route),
            "model": record.model.map(JSONValue.string) ?? .null, "status": .int(Int64(record.status)),
            "latency_ms": .double((record.latencyMs * 10).rounded() / 10), "cost_usd": .double(record.attempts.map(\.costUSD).reduce(0, +)),
            "key_id": record.apiKeyID.map(JSONValue.string) ?? .null, "domain": record.domain.map(JSONValue.string) ?? .null,
            "attempts": .int(Int64(record.attempts.count)), "pii": .array(record.piiCategories.map(JSONValue.string)),
        ]
    }
}

extension Optional where Wrapped == String {
    /// The string when it has something in it.
    var nonEmpty: String? { self.flatMap { $0.isEmpty ? nil : $0 } }
}
