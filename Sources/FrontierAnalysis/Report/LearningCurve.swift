public import FrontierCore

/// The learning loop's simulated curve (`scripts/learning-curve.py --aggregate`'s JSON): held-out AIQ per week,
/// the mean of several runs and its range, against the router fitted on everything and the zero router. The
/// analysis report draws it beside the frontier it is measured against.
public struct LearningCurve: Sendable, Equatable {
    public var mean: [Double]
    public var low: [Double]
    public var high: [Double]
    public var fullPool: Double
    public var zeroRouter: Double
    public var runs: Int
    public var perWeek: Int
    public var explorationShare: Double?

    /// Reads the aggregate JSON; nil with the reason when a field is missing or the weeks disagree.
    public init(json: JSONValue) throws(OutcomeDataError) {
        func numbers(_ key: String) throws(OutcomeDataError) -> [Double] {
            guard let values = json[key]?.arrayValue?.compactMap(\.doubleValue), !values.isEmpty else {
                throw OutcomeDataError(message: "the learning curve lacks '\(key)' (a list of numbers, week 0 first)")
            }
            return values
        }
        mean = try numbers("mean_aiq_by_week")
        low = try numbers("min_aiq_by_week")
        high = try numbers("max_aiq_by_week")
        guard low.count == mean.count, high.count == mean.count else {
            throw OutcomeDataError(message: "the learning curve's mean, min and max have different numbers of weeks")
        }
        guard let full = json["full_pool_aiq"]?.doubleValue, let zero = json["zero_router_aiq"]?.doubleValue else {
            throw OutcomeDataError(message: "the learning curve lacks 'full_pool_aiq' or 'zero_router_aiq'")
        }
        fullPool = full
        zeroRouter = zero
        runs = json["runs"]?.intValue ?? 1
        perWeek = json["per_week"]?.intValue ?? 0
        explorationShare = json["exploration_share_of_serving"]?.doubleValue
    }
}

extension LearningCurve {
    /// The chart: the mean per week (a line), the range of the runs (dots), and the two references (flat lines).
    func chart() -> String {
        var chart = SVGChart(title: "The learning loop, held-out AIQ per simulated week", xLabel: "week (0: the seed router)", yLabel: "held-out AIQ", logX: false)
        let weeks = Double(mean.count - 1)
        chart.series.append(.init(name: "mean of \(runs) runs", color: Analysis.palette[0], points: mean.enumerated().map { (Double($0.offset), $0.element, nil) }, line: true))
        chart.series.append(.init(
            name: "lowest and highest run", color: "#9ab8e6",
            points: (low.enumerated().map { (Double($0.offset), $0.element, nil) } + high.enumerated().map { (Double($0.offset), $0.element, nil) }), line: false))
        chart.series.append(.init(name: "fitted on the whole pool (\(Fmt.q(fullPool)))", color: Analysis.palette[2], points: [(0, fullPool, nil), (weeks, fullPool, nil)], line: true, dots: false))
        chart.series.append(.init(name: "zero router (\(Fmt.q(zeroRouter)))", color: "#999999", points: [(0, zeroRouter, nil), (weeks, zeroRouter, nil)], line: true, dots: false))
        return chart.render(id: "chart-learning")
    }
}
