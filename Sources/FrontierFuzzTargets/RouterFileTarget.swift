import FrontierCore
import FrontierRouting

extension FuzzTarget {
    /// A router file as `serve` loads it (`router.file`, and again on every change): refused with a message, or
    /// loaded, and then it survives its own round trip and answers prompts at every cost region with quality
    /// estimates in [0, 1], answer lengths of at least one token, and a decision among the file's models under
    /// every objective, with and without an embedding.
    public static let routerFile = FuzzTarget(name: "router-file") { bytes in
        guard let file = try? RouterFile.decode(Array(bytes), path: "fuzz") else { return }
        precondition((try? RouterFile.decode(file.json.serialized(), path: "round trip")) != nil, "a loaded router file does not load again once saved")
        let dimension = min(file.neighbours?.dimension ?? file.network?.dimension ?? 4, 4_096)
        let embeddings: [PromptEmbedding?] = [
            nil, .vector((0..<dimension).map { Float($0 % 7) - 3 }, milliseconds: 1), .vector([Float](repeating: 0, count: dimension), milliseconds: 1),
        ]
        // The catalog `serve` would route over: the file's figures on models of the file's prices.
        let models = file.models.prefix(32).map { fitted in
            ModelEntry(
                id: fitted.id, provider: .openAICompatible, baseURL: "http://127.0.0.1:9/v1", deployment: .cloud, price: fitted.price ?? .free,
                profile: ModelProfile(quality: fitted.quality, qualityByDomain: fitted.qualityByDomain))
        }
        for lambda in [0, 50, 1e4, 1e9] {
            var extractor = FeatureExtractor(
                classifier: file.classifier, predictor: file.predictor, outputLengths: file.outputLengths, neighbours: file.neighbours, network: file.network)
            extractor.signalChoice = file.signalChoice(lambda: lambda)
            let router = ModelRouter(models: models, lambda: lambda)
            for text in ["What is 2 + 2?", "A contract signed under duress is voidable. Which party may rescind?\nA. buyer\nB. seller", ""] {
                for embedding in embeddings {
                    let features = extractor.features(ofText: text, maxTokens: 64, embedding: embedding)
                    for (model, quality) in features.predictedQuality {
                        precondition(quality.isFinite && (0...1).contains(quality), "quality estimate \(quality) for \(model)")
                    }
                    precondition(features.expectedOutputTokensByModel.values.allSatisfy { (1...64).contains($0) }, "answer length outside 1...max_tokens")
                    for objective in Objective.allCases {
                        let decision = router.decide(features: features, constraints: Constraints(objective: objective))
                        precondition((decision.chosen != nil) == !models.isEmpty, "no model chosen among \(models.count) with no constraint")
                        precondition(decision.estimates.allSatisfy { $0.quality.isFinite && $0.costUSD >= 0 }, "an estimate the router cannot rank")
                        precondition((try? JSONParser.parse(decision.json.serialized())) != nil, "the decision is not JSON")
                    }
                }
            }
        }
    }
}
