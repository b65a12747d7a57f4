import FrontierCore
import Testing
@testable import FrontierAnalysis

/// The learning curve's JSON read, refused when incomplete, and drawn in the analysis report.
@Suite struct LearningCurveTests {
    static let fields: JSONObject = [
        "runs": 8, "per_week": 5000, "exploration_share_of_serving": 0.049, "full_pool_aiq": 0.7319, "zero_router_aiq": 0.7102,
        "mean_aiq_by_week": [0.7194, 0.7232, 0.7241], "min_aiq_by_week": [0.7105, 0.7210, 0.7230], "max_aiq_by_week": [0.7240, 0.7253, 0.7264],
    ]
    static let json = JSONValue.object(fields)

    @Test func theCurveIsReadAndDrawnAsTheReportsLastChart() throws {
        let curve = try LearningCurve(json: Self.json)
        #expect(curve.mean == [0.7194, 0.7232, 0.7241] && curve.runs == 8 && curve.fullPool == 0.7319)
        var analysis = Analysis(set: RouterFitterTests.synthetic(count: 200), dataName: "synthetic")
        #expect(!analysis.html.contains("chart-learning"))
        analysis.learningCurve = curve
        let html = analysis.html
        #expect(html.contains("id=\"chart-learning\"") && html.contains("The learning curve") && html.contains("mean of 8 runs"))
        #expect(html.contains("5000 requests a week"))
    }

    @Test func anIncompleteCurveIsRefusedWithWhatIsMissing() {
        var missing = Self.fields
        missing["full_pool_aiq"] = nil
        #expect(throws: OutcomeDataError.self) { try LearningCurve(json: .object(missing)) }
        var ragged = Self.fields
        ragged["min_aiq_by_week"] = [0.71]
        #expect { try LearningCurve(json: .object(ragged)) } throws: { ($0 as? OutcomeDataError)?.message.contains("different numbers of weeks") == true }
    }
}
