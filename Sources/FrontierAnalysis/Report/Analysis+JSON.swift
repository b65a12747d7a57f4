public import FrontierCore

extension Analysis {
    /// `summary.json`: every figure of the table, for scripts and CI.
    public var summary: JSONValue {
        func point(_ p: CostQualityPoint) -> JSONValue {
            ["label": .string(p.label), "cost_usd": .double(p.cost), "quality": .double(p.quality), "prompts": .int(Int64(p.count))]
        }
        func curve(_ c: FrontierCurve) -> JSONValue {
            var reach: JSONObject = [:]
            for t in reachTargets { reach[String(Int((t * 100).rounded()))] = costToReach(t, on: c).map(JSONValue.double) ?? .null }
            return [
                "aiq": .double(aiq(c)), "peak_quality": c.peakQuality.map(JSONValue.double) ?? .null,
                "frontier": .array(c.vertices.map(point)), "cost_to_reach_percent_of_best": .object(reach),
            ]
        }
        func strongWeak(_ c: StrongWeakCurve?) -> JSONValue {
            guard let c else { return .null }
            return [
                "apgr": .double(c.apgr), "cpt_50": c.callsToStrong(toRecover: 0.5).map(JSONValue.double) ?? .null,
                "cpt_80": c.callsToStrong(toRecover: 0.8).map(JSONValue.double) ?? .null,
            ]
        }
        var object: JSONObject = [
            "data": .string(dataName), "prompts": .int(Int64(set.records.count)),
            "cost_range_usd": .array([.double(costRange.lowerBound), .double(costRange.upperBound)]),
            "models": .array(models.map(point)),
            "best_single_model": best.map(point) ?? .null,
            "zero_router": curve(zeroRouter),
            "oracle": point(oracle),
            "domains": .object(JSONObject(domains.map { d in
                (d.name, ["models": .array(d.models.map(point)), "frontier": .array(d.frontier.vertices.map(point))] as JSONValue)
            })),
            "strong_weak": [
                "strong": strong.map(JSONValue.string) ?? .null, "weak": weak.map(JSONValue.string) ?? .null,
                "oracle": strongWeak(oracleStrongWeak), "random": ["apgr": 0.5, "cpt_50": 0.5, "cpt_80": 0.8],
                "router": strongWeak(router?.strongWeak),
            ],
        ]
        object["cascades"] = .array(cascades.map { rate, c in
            var entry = curve(c).objectValue ?? [:]
            entry["checker_error_rate"] = .double(rate)
            return .object(entry)
        })
        if let router {
            var r = curve(router.curve).objectValue ?? [:]
            r["name"] = .string(router.name)
            r["sweep"] = .array(router.sweep.map { ["lambda": .double($0.lambda), "cost_usd": .double($0.costUSD), "quality": .double($0.quality)] })
            r["random_router"] = point(router.random)
            object["router"] = .object(r)
        }
        return .object(object)
    }
}
