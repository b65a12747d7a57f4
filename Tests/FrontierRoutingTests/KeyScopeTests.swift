import FrontierCore
import FrontierRouting
import Testing

/// The key's policy and budget as the planner applies them.
@Suite struct KeyScopeTests {
    static let models = [
        ModelEntry(id: "local", provider: .openAICompatible, baseURL: "http://x/v1", deployment: .local, profile: ModelProfile(quality: 0.4)),
        ModelEntry(id: "mid", provider: .openAICompatible, baseURL: "http://x/v1", deployment: .onPrem,
                   price: Price(inputPerMTok: 1, outputPerMTok: 2), profile: ModelProfile(quality: 0.7)),
        ModelEntry(id: "cloud", provider: .openAICompatible, baseURL: "http://x/v1", deployment: .cloud,
                   price: Price(inputPerMTok: 100, outputPerMTok: 1_000), profile: ModelProfile(quality: 0.95)),
    ]

    var planner: RoutePlanner {
        RoutePlanner(
            catalog: ModelCatalog(models: Self.models), autoModels: [], router: ModelRouter(models: Self.models),
            extractor: FeatureExtractor(classifier: nil), defaults: Constraints(objective: .best),
            routes: ["support": RouteDefinition(name: "support", models: ["mid", "cloud"], constraints: Constraints(maxCostUSD: 0.5, objective: .best))])
    }

    func request(_ model: String, maxTokens: Int = 100) throws -> ChatRequest {
        try ChatRequest(json: ["model": .string(model), "max_tokens": .int(Int64(maxTokens)), "messages": [["role": "user", "content": "hello"]]])
    }

    /// The key's remaining budget against `chat`'s real worst case, for a body of 200 bytes.
    func budget(_ usd: Double, _ chat: ChatRequest) -> BudgetFilter {
        BudgetFilter(remainingUSD: usd, worstCaseUSD: { model in WorstCase.costUSD(chat, bodyBytes: 200, on: model) })
    }

    /// What the planner refuses `chat` with under `key`; nil if it plans it.
    func refusal(_ chat: ChatRequest, _ key: KeyScope) -> APIError? {
        do {
            _ = try planner.plan(chat, constraints: Constraints(objective: .best), key: key)
            return nil
        } catch {
            return error
        }
    }

    @Test func aModelOrRouteOutsideTheKeysListIsRefusedNamingWhatIsAllowed() throws {
        let key = KeyScope(id: "k", policy: KeyPolicy(models: ["local", "mid"], routes: []))
        let model = refusal(try request("cloud"), key)
        #expect(model?.status == 403 && model?.code == "model_not_allowed" && model?.message.contains("local, mid") == true)
        let route = refusal(try request("support"), key)
        #expect(route?.status == 403 && route?.code == "route_not_allowed")
        // auto chooses among the key's models only.
        let plan = try planner.plan(try request("auto"), constraints: Constraints(objective: .best), key: key)
        #expect(plan.candidates.map(\.id) == ["mid", "local"])
    }

    @Test func theBudgetExcludesWhatItCannotCoverAndRefusesWhenNothingFits() throws {
        let chat = try request("auto", maxTokens: 1_000)
        // cloud's worst case: 200 bytes x $100/M + 1000 x $1000/M = $1.02; mid's: $0.0022.
        let plan = try planner.plan(chat, constraints: Constraints(objective: .best), key: KeyScope(id: "k", policy: KeyPolicy(), budget: budget(0.5, chat)))
        #expect(plan.candidates.first?.id == "mid")
        #expect(plan.decision?.excluded.contains { $0.model == "cloud" && $0.reason.isBudget } == true)
        let named = try request("cloud")
        let broke = refusal(named, KeyScope(id: "k", policy: KeyPolicy(), budget: budget(0, named)))
        #expect(broke?.status == 429 && broke?.code == "insufficient_quota")
        let tiny = refusal(chat, KeyScope(id: "k", policy: KeyPolicy(models: ["cloud"]), budget: budget(0.01, chat)))
        #expect(tiny?.status == 429 && tiny?.message.contains("$0.01") == true)
    }

    @Test func aRoutesCapsAreCeilingsAHeaderCannotLift() throws {
        let defaults = planner.defaults(for: try planner.target(for: "support"))
        let lifted = try ConstraintParser.parse(header: { $0 == "x-frontier-max-cost-usd" ? "10" : nil }, body: nil, defaults: defaults)
        #expect(lifted.maxCostUSD == 0.5)
        let lowered = try ConstraintParser.parse(header: { _ in nil }, body: ["max_cost_usd": 0.1], defaults: defaults)
        #expect(lowered.maxCostUSD == 0.1)
        let open = try ConstraintParser.parse(header: { $0 == "x-frontier-max-cost-usd" ? "10" : nil }, body: nil, defaults: Constraints())
        #expect(open.maxCostUSD == 10)
    }
}
