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

    @Test func exploreIsReadWithItsGraderAndEachMistakeIsNamed() throws {
        let yaml = "router: {explore: {share: 0.02, max_cost_usd_per_day: 5, judge: m, seed: 9}}\n" + Self.models
        let explore = try #require(try ConfigLoader(environment: [:]).parse(yaml, file: "f.yaml").router.explore)
        #expect(explore.share == 0.02 && explore.maxCostUSDPerDay == 5 && explore.seed == 9 && explore.maxOutputTokens == 1024 && explore.concurrency == 2)
        #expect(explore.grader == .judge(model: "m"))
        let checked = try ConfigLoader(environment: [:]).parse(
            "router: {explore: {share: 0.1, max_cost_usd_per_day: 1, max_share_of_serving: 0.05, check: {must_contain: ok, min_chars: 2}}}\n" + Self.models, file: "f.yaml")
        guard case .check(let checks)? = checked.router.explore?.grader else { Issue.record("not a check"); return }
        #expect(checks.mustContain == ["ok"] && checks.minChars == 2)
        #expect(checked.router.explore?.maxShareOfServing == 0.05)
        #expect(configFailure("router: {explore: {share: 0.1, max_cost_usd_per_day: 1, max_share_of_serving: 0, judge: m}}\n" + Self.models).contains("max_share_of_serving"))
        #expect(try ConfigLoader(environment: [:]).parse(Self.models, file: "f.yaml").router.explore == nil)

        let base = "router: {explore: {share: 0.02, max_cost_usd_per_day: 5"
        #expect(configFailure(base + "}}\n" + Self.models).contains("or 'check' is required"))
        #expect(configFailure(base + ", judge: m, check: {min_chars: 1}}}\n" + Self.models).contains("cannot both be given"))
        #expect(configFailure(base + ", judge: nobody}}\n" + Self.models).contains("'nobody', which is not a chat model"))
        #expect(configFailure("router: {explore: {share: 0.9, max_cost_usd_per_day: 5, judge: m}}\n" + Self.models).contains("share"))
        #expect(configFailure("router: {explore: {share: 0.02, judge: m}}\n" + Self.models).contains("max_cost_usd_per_day' is required"))
        #expect(configFailure(base + ", check: {verifier: {model: m}}}}\n" + Self.models).contains("unknown field"))
    }
}
