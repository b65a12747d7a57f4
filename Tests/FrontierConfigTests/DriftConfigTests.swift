import FrontierConfig
import FrontierCore
import Testing

/// `models[].expect_identity`, `on_identity_change` and `regression`: read as written, each mistake named.
@Suite struct DriftConfigTests {
    static func models(_ extra: String) -> String {
        "models:\n  - {id: m, provider: openai-compatible, base_url: \"http://127.0.0.1:1/v1\", deployment: local\(extra)}\n"
    }

    @Test func aPinFailsOverUnlessToldToWatch() throws {
        let pinned = try ConfigLoader(environment: [:]).parse(Self.models(", expect_identity: gpt-4o-2024-08-06"), file: "f.yaml")
        #expect(pinned.catalog["m"]?.identity == IdentityExpectation(pinned: "gpt-4o-2024-08-06", onChange: .fail))
        let watched = try ConfigLoader(environment: [:]).parse(Self.models(", expect_identity: fp_abc, on_identity_change: watch"), file: "f.yaml")
        #expect(watched.catalog["m"]?.identity == IdentityExpectation(pinned: "fp_abc", onChange: .watch))
        let plain = try ConfigLoader(environment: [:]).parse(Self.models(""), file: "f.yaml")
        #expect(plain.catalog["m"]?.identity == IdentityExpectation(pinned: nil, onChange: .watch))
    }

    @Test func eachMistakeIsNamed() {
        #expect(configFailure(Self.models(", on_identity_change: ignore")).contains("must be fail"))
        #expect(configFailure(Self.models(", expect_identity: \"\"")).contains("expect_identity"))
        #expect(configFailure(Self.models(", expect_identity: \"gpt\\n4o\"")).contains("printable ASCII"))
    }

    @Test func aCanaryAndARegressionThresholdAreReadWithTheirDefaultsAndEachMistakeNamed() throws {
        let config = try ConfigLoader(environment: [:]).parse(
            Self.models(", canary: {suite: canary.jsonl, every: 6h, max_cost_usd_per_run: 0.25, samples: 5}, regression: {max_quality_drop: 0.1}"),
            file: "/etc/frontier/frontier.yaml")
        let canary = try #require(config.catalog["m"]?.canary)
        #expect(canary == CanarySettings(suite: "/etc/frontier/canary.jsonl", everyMs: 6 * 3_600_000, onChange: true, maxCostUSDPerRun: 0.25, samples: 5))
        #expect(config.catalog["m"]?.regression == RegressionPolicy(maxQualityDrop: 0.1))
        #expect(try ConfigLoader(environment: [:]).parse(Self.models(""), file: "f.yaml").catalog["m"]?.canary == nil)
        #expect(configFailure(Self.models(", canary: {every: 24h}")).contains("'canary.suite' is required"))
        #expect(configFailure(Self.models(", canary: {suite: c.jsonl, every: 5s}")).contains("at least a minute"))
        #expect(configFailure(Self.models(", canary: {suite: c.jsonl, every: daily}")).contains("like 30m, 6h or 24h"))
        #expect(configFailure(Self.models(", canary: {suite: c.jsonl, max_cost_usd_per_run: 0}")).contains("must be above 0"))
        #expect(configFailure(Self.models(", canary: {suite: c.jsonl, sampels: 3}")).contains("unknown field"))
        #expect(configFailure(Self.models(", regression: {max_quality_drop: 1.5}")).contains("below 1"))
    }
}
