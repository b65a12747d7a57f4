import Foundation
import FrontierCore
import FrontierRouting
import Testing

/// Trained on 4/5 of shared/data/mmlu-pro (split by a hash of the prompt id),
/// scored on the other fifth, which it never saw.
@Suite struct DomainClassifierTests {
    static let data = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/data/mmlu-pro/outcomes.jsonl")

    static func isHeldOut(_ id: String) -> Bool {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash % 5 == 0
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: data.path), "needs ../shared/data"))
    func heldOutAccuracyOnMMLUProIsAtLeast80Percent() throws {
        var train: [(text: String, domain: String)] = []
        var test: [(text: String, domain: String)] = []
        for line in try String(contentsOf: Self.data, encoding: .utf8).split(separator: "\n") {
            let json = try JSONParser.parse(String(line))
            guard let id = json["id"]?.stringValue, let prompt = json["prompt"]?.stringValue, let domain = json["domain"]?.stringValue else { continue }
            if Self.isHeldOut(id) { test.append((prompt, domain)) } else { train.append((prompt, domain)) }
        }
        let started = ContinuousClock.now
        let classifier = DomainClassifier.train(examples: train)
        let trainingTime = ContinuousClock.now - started
        var correct: [String: Int] = [:]
        var total: [String: Int] = [:]
        for example in test {
            total[example.domain, default: 0] += 1
            if classifier.classify(example.text).domain == example.domain { correct[example.domain, default: 0] += 1 }
        }
        let accuracy = Double(correct.values.reduce(0, +)) / Double(test.count)
        print("domain classifier: trained on \(train.count) in \(trainingTime), held-out accuracy \(String(format: "%.3f", accuracy)) on \(test.count)")
        for domain in total.keys.sorted() {
            print("  \(domain): \(String(format: "%.2f", Double(correct[domain, default: 0]) / Double(total[domain, default: 1])))")
        }
        #expect(accuracy >= 0.8)
    }

    @Test func learnsFromAHandfulOfConfigExamples() {
        let classifier = DomainClassifier.train(examples: [
            ("Is a verbal contract legally binding in court?", "law"),
            ("What remedies exist for breach of contract under tort law?", "law"),
            ("Solve the integral of x squared from zero to one.", "math"),
            ("Find the derivative of the polynomial and solve for x.", "math"),
            ("The patient has fever and a persistent cough; which antibiotic?", "health"),
            ("What dose of the drug is safe for a patient with kidney disease?", "health"),
        ], minimumCount: 1)
        #expect(classifier.classify("Can the court enforce this contract?").domain == "law")
        #expect(classifier.classify("Solve for x in this polynomial").domain == "math")
        #expect(classifier.classify("Which antibiotic for this patient?").domain == "health")
    }
}
