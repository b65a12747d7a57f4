import FrontierAnalysis
import FrontierCore
import FrontierLedger
import FrontierRouting

/// What the frontier page draws besides the ledger's sums: the live router file, the candidate beside it (an
/// experiment's, else a shadow's) and the experiment guard's state. Read at each request, so a reloaded router
/// file shows at once.
struct FrontierSources: Sendable {
    var live: RouterFrontier?
    var candidate: (role: String, frontier: RouterFrontier)?
    var guardState: JSONValue?
}

extension DashboardAPI {
    /// `/admin/api/frontier`: the router file's models and curve, the candidate's, and each model that served
    /// traffic in the window at its live cost per request (all in: fees, hosting and fine-tuning, as `frontier
    /// report` splits them) and its live quality where scores came back (feedback, checks, graders, implicit
    /// signals at their weights, exploration grades), else the router's estimate; the chart as one SVG.
    func frontier(_ query: [String: String]) async throws(APIError) -> JSONValue {
        let w = try window(query)
        let sources = frontierSources()
        let usage: UsageRows, scores: [ScoreKey: ScoreSums]
        do {
            usage = try await store.usage(UsageQuery(fromMs: w.fromMs, toMs: w.toMs, hourly: w.toMs - w.fromMs > Self.detailedUpToMs, byDomainAndKey: false))
            scores = try await store.scores(fromMs: w.fromMs, toMs: w.toMs)
        } catch {
            throw Self.unavailable(error)
        }
        let report = CostReport(usage: usage, catalog: catalog.models, fromMs: w.fromMs, toMs: w.toMs, by: .model, reference: nil)
        var byModel: [String: [(source: String, sums: ScoreSums)]] = [:]
        for (key, sums) in scores { byModel[key.model, default: []].append((key.source, sums)) }

        var served: [JSONValue] = [], points: [FrontierChart.Served] = []
        for row in report.rows where row.requests > 0 {
            // Catalog models only: a row's name came from a record, and only the catalog's are drawn.
            guard let entry = catalog[row.group] else { continue }
            let routerID = entry.profile.routerID ?? entry.id
            let estimate = sources.live?.models.first { $0.id == routerID }?.quality ?? entry.profile.quality
            var total = ScoreSums()
            var bySource: JSONObject = [:]
            for (source, sums) in (byModel[entry.id] ?? []).sorted(by: { $0.source < $1.source }) {
                total.add(sums)
                bySource[source] = ["count": .int(Int64(sums.count)), "mean": sums.mean.map { .double(Self.rounded($0)) } ?? .null]
            }
            let perRequest = row.totalUSD / Double(row.requests)
            served.append([
                "model": .string(entry.id), "router_id": .string(routerID), "requests": .int(Int64(row.requests)),
                "cost_per_request_usd": .double(perRequest), "estimated_quality": .double(Self.rounded(estimate)),
                "live_quality": total.mean.map { .double(Self.rounded($0)) } ?? .null, "scores": .int(Int64(total.count)),
                "by_source": .object(bySource),
            ])
            points.append(.init(label: entry.id, costUSD: perRequest, quality: total.mean ?? estimate, measured: total.mean != nil))
        }
        func file(_ f: RouterFrontier) -> JSONValue {
            [
                "version": f.version.map(JSONValue.string) ?? .null, "fitted_at": .string(f.fittedAt),
                "models": .array(f.models.map { ["id": .string($0.id), "cost_usd": .double($0.costUSD), "quality": .double(Self.rounded($0.quality)), "prompts": .int(Int64($0.prompts))] }),
                "tradeoff": .array(f.tradeoff.map { ["lambda": .double($0.lambda), "cost_usd": .double($0.costUSD), "quality": .double(Self.rounded($0.quality))] }),
            ]
        }
        var candidate = JSONValue.null
        if let c = sources.candidate, case .object(var o) = file(c.frontier) {
            o["role"] = .string(c.role)
            candidate = .object(o)
        }
        return [
            "window": .string(w.name), "from_ms": .int(w.fromMs), "to_ms": .int(w.toMs),
            "router": sources.live.map(file) ?? .null, "candidate": candidate, "guard": sources.guardState ?? .null,
            "served": .array(served),
            "svg": .string(FrontierChart.svg(live: sources.live, candidate: sources.candidate.map { ($0.role, $0.frontier) }, served: points)),
        ]
    }

    private static func rounded(_ x: Double) -> Double { (x * 10_000).rounded() / 10_000 }
}
