public import FrontierRouting

extension RouterFitter {
    /// A cell of the plan: a predicted domain (nil: every prompt of the region) in one cost region.
    struct Cell: Hashable {
        var domain: String?
        var region: Int
    }

    /// Per cell, one row per held-out prompt: for each signal, the mean over the region's λs of what the router's
    /// choice really earned, score − λ·cost (the objective `balanced` maximises, so the signal that earns more of
    /// it at each λ gives the higher curve).
    struct CellEarnings {
        var rows: [Cell: [[Double]]] = [:]

        mutating func add(_ evaluation: RouterEvaluation, regions: [[Double]]) {
            for n in evaluation.prompts.indices where !evaluation.prompts[n].models.isEmpty {
                for (region, lambdas) in regions.enumerated() where !lambdas.isEmpty {
                    let row = evaluation.variants.indices.map { v in
                        lambdas.reduce(0.0) { total, lambda in
                            let outcome = evaluation.outcome(prompt: n, lambda: lambda, variant: v)
                            return total + (outcome.map { $0.score - lambda * $0.cost } ?? 0)
                        } / Double(lambdas.count)
                    }
                    rows[Cell(domain: nil, region: region), default: []].append(row)
                    if let domain = evaluation.prompts[n].domain { rows[Cell(domain: domain, region: region), default: []].append(row) }
                }
            }
        }
    }

    /// The mean of `richer − base` over a cell's prompts and its standard error; nil for fewer than two prompts.
    static func pairedGain(_ rows: [[Double]], _ richer: Int, over base: Int) -> (mean: Double, standardError: Double)? {
        let gains = rows.map { $0[richer] - $0[base] }
        guard gains.count >= 2 else { return nil }
        let mean = gains.reduce(0, +) / Double(gains.count)
        let variance = gains.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(gains.count - 1)
        return (mean, (variance / Double(gains.count)).squareRoot())
    }

    /// The mean of `richer − base` over a cell's prompts, and whether it exceeds `z` standard errors (and `floor`).
    static func wins(_ rows: [[Double]], _ richer: Int, over base: Int, floor: Double, z: Double = 2) -> (gain: Double, significant: Bool) {
        guard let gain = pairedGain(rows, richer, over: base) else { return (0, false) }
        return (gain.mean, gain.mean > z * gain.standardError && gain.mean > floor)
    }

    /// How far `richer` earns more than `base` over all prompts and regions: each region's paired z (mean per-prompt
    /// gain over its standard error) combined by Stouffer's method over the regions where the two choose differently.
    static func combinedZ(_ earnings: CellEarnings, _ richer: Int, over base: Int, regions: Int) -> Double {
        let zs = (0..<regions).compactMap { region -> Double? in
            guard let gain = pairedGain(earnings.rows[Cell(domain: nil, region: region)] ?? [], richer, over: base), gain.standardError > 0 else {
                return nil
            }
            return gain.mean / gain.standardError
        }
        return zs.isEmpty ? 0 : zs.reduce(0, +) / Double(zs.count).squareRoot()
    }

    /// The plan from the folds' earnings, under `ceiling` (the signal cross-validation keeps over all prompts and
    /// costs). Per region, the simplest signal that no richer one beats over all its prompts by more than twice the
    /// standard error of its gain (for unknown domains, and those with fewer than ``minimumCellPrompts`` held-out
    /// prompts); then per domain, another signal only where it beats the region's there by as much (the one that
    /// gains most when several do): a predictor that helps on law and misleads on math is read on law only.
    ///
    /// A domain departs from its region on evidence, not for want of it: pooled, a region has the power to see a gain
    /// that one domain's prompts are too few to show (making each domain show it alone lost 0.003 AIQ on RouteLLM's 66
    /// subjects). And a cell reads a signal richer than `ceiling` only on ``planStrictZ`` standard errors: with eight
    /// regions and every domain in each, tests at two standard errors find something in pure noise. Embedding must
    /// also gain ``embeddingMinimumGain``: it costs every request of the cell an embedder call.
    func plan(from earnings: CellEarnings, signals: [Signal], regions: Int, ceiling: Signal) -> SignalPlan {
        func wins(_ rows: [[Double]], _ richer: Int, over base: Int) -> (gain: Double, significant: Bool) {
            let floor = signals[richer] == .embedding && signals[base] != .embedding ? embeddingMinimumGain : 0
            return Self.wins(rows, richer, over: base, floor: floor, z: signals[richer] > ceiling ? planStrictZ : 2)
        }
        var planned: [SignalPlan.Region] = []
        for region in 0..<regions {
            let all = earnings.rows[Cell(domain: nil, region: region)] ?? []
            var chosen = 0
            for richer in signals.indices.dropFirst() where wins(all, richer, over: chosen).significant {
                chosen = richer
            }
            var byDomain: [String: Signal] = [:]
            for (cell, rows) in earnings.rows where cell.region == region && rows.count >= minimumCellPrompts {
                guard let domain = cell.domain else { continue }
                let better = signals.indices.filter { $0 != chosen }
                    .map { ($0, wins(rows, $0, over: chosen)) }
                    .filter { $0.1.significant }
                    .max { $0.1.gain < $1.1.gain }
                if let better { byDomain[domain] = signals[better.0] }
            }
            planned.append(.init(fromLambda: SignalPlan.regionStarts[region], byDomain: byDomain, otherwise: signals[chosen]))
        }
        return SignalPlan(regions: planned)
    }

    /// The λs of the sweep in each of ``SignalPlan/regionStarts``' regions.
    static var sweepByRegion: [[Double]] {
        SignalPlan.regionStarts.indices.map { region in RouterEvaluation.lambdas.filter { SignalPlan.regionIndex(lambda: $0) == region } }
    }

    /// `file` reading what `plan` reads: the parts no cell reads are left out.
    static func applying(_ plan: SignalPlan, to file: RouterFile) -> RouterFile {
        var file = file
        file.signalPlan = plan
        if !plan.signals.contains(.prompt) { file.predictor = nil }
        if !plan.signals.contains(.embedding) {
            file.neighbours = nil
            file.network = nil
        }
        return file
    }
}

extension SignalPlan {
    /// One line: the signals some cell reads, simplest first.
    public var summary: String {
        signals.isEmpty ? "-" : signals.sorted().map(\.rawValue).joined(separator: "+")
    }
}
