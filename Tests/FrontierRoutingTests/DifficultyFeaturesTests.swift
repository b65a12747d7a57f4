import Testing
@testable import FrontierRouting

/// The cheap difficulty features: tokens of a prompt's shape, alone and crossed with the domain.
@Suite struct DifficultyFeaturesTests {
    @Test func tokensDescribeTheShapeOfAPrompt() {
        let prompt = "Calculate 3 + 4?\nA. 7\nB. 8"
        let plain = DifficultyFeatures.hashes(of: prompt, domain: nil)
        let crossed = DifficultyFeatures.hashes(of: prompt, domain: "math")
        #expect(plain.count == 8)  // seven bucketed signs and "calculate"
        #expect(crossed.count == 16 && Set(plain).isSubset(of: Set(crossed)))
        #expect(plain.contains(DifficultyFeatures.hash("options=2")) && plain.contains(DifficultyFeatures.hash("calculate")))
        // 3, 4, 7 and 8.
        #expect(plain.contains(DifficultyFeatures.hash("digits=\(DifficultyFeatures.log2Bucket(4))")))
        #expect(!plain.contains(DifficultyFeatures.hash("latex")) && !plain.contains(DifficultyFeatures.hash("code")))
        #expect(DifficultyFeatures.hashes(of: "Evaluate $\\int_0^1 x\\,dx$", domain: nil).contains(DifficultyFeatures.hash("latex")))
        #expect(DifficultyFeatures.asksToCalculate("HOW MANY apples?") && !DifficultyFeatures.asksToCalculate("Who wrote it?"))
        #expect([0, 1, 2, 3, 4, 1_000].map(DifficultyFeatures.log2Bucket) == [0, 1, 2, 2, 3, 10])
        #expect(DifficultyFeatures.hashes(of: "", domain: nil).count == 7)
    }
}
