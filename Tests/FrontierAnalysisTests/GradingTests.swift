import FrontierCore
import FrontierRouting
import Testing
@testable import FrontierAnalysis

@Suite struct GradingTests {
    typealias G = EvalCase.Grader

    @Test func exactIgnoresCaseAndSurroundingSpace() {
        #expect(G.exact("Paris").grade("  paris\n")?.score == 1)
        #expect(G.exact("Paris").grade("Paris, France")?.score == 0)
    }

    @Test(arguments: [
        ("The answer is (C).", "C"), ("Answer: B", "B"), ("answer is D because", "D"), ("C) 42", "C"),
        ("Let me think. A is wrong, so E", "E"),
    ])
    func choiceFindsTheLetter(answer: String, letter: String) {
        #expect(G.choiceLetter(in: answer) == letter)
    }

    @Test func choiceWithoutALetterScoresZero() {
        #expect(G.choice("A").grade("no idea")?.score == 0)
    }

    @Test func numericTakesTheLastNumberWithinTolerance() {
        #expect(G.numeric(4, tolerance: 0).grade("2 + 2 = 4")?.score == 1)
        #expect(G.numeric(3.14, tolerance: 0.01).grade("about 3.141")?.score == 1)
        #expect(G.numeric(1000, tolerance: 0).grade("It costs 1,000 dollars")?.score == 1)
        #expect(G.numeric(4, tolerance: 0.5).grade("five")?.score == 0)
    }

    @Test func regexAndContains() {
        #expect(G.regex("^[0-9]{3}$").grade("123")?.score == 1)
        #expect(G.regex("^[0-9]{3}$").grade("1234")?.score == 0)
        #expect(G.contains("france").grade("Paris is in France.")?.score == 1)
    }

    @Test func jsonSchemaAcceptsFencedJSONAndNamesViolations() throws {
        let schema = try JSONSchema(try JSONParser.parse(#"{"type":"object","required":["name","age"],"properties":{"name":{"type":"string"},"age":{"type":"integer","minimum":0}},"additionalProperties":false}"#))
        #expect(G.jsonSchema(schema).grade("```json\n{\"name\": \"Ada\", \"age\": 36}\n```")?.score == 1)
        let bad = G.jsonSchema(schema).grade(#"Here: {"name": 5, "extra": true}"#)
        #expect(bad?.score == 0)
        #expect(bad?.detail.contains("missing required property 'age'") == true)
        #expect(G.jsonSchema(schema).grade("not json")?.detail == "not valid JSON")
        #expect(G.judge(criteria: "x").grade("anything") == nil)
    }

    @Test func judgeVerdicts() {
        #expect(ScoringPrompt.score(from: "Score: 8") == 0.8)
        #expect(ScoringPrompt.score(from: "score=10, well done") == 1)
        #expect(ScoringPrompt.score(from: "7") == 0.7)
        #expect(ScoringPrompt.score(from: "no idea") == nil)
        #expect(ScoringPrompt.score(from: "Score: 42") == nil)
    }

    @Test func suiteErrorsNameLineAndField() {
        let text = """
            {"id": "a", "prompt": "2+2?", "grader": "numeric", "expected": 4}
            {"id": "b", "prompt": "x", "grader": "telepathy", "expected": "y"}
            {"id": "c", "prompt": "x", "grader": "choice", "expected": "AB"}
            {"id": "a", "prompt": "x", "grader": "exact", "expected": "y"}
            """
        #expect {
            try EvalSuiteReader.read(bytes: Array(text.utf8), path: "suite.jsonl")
        } throws: { error in
            let d = "\(error)"
            return d.contains("suite.jsonl:2: case 'b': field 'grader' must be one of") && d.contains("suite.jsonl:3: case 'c': a choice grader expects one letter")
                && d.contains("suite.jsonl:4: case id 'a' appears twice")
        }
    }
}

@Suite struct RegressionGateTests {
    func set(_ scores: [(String, String, Double)]) -> OutcomeSet {
        OutcomeSet(records: scores.enumerated().map { n, s in
            OutcomeRecord(id: "p\(n)", prompt: "", domain: s.1, results: [s.0: ModelOutcome(score: s.2)])
        })
    }

    @Test func aDropOverTheThresholdOnOneDomainFails() {
        let baseline = set([("m", "law", 1), ("m", "law", 1), ("m", "math", 1), ("m", "math", 0)])
        let better = set([("m", "law", 1), ("m", "law", 1), ("m", "math", 1), ("m", "math", 1)])
        let worse = set([("m", "law", 1), ("m", "law", 0), ("m", "math", 1), ("m", "math", 0)])
        let gate = RegressionGate(threshold: 0.05)
        #expect(!gate.compare(current: better, baseline: baseline).contains { $0.failed })
        let rows = gate.compare(current: worse, baseline: baseline)
        #expect(rows.filter(\.failed).map(\.domain) == ["law"])
        #expect(rows.first { $0.domain == "law" }?.change == -0.5)
        #expect(gate.table(rows).contains("FAIL"))
        #expect(!RegressionGate(threshold: 0.5).compare(current: worse, baseline: baseline).contains { $0.failed })
    }
}
