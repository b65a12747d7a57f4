import Foundation
import FrontierCore
import FrontierRouting
import Testing
@testable import FrontierAnalysis

/// Matrix factorisation and the small MLP over embeddings: they learn what the embedding says, survive the file,
/// and `serve` reads them as it reads the neighbours.
@Suite struct EmbeddingNetworkTests {
    @Test(arguments: [EmbeddingNetworkFitter(hidden: 16, activation: .linear), EmbeddingNetworkFitter(hidden: 64, activation: .tanh)])
    func aNetworkLearnsWhichPromptsAreHard(fitter: EmbeddingNetworkFitter) throws {
        let (train, embeddings) = EmbeddingSignalTests.data(count: 600, seed: 5)
        let network = try #require(fitter.fit(
            train, embeddings: embeddings, embedder: "e", models: ["small", "large"], domains: ["a", "b"], prior: [0.5, 0.9, 0.5, 0.9, 0.5, 0.9]))
        let (fresh, freshEmbeddings) = EmbeddingSignalTests.data(count: 200, seed: 6)
        var hard: [Double] = [], easy: [Double] = []
        for record in fresh.records {
            let vector = try #require(freshEmbeddings[record.id])
            let p = try #require(network.predict(vector, domain: record.domain)?["small"])
            if record.results["small"]?.score == 0 { hard.append(p) } else { easy.append(p) }
        }
        // Half the network, half the prior 0.5: 0.25 and 0.75 at best.
        let meanHard = hard.reduce(0, +) / Double(hard.count), meanEasy = easy.reduce(0, +) / Double(easy.count)
        #expect(meanHard < 0.35 && meanEasy > 0.65, "\(fitter.name): hard \(meanHard), easy \(meanEasy)")
        #expect(network.predict([1, 0, 0], domain: "a") == nil)
    }

    @Test func aFileWithANetworkRoundTripsAndServeReadsIt() throws {
        let (train, embeddings) = EmbeddingSignalTests.data(count: 300, seed: 5)
        var file = RouterFitter().fitFile(train, predictorFitter: QualityPredictorFitter(), blend: 0, network: EmbeddingNetworkFitter(hidden: 8, activation: .tanh))
        #expect(file.network == nil)  // no embeddings given to this fitter
        var fitter = RouterFitter()
        fitter.embeddings = embeddings
        file = fitter.fitFile(train, predictorFitter: QualityPredictorFitter(), blend: 0, network: EmbeddingNetworkFitter(hidden: 8, activation: .tanh))
        let network = try #require(file.network)
        #expect(file.neighbours == nil && network.hidden == 8)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("router-\(UUID()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try file.save(path: path)
        let loaded = try RouterFile.load(path: path)
        #expect(loaded.json == file.json)
        let vector = try #require(embeddings[train.records[0].id])
        let extractor = FeatureExtractor(classifier: loaded.classifier, network: loaded.network)
        let features = extractor.features(ofText: "alpha", embedding: .vector(vector, milliseconds: 2))
        #expect(features.embedding == EmbeddingNote.used(milliseconds: 2))
        #expect(features.predictedQuality == network.predict(vector, domain: features.domain?.domain))
        #expect(extractor.readsEmbedding(of: ChatRequest(model: "auto", messages: [ChatMessage(role: "user", content: "alpha")])))
        var json = file.json.objectValue ?? [:]
        var damaged = json["network"]?.objectValue ?? [:]
        damaged["activation"] = "relu"
        json["network"] = .object(damaged)
        try Data(JSONValue.object(json).serialized()).write(to: URL(fileURLWithPath: path))
        #expect { try RouterFile.load(path: path) } throws: { "\($0)".contains("field 'network.activation' is 'relu'; it is one of linear, tanh") }
        // Sizes that would overflow the consistency check's products are refused, not trapped on.
        damaged["activation"] = "tanh"
        damaged["hidden"] = .int(Int64.max / 2)
        json["network"] = .object(damaged)
        try Data(JSONValue.object(json).serialized()).write(to: URL(fileURLWithPath: path))
        #expect { try RouterFile.load(path: path) } throws: { "\($0)".contains("field 'network' is inconsistent") }
        var predictor = try #require(RouterFitter().fit(train, dataName: "d").file.json.objectValue)
        predictor["predictor"] = .object(["models": ["a", "b", "c", "d"], "domains": [], "buckets": .int(1 << 62), "text_weights": "", "domain_weights": "",
            "bias": "", "scale": "", "shift": "", "prior": "", "blend": 0])
        try Data(JSONValue.object(predictor).serialized()).write(to: URL(fileURLWithPath: path))
        #expect { try RouterFile.load(path: path) } throws: { "\($0)".contains("field 'predictor' is inconsistent") }
    }
}
