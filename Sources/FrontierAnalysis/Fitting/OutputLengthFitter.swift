import Foundation
public import FrontierCore
public import FrontierRouting

/// Fits an ``OutputLengthModel`` and each model's per-token price from outcome data with token counts.
///
/// Prompt length is measured as `serve` measures it (``FeatureExtractor``'s estimate from the text), not
/// by the data's `input_tokens`, so the slope means the same thing online.
public struct OutputLengthFitter: Sendable {
    /// Shrinks a domain's intercept toward the model's overall one by this many pseudo-prompts.
    public var smoothing = 5.0
    /// Fewer observations than this for a model and it keeps the request's assumed length.
    public var minimumPrompts = 20

    public init() {}

    public func fit(_ train: OutcomeSet, models: [String], domains: [String]) -> OutputLengthModel? {
        let extractor = FeatureExtractor(classifier: nil)
        let logPrompt = train.records.map { log(Double(max(extractor.features(ofText: $0.prompt, scanPII: false).promptTokens, 1))) }
        let domainIndex = Dictionary(uniqueKeysWithValues: domains.enumerated().map { ($1, $0) })
        var kept: [String] = [], intercepts: [[Double]] = [], slopes: [Double] = [], variances: [Double] = []
        for model in models {
            var rows: [(domain: Int?, x: Double, y: Double)] = []
            for (n, record) in train.records.enumerated() {
                guard let tokens = record.results[model]?.outputTokens, tokens > 0 else { continue }
                rows.append((record.domain.flatMap { domainIndex[$0] }, logPrompt[n], log(Double(tokens))))
            }
            guard rows.count >= minimumPrompts else { continue }
            // The slope within domains (so it is not the domains' differences over again), then smoothed intercepts.
            var sums: [Int: (x: Double, y: Double, n: Double)] = [:]
            for row in rows {
                let key = row.domain ?? -1
                sums[key, default: (0, 0, 0)].x += row.x
                sums[key, default: (0, 0, 0)].y += row.y
                sums[key, default: (0, 0, 0)].n += 1
            }
            var sxy = 0.0, sxx = 0.0
            for row in rows {
                let s = sums[row.domain ?? -1] ?? (0, 0, 1)
                let dx = row.x - s.x / s.n
                sxy += dx * (row.y - s.y / s.n)
                sxx += dx * dx
            }
            let slope = sxx > 1e-9 ? sxy / sxx : 0
            let n = Double(rows.count)
            let overall = rows.reduce(0) { $0 + $1.y } / n - slope * rows.reduce(0) { $0 + $1.x } / n
            var row = domains.indices.map { d -> Double in
                guard let s = sums[d] else { return overall }
                return (s.n * (s.y / s.n - slope * s.x / s.n) + smoothing * overall) / (s.n + smoothing)
            }
            row.append(overall)
            let variance = rows.reduce(0) { total, r in
                let predicted = (r.domain.map { row[$0] } ?? overall) + slope * r.x
                return total + (r.y - predicted) * (r.y - predicted)
            } / n
            kept.append(model)
            intercepts.append(row)
            slopes.append(slope)
            variances.append(variance)
        }
        guard !kept.isEmpty else { return nil }
        // Stored domain-major: for each domain (then unknown), one intercept per model.
        let flat = (0...domains.count).flatMap { d in intercepts.map { $0[d] } }
        let model = OutputLengthModel(models: kept, domains: domains, intercepts: flat, slopes: slopes, residualVariance: variances)
        return model.isConsistent ? model : nil
    }

    /// Per-token prices that reproduce a model's costs from its token counts: least squares of
    /// cost = input × a + output × b over the prompts with all three. Nil when there are too few, or the
    /// costs are not token-priced (the fit misses them by more than 2% on average).
    public func price(of model: String, in train: OutcomeSet) -> Price? {
        var sii = 0.0, sio = 0.0, soo = 0.0, sic = 0.0, soc = 0.0
        var rows: [(i: Double, o: Double, c: Double)] = []
        for record in train.records {
            guard let outcome = record.results[model], let cost = outcome.costUSD, let i = outcome.inputTokens, let o = outcome.outputTokens else { continue }
            let (x, y) = (Double(i) / 1e6, Double(o) / 1e6)
            sii += x * x
            sio += x * y
            soo += y * y
            sic += x * cost
            soc += y * cost
            rows.append((x, y, cost))
        }
        guard rows.count >= minimumPrompts else { return nil }
        let det = sii * soo - sio * sio
        guard det > 1e-30 else { return nil }
        let a = (soo * sic - sio * soc) / det, b = (sii * soc - sio * sic) / det
        guard a.isFinite, b.isFinite, a >= -1e-9, b >= -1e-9 else { return nil }
        let price = Price(inputPerMTok: max(a, 0), outputPerMTok: max(b, 0))
        let total = rows.reduce(0) { $0 + $1.c }
        let missed = rows.reduce(0) { $0 + abs($1.i * price.inputPerMTok + $1.o * price.outputPerMTok - $1.c) }
        return total > 0 && missed / total <= 0.02 ? price : nil
    }
}
