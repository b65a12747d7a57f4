import FrontierCore
import FrontierRouting
import Testing

/// `/v1/embeddings` planning: embedding models only, cheapest first, inside
/// the zone that the inputs' personal data sets, within the key's models and budget.
@Suite struct EmbeddingPlanningTests {
    static let models = [
        ModelEntry(id: "chat", provider: .openAICompatible, baseURL: "http://h/v1", deployment: .cloud, price: Price(inputPerMTok: 0.001, outputPerMTok: 0)),
        ModelEntry(id: "local-embed", provider: .openAICompatible, kind: .embedding, baseURL: "http://h/v1", deployment: .local, price: Price(inputPerMTok: 0.05, outputPerMTok: 0)),
        ModelEntry(id: "cloud-embed", provider: .openAICompatible, kind: .embedding, baseURL: "http://h/v1", deployment: .cloud, price: Price(inputPerMTok: 0.02, outputPerMTok: 0)),
    ]

    static let planner = RoutePlanner(
        catalog: ModelCatalog(models: models), autoModels: [], router: ModelRouter(models: models.filter { $0.kind == .chat }),
        extractor: FeatureExtractor(classifier: nil), defaults: Constraints(), privacy: PrivacyPolicy(piiZone: .onPrem))

    func inputs(_ model: String, _ texts: [String]) -> ChatRequest {
        ChatRequest(model: model, messages: texts.map { ChatMessage(role: "user", content: .string($0)) }, extra: ["max_tokens": 1])
    }

    @Test func autoTakesEmbeddingModelsCheapestFirst() throws {
        let plan = try Self.planner.planEmbedding(inputs("auto", ["quarterly revenue"]), constraints: Constraints())
        #expect(plan.candidates.map(\.id) == ["cloud-embed", "local-embed"])
    }

    @Test func personalDataKeepsTheInputsOnPrem() throws {
        let plan = try Self.planner.planEmbedding(inputs("auto", ["Patient SSN 123-45-6789"]), constraints: Constraints())
        #expect(plan.candidates.map(\.id) == ["local-embed"])
        #expect(plan.zone == .onPrem && !plan.piiFields.isEmpty)
        #expect(throws: APIError.self) { try Self.planner.planEmbedding(inputs("cloud-embed", ["Patient SSN 123-45-6789"]), constraints: Constraints()) }
    }

    @Test func aChatModelIsNotAnEmbeddingModel() {
        do {
            _ = try Self.planner.planEmbedding(inputs("chat", ["x"]), constraints: Constraints())
            Issue.record("a chat model was planned for embeddings")
        } catch {
            #expect(error.code == "model_not_embedding")
        }
    }

    @Test func theKeysModelsAndBudgetBound() throws {
        let key = KeyScope(id: "k", policy: KeyPolicy(models: ["local-embed"]))
        #expect(try Self.planner.planEmbedding(inputs("auto", ["x"]), constraints: Constraints(), key: key).candidates.map(\.id) == ["local-embed"])
        let poor = KeyScope(id: "k", policy: KeyPolicy(), budget: BudgetFilter(remainingUSD: 0, worstCaseUSD: { _ in 0.001 }))
        do {
            _ = try Self.planner.planEmbedding(inputs("auto", ["x"]), constraints: Constraints(), key: poor)
            Issue.record("planned past the budget")
        } catch {
            #expect(error.status == 429)
        }
    }

    @Test(arguments: [
        (["model": "auto"] as JSONValue, "input"),
        (["model": "auto", "input": []] as JSONValue, "input"),
        (["model": "auto", "input": [true]] as JSONValue, "input[0]"),
        (["model": "auto", "input": "x", "encoding_format": "int8"] as JSONValue, "encoding_format"),
        (["input": "x"] as JSONValue, "model"),
    ])
    func badEmbeddingRequestsNameTheField(_ body: JSONValue, _ param: String) {
        do {
            _ = try EmbeddingRequest(json: body)
            Issue.record("accepted \(body)")
        } catch {
            #expect(error.param == param)
        }
    }
}
