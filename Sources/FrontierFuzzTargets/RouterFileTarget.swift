import FrontierCore
import FrontierRouting

extension FuzzTarget {
    /// A router file as `serve` loads it (`router.file`, and again on every change): refused with a message, or
    /// loaded, and then it survives its own round trip and answers prompts at every cost region with quality
    /// estimates in [0, 1] and answer lengths of at least one token, with and without an embedding.
    public static let routerFile = FuzzTarget(name: "router-file") { bytes in
        guard let file = try? RouterFile.decode(Array(bytes), path: "fuzz") else { return }
        precondition((try? RouterFile.decode(file.json.serialized(), path: "round trip")) != nil, "a loaded router file does not load again once saved")
        let dimension = min(file.neighbours?.dimension ?? file.network?.dimension ?? 4, 4_096)
        let embeddings: [PromptEmbedding?] = [
            nil, .vector((0..<dimension).map { Float($0 % 7) - 3 }, milliseconds: 1), .vector([Float](repeating: 0, count: dimension), milliseconds: 1),
        ]
        for lambda in [0, 50, 1e4, 1e9] {
            var extractor = FeatureExtractor(
                classifier: file.classifier, predictor: file.predictor, outputLengths: file.outputLengths, neighbours: file.neighbours, network: file.network)
            extractor.signalChoice = file.signalChoice(lambda: lambda)
            for text in ["What is 2 + 2?", "A contract signed under duress is voidable. Which party may rescind?\nA. buyer\nB. seller", ""] {
                for embedding in embeddings {
                    let features = extractor.features(ofText: text, maxTokens: 64, embedding: embedding)
                    for (model, quality) in features.predictedQuality {
                        precondition(quality.isFinite && (0...1).contains(quality), "quality estimate \(quality) for \(model)")
                    }
                    precondition(features.expectedOutputTokensByModel.values.allSatisfy { (1...64).contains($0) }, "answer length outside 1...max_tokens")
                }
            }
        }
    }
}
