import Foundation
import FrontierCore
import FrontierRouting
import Testing
@testable import FrontierAnalysis

/// The embedding signal: nearest training prompts by sentence embedding. Kept by cross-validation only
/// where it carries what words and domains do not; a file that reads embeddings routes by the domain
/// means when a request's embedding is missing, and says so.
@Suite struct EmbeddingSignalTests {
    /// Words and domain labels random; the embedding alone says which prompts are hard for "small"
    /// (hard ones lie near one axis, easy ones near another). `informative: false` makes the vectors noise.
    static func data(count: Int = 600, seed: UInt64 = 5, informative: Bool = true) -> (OutcomeSet, [String: [Float]]) {
        let words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"]
        var random = SeededGenerator(seed: seed)
        func uniform() -> Float { Float(random.next() % 10_000) / 10_000 }
        var embeddings: [String: [Float]] = [:]
        let records = (0..<count).map { n -> OutcomeRecord in
            let hard = random.next() % 2 == 0
            let id = "e-\(seed)-\(n)"
            var vector = (0..<8).map { _ in uniform() * 0.4 - 0.2 }
            if informative { vector[hard ? 0 : 1] += 1 }
            let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            embeddings[id] = vector.map { $0 / norm }
            return OutcomeRecord(
                id: id, prompt: (0..<8).map { _ in words[Int(random.next() % 8)] }.joined(separator: " "), domain: ["a", "b"][Int(random.next() % 2)],
                results: [
                    "small": ModelOutcome(score: hard ? 0 : 1, costUSD: 0.0001),
                    "large": ModelOutcome(score: random.next() % 10 < 9 ? 1 : 0, costUSD: 0.01),
                ])
        }
        return (OutcomeSet(records: records), embeddings)
    }

    @Test func nearestNeighboursAreTheTopSimilarities() {
        var random = SeededGenerator(seed: 11)
        let values = (0..<500).map { _ in Float(random.next() % 100_000) / 1_000 }
        for k in [1, 7, 25, 499, 500, 800] {
            let top = Set(NeighbourPredictor.top(k, of: values))
            let expected = Set(values.indices.sorted { values[$0] > values[$1] }.prefix(min(k, values.count)))
            #expect(top.count == min(k, values.count))
            #expect(top.map { values[$0] }.min() == expected.map { values[$0] }.min(), "k = \(k)")
        }
    }

    @Test func anEmbeddingSignalIsFoundAndRoutesTheHardPrompts() throws {
        let (set, embeddings) = Self.data()
        var fitter = RouterFitter()
        fitter.embeddings = embeddings
        let fit = fitter.fit(set, dataName: "embedded")
        #expect(fit.signal == .embedding, "\(fit.signals.map { ($0.signal, $0.mean) })")
        // The neighbours or a network, whichever validation preferred; not the word predictor.
        #expect((fit.file.neighbours != nil) != (fit.file.network != nil) && fit.file.predictor == nil)
        #expect(fit.report.aiq(fit.report.router) > fit.report.aiq(fit.report.zeroRouter) + 0.05)
        // The file round-trips, and predicts the same.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("router-\(UUID()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try fit.file.save(path: path)
        let loaded = try RouterFile.load(path: path)
        #expect(loaded.json == fit.file.json)
        let hardRecord = try #require(set.records.first { $0.results["small"]?.score == 0 })
        let hardVector = try #require(embeddings[hardRecord.id])
        let extractor = FeatureExtractor(classifier: loaded.classifier, neighbours: loaded.neighbours, network: loaded.network)
        let features = extractor.features(ofText: "alpha bravo", embedding: .vector(hardVector, milliseconds: 3))
        #expect((features.predictedQuality["small"] ?? 1) < 0.3)
        #expect(features.embedding == EmbeddingNote.used(milliseconds: 3))
        // Without the vector: the domain means, and the decision says why.
        let without = extractor.features(ofText: "alpha bravo", embedding: .unavailable(reason: "timeout after 100 ms", milliseconds: 100))
        #expect(without.predictedQuality.isEmpty)
        #expect(without.embedding == EmbeddingNote.fellBack(reason: "timeout after 100 ms", milliseconds: 100))
        let wrongSize = extractor.features(ofText: "alpha bravo", embedding: .vector([1, 0, 0], milliseconds: 2))
        #expect(wrongSize.predictedQuality.isEmpty)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func noiseInTheEmbeddingsIsNotKept(seed: UInt64) {
        let (set, embeddings) = Self.data(seed: seed, informative: false)
        var fitter = RouterFitter()
        fitter.embeddings = embeddings
        let fit = fitter.fit(set, dataName: "noise")
        #expect(fit.signal != .embedding, "\(fit.signals.map { ($0.signal, $0.mean) })")
        #expect(fit.report.aiq(fit.report.router) >= fit.report.aiq(fit.report.zeroRouter) - 0.005)
    }

    @Test func aDamagedEmbeddingsFileNamesTheLine() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("emb-\(UUID()).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(#"{"id": "a", "embedding": [1, 0]}\#n{"id": "b", "embedding": [1, 0, 0]}\#n{"id": "c", "embedding": "x"}\#n"#.utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: OutcomeDataError.self) { try EmbeddingReader().read(path: path) }
        do { _ = try EmbeddingReader().read(path: path) } catch {
            #expect(error.description.contains(":2:") && error.description.contains("3 dimensions"), "\(error.description)")
            #expect(error.description.contains(":3:"))
        }
    }
}
