import FrontierCore
import FrontierRouting
import Testing

@Suite struct LatencyTrackerTests {
    @Test func learnsFirstTokenAndSpeedWithExponentialWeights() throws {
        let tracker = LatencyTracker(smoothing: 0.5)
        tracker.record(model: "m", firstTokenMs: 100, completionTokens: 100, generationMs: 1_000)
        tracker.record(model: "m", firstTokenMs: 300, completionTokens: 100, generationMs: 500)
        let observed = try #require(tracker.snapshot()["m"])
        #expect(observed.firstTokenMs == 200)
        #expect(observed.tokensPerSecond == 150)  // (100 + 200) / 2
    }

    @Test func aModelThatSlowsDownFallsOutOfALatencyLimit() {
        let model = ModelEntry(
            id: "fast", provider: .openAICompatible, baseURL: "http://x/v1", deployment: .local,
            profile: ModelProfile(firstTokenMs: 100, tokensPerSecond: 100))
        let router = ModelRouter(models: [model])
        let features = RequestFeatures(promptTokens: 10, expectedOutputTokens: 100)
        let limit = Constraints(maxLatencyMs: 2_000)
        #expect(router.decide(features: features, constraints: limit).chosen == "fast")
        let tracker = LatencyTracker(smoothing: 1)
        tracker.record(model: "fast", firstTokenMs: 800, completionTokens: 100, generationMs: 5_000)
        let decision = router.decide(features: features, constraints: limit, observed: tracker.snapshot())
        #expect(decision.chosen == nil)
        #expect(decision.excluded.first?.reason.description.hasPrefix("latency") == true)
    }
}
