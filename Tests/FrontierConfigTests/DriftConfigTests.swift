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
}
