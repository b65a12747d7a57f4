import FrontierConfig
import FrontierRouting
import Testing

/// `router.shadow` and `router.experiment`: read as written, each mistake named.
@Suite struct LearningConfigTests {
    static let models = "models:\n  - {id: m, provider: openai-compatible, base_url: \"http://127.0.0.1:1/v1\", deployment: local}\n"

    @Test func shadowAndExperimentAreReadBesideTheConfig() throws {
        let yaml = """
            router:
              shadow: {file: shadow.json}
              experiment: {file: candidate.json, share: 0.1, by: key, seed: 7, guard: {min_quality_delta: -0.03, max_cost_delta: 0.1, alpha: 0.01, min_samples: 50}}

            """ + Self.models
        let config = try ConfigLoader(environment: [:]).parse(yaml, file: "/etc/frontier/frontier.yaml")
        #expect(config.router.shadowFile == "/etc/frontier/shadow.json")
        let experiment = try #require(config.router.experiment)
        #expect(experiment.file == "/etc/frontier/candidate.json")
        #expect(experiment.assignment == ExperimentAssignment(share: 0.1, unit: .key, seed: 7))
        #expect(experiment.thresholds == ExperimentGuard.Thresholds(minQualityDelta: -0.03, maxCostDelta: 0.1, alpha: 0.01, minSamples: 50))
        // Off unless asked for.
        let plain = try ConfigLoader(environment: [:]).parse(Self.models, file: "f.yaml")
        #expect(plain.router.shadowFile == nil && plain.router.experiment == nil)
    }

    @Test func eachMistakeIsNamed() {
        #expect(configFailure("router: {experiment: {share: 0.1}}\n" + Self.models).contains("field 'router.experiment.file' is required"))
        #expect(configFailure("router: {experiment: {file: c.json}}\n" + Self.models).contains("field 'router.experiment.share' must be above 0 and at most 1"))
        #expect(configFailure("router: {experiment: {file: c.json, share: 0}}\n" + Self.models).contains("field 'router.experiment.share'"))
        #expect(configFailure("router: {experiment: {file: c.json, share: 2}}\n" + Self.models).contains("share"))
        #expect(configFailure("router: {experiment: {file: c.json, share: 0.1, by: tenant}}\n" + Self.models).contains("must be request or key"))
        #expect(configFailure("router: {experiment: {file: c.json, share: 0.1, guard: {min_quality_delta: 0.5}}}\n" + Self.models).contains("min_quality_delta"))
        #expect(configFailure("router: {experiment: {file: c.json, share: 0.1, guard: {alpha: 0}}}\n" + Self.models).contains("alpha"))
        #expect(configFailure("router: {experiment: {file: c.json, share: 0.1, gaurd: {}}}\n" + Self.models).contains("unknown field"))
        #expect(configFailure("router: {shadow: {}}\n" + Self.models).contains("field 'router.shadow.file' is required"))
    }
}
