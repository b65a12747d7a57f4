import FrontierCore
import Testing

@Suite struct KeyPolicyTests {
    @Test func periodsStartAtUTCDayMondayAndTheFirstOfTheMonth() {
        let t = ISOTime.ms("2026-12-03T15:30:00Z") ?? 0  // a Thursday
        #expect(ISOTime.string(ms: KeyPolicy.Period.day.start(of: t)) == "2026-12-03T00:00:00Z")
        #expect(ISOTime.string(ms: KeyPolicy.Period.week.start(of: t)) == "2026-11-30T00:00:00Z")
        #expect(ISOTime.string(ms: KeyPolicy.Period.month.start(of: t)) == "2026-12-01T00:00:00Z")
        #expect(KeyPolicy.Period.total.start(of: t) == 0)
        let leap = ISOTime.ms("2028-02-29T23:59:59Z") ?? 0
        #expect(ISOTime.string(ms: KeyPolicy.Period.month.start(of: leap)) == "2028-02-01T00:00:00Z")
        #expect(ISOTime.string(ms: KeyPolicy.Period.month.start(of: ISOTime.ms("2027-01-01T00:00:00Z") ?? 0)) == "2027-01-01T00:00:00Z")
    }

    @Test func jsonRoundTripsAndPatchesChangeOnlyWhatIsGiven() throws {
        let json: JSONObject = [
            "models": ["a", "b"], "privacy": "on-prem", "budget_usd": 10, "budget_period": "week", "rpm": 60,
            "expires_at": "2027-01-01T00:00:00Z", "max_constraints": ["max_cost_usd": 0.5],
        ]
        let policy = try KeyPolicy(json: json)
        #expect(policy.models == ["a", "b"] && policy.privacy == .onPrem && policy.budgetUSD == 10 && policy.budgetPeriod == .week)
        #expect(try KeyPolicy(json: policy.json) == policy)
        let patched = try KeyPolicy(json: ["rpm": .null, "budget_usd": 12], over: policy)
        #expect(patched.rpm == nil && patched.budgetUSD == 12 && patched.models == ["a", "b"])
    }

    @Test func badFieldsAreNamed() {
        func param(_ json: JSONObject) -> String? {
            do { _ = try KeyPolicy(json: json) } catch { return error.param }
            return nil
        }
        #expect(param(["budget_usd": -1]) == "budget_usd")
        #expect(param(["budget_usd": 1e300]) == "budget_usd")
        #expect(param(["rpm": 1.5]) == "rpm")
        #expect(param(["models": "a"]) == "models")
        #expect(param(["privacy": "public"]) == "privacy")
        #expect(param(["expires_at": "soon"]) == "expires_at")
        #expect(param(["max_constraints": ["max_tokens": 5]]) == "max_constraints.max_tokens")
    }

    @Test func theFloorAndCeilingsCannotBeLiftedByARequest() {
        let policy = KeyPolicy(privacy: .onPrem, maxCostUSD: 0.01, maxLatencyMs: 2_000)
        let asked = Constraints(maxCostUSD: 5, maxLatencyMs: nil, privacy: .any)
        let bound = policy.bounding(asked)
        #expect(bound.privacy == .onPrem && bound.maxCostUSD == 0.01 && bound.maxLatencyMs == 2_000)
        let narrower = policy.bounding(Constraints(maxCostUSD: 0.001, privacy: .local))
        #expect(narrower.privacy == .local && narrower.maxCostUSD == 0.001)
    }

    @Test func theWorstCaseCoversPromptBytesMediaChoicesAndTheOutputCap() throws {
        let model = ModelEntry(id: "m", provider: .openAICompatible, baseURL: "http://x/v1", deployment: .cloud,
                               price: Price(inputPerMTok: 1, outputPerMTok: 10), contextWindow: 100_000, maxOutputTokens: 1_000)
        let plain = try ChatRequest(json: ["model": "m", "messages": [["role": "user", "content": "hi"]]])
        #expect(WorstCase.outputTokens(plain, on: model) == 1_000)
        let expected: Double = (100.0 + 10_000.0) / 1e6
        #expect(abs(WorstCase.costUSD(plain, bodyBytes: 100, on: model) - expected) < 1e-12)
        let capped = try ChatRequest(json: ["model": "m", "max_tokens": 20, "n": 3, "messages": [["role": "user", "content": "hi"]]])
        #expect(WorstCase.outputTokens(capped, on: model) == 60)
        let image = try ChatRequest(json: ["model": "m", "messages": [["role": "user", "content": [["type": "image_url", "image_url": ["url": "http://x/a.png"]]]]]])
        #expect(WorstCase.promptTokens(image, bodyBytes: 120, on: model) == 120 + WorstCase.tokensPerMediaPart)
        let file = try ChatRequest(json: ["model": "m", "messages": [["role": "user", "content": [["type": "file", "file": ["file_id": "f"]]]]]])
        #expect(WorstCase.promptTokens(file, bodyBytes: 90, on: model) == 100_000)
        var uncapped = model
        uncapped.maxOutputTokens = nil
        #expect(WorstCase.outputCap(plain, on: uncapped) == WorstCase.defaultOutputTokens)
    }

    @Test func nanodollarsRoundUpAndNeverTrap() {
        #expect(Nanodollars.up(0.022) == 22_000_000)
        #expect(Nanodollars.up(1e-12) == 1)
        #expect(Nanodollars.up(-1) == 0 && Nanodollars.up(.nan) == 0)
        #expect(Nanodollars.up(.infinity) == Nanodollars.maximum)
    }
}
