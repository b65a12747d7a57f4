import FrontierCore
import Testing

@Suite struct PriceTests {
    @Test func costCountsInputOutputAndCachedTokens() {
        let price = Price(inputPerMTok: 2.5, outputPerMTok: 10, cachedInputPerMTok: 1.25)
        let usage = Usage(promptTokens: 1_000, completionTokens: 500, cachedPromptTokens: 400)
        // 600 * 2.5 + 400 * 1.25 + 500 * 10 = 1500 + 500 + 5000 = 7000 per million
        #expect(abs(price.cost(of: usage) - 0.007) < 1e-12)
    }

    @Test func cachedTokensUseTheInputPriceWhenNoCachedPriceIsSet() {
        let price = Price(inputPerMTok: 1, outputPerMTok: 0)
        #expect(abs(price.cost(of: Usage(promptTokens: 1_000_000, completionTokens: 0, cachedPromptTokens: 10)) - 1) < 1e-12)
    }

    @Test func usageReadsAndWritesOpenAIsShape() throws {
        let json = try JSONParser.parse(#"{"prompt_tokens":11,"completion_tokens":4,"total_tokens":15,"prompt_tokens_details":{"cached_tokens":6}}"#)
        let usage = try #require(Usage(openAI: json))
        #expect(usage == Usage(promptTokens: 11, completionTokens: 4, cachedPromptTokens: 6))
        #expect(usage.openAIJSON["total_tokens"] == 15)
        #expect(Usage(openAI: ["prompt_tokens": 1]) == nil)
    }
}
