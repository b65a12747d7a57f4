import FrontierCore
import Testing
@testable import FrontierAnalysis

@Suite struct OutcomeReaderTests {
    func read(_ text: String, prices: [String: Price] = [:]) throws(OutcomeDataError) -> OutcomeSet {
        try OutcomeReader(prices: prices).read(bytes: Array(text.utf8), path: "data.jsonl")
    }

    @Test func readsMissingModelsAndCostsFromPrices() throws {
        let set = try read("""
            {"id": "p1", "prompt": "2+2?", "domain": "math", "results": {"a": {"score": 1, "cost_usd": 0.5}, "b": {"score": 0, "input_tokens": 1000000, "output_tokens": 0}}}

            {"id": "p2", "prompt": "why?", "results": {"a": {"score": 0.5, "cost_usd": 1.5}}}
            """, prices: ["b": Price(inputPerMTok: 2, outputPerMTok: 8)])
        #expect(set.records.count == 2)
        #expect(set.models == ["a", "b"])
        #expect(set.domains == ["math", "unknown"])
        #expect(set.records[0].results["b"]?.costUSD == 2)
        let points = set.modelPoints()
        #expect(points.first { $0.label == "a" } == CostQualityPoint(label: "a", cost: 1, quality: 0.75, count: 2))
        #expect(points.first { $0.label == "b" }?.count == 1)
    }

    @Test func everyBadLineIsNamedWithItsNumber() {
        let text = """
            {"id": "p1", "prompt": "x", "results": {"a": {"score": 1}}}
            {"id": "p2", "prompt": "x", "results": {"a": {"score": 1}}
            {"id": "p3", "prompt": "x", "results": {"a": {"score": 1.5}}}
            {"id": "p4", "prompt": "x"}
            {"id": "p1", "prompt": "x", "results": {"a": {"score": 1}}}
            {"id": "p6", "prompt": "x", "results": {"a": {"score": "high"}}}
            """
        #expect {
            try read(text)
        } throws: { error in
            let d = (error as? OutcomeDataError)?.description ?? ""
            return d.contains("5 bad lines") && d.contains("data.jsonl:2: not valid JSON")
                && d.contains("data.jsonl:3: prompt 'p3', model 'a': field 'score' must be in [0, 1], got 1.5")
                && d.contains("data.jsonl:4: prompt 'p4': field 'results' must be an object")
                && d.contains("data.jsonl:5: prompt id 'p1' appears twice")
                && d.contains("data.jsonl:6: prompt 'p6', model 'a': field 'score' must be a number")
        }
    }

    @Test func anEmptyFileIsAnError() {
        #expect(throws: OutcomeDataError.self) { try read("\n\n") }
    }

    @Test func oracleTakesTheCheapestBestModelPerPrompt() throws {
        let set = try read("""
            {"id": "p1", "prompt": "x", "results": {"cheap": {"score": 0, "cost_usd": 1}, "dear": {"score": 1, "cost_usd": 10}}}
            {"id": "p2", "prompt": "x", "results": {"cheap": {"score": 1, "cost_usd": 1}, "dear": {"score": 1, "cost_usd": 10}}}
            {"id": "p3", "prompt": "x", "results": {"cheap": {"score": 0, "cost_usd": 1}, "dear": {"score": 0, "cost_usd": 10}}}
            """)
        let oracle = set.oracle()
        #expect(abs(oracle.quality - 2.0 / 3) < 1e-12)
        #expect(oracle.cost == 4)  // (10 + 1 + 1) / 3
    }

    @Test func theSplitIsDeterministicByID() throws {
        let records = (0..<2_000).map { OutcomeRecord(id: "q-\($0)", prompt: "", results: ["a": ModelOutcome(score: 1)]) }
        let set = OutcomeSet(records: records)
        let (train, test) = set.split(testPercent: 20, seed: 7)
        #expect(train.records.count + test.records.count == 2_000)
        #expect((340...460).contains(test.records.count))
        let again = OutcomeSet(records: records.reversed()).split(testPercent: 20, seed: 7).test
        #expect(Set(again.records.map(\.id)) == Set(test.records.map(\.id)))
        #expect(Set(set.split(testPercent: 20, seed: 8).test.records.map(\.id)) != Set(test.records.map(\.id)))
    }
}
