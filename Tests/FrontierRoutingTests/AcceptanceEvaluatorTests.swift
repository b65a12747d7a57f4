import FrontierCore
import Testing
@testable import FrontierRouting

@Suite struct AcceptanceEvaluatorTests {
    let format: JSONValue = [
        "type": "json_schema",
        "json_schema": ["name": "order", "schema": ["type": "object", "required": ["id"], "properties": ["id": ["type": "integer"]]]],
    ]

    func results(_ text: String, _ configure: (inout AcceptanceChecks) -> Void, logprobs: [Double]? = nil, samples: [String] = [], verifier: Double? = nil, format: JSONValue? = nil) -> [String: CheckResult] {
        var checks = AcceptanceChecks()
        configure(&checks)
        let list = AcceptanceEvaluator.evaluate(
            AnswerUnderReview(text: text, tokenLogprobs: logprobs, samples: samples, verifierScore: verifier), checks: checks, responseFormat: format)
        return Dictionary(list.map { ($0.check, $0) }, uniquingKeysWith: { a, _ in a })
    }

    @Test func jsonSchemaFromTheRequestsResponseFormat() {
        #expect(results(#"{"id": 7}"#, { $0.jsonSchema = true }, format: format)["json_schema"]?.passed == true)
        let wrong = results(#"{"id": "seven"}"#, { $0.jsonSchema = true }, format: format)["json_schema"]
        #expect(wrong?.passed == false)
        #expect(wrong?.value == "$.id: expected integer, got string")
        #expect(results("Sure! Here it is", { $0.jsonSchema = true }, format: format)["json_schema"]?.value == "not valid JSON")
        #expect(results("[1]", { $0.jsonSchema = true })["json_schema"]?.passed == true)  // no schema asked: valid JSON is enough
    }

    @Test func emptyAnswersAreNeverAccepted() {
        #expect(results("  \n", { _ in })["non_empty"]?.passed == false)
        #expect(results("ok", { _ in })["non_empty"]?.passed == true)
    }

    @Test func lengthRegexPhrasesAndRefusals() {
        let r = results("I'm sorry, but I can't help with order 42.", {
            $0.minChars = 10
            $0.maxChars = 20
            $0.regex = #"order \d+"#
            $0.mustContain = ["ORDER", "refund"]
            $0.rejectRefusals = true
        })
        #expect(r["min_chars"]?.passed == true)
        #expect(r["max_chars"]?.passed == false)
        #expect(r["regex"]?.passed == true)
        #expect(r["no_refusal"]?.passed == false)
        let phrases = AcceptanceEvaluator.evaluate(
            AnswerUnderReview(text: "Your order ships today."), checks: { var c = AcceptanceChecks(); c.mustContain = ["ORDER", "refund"]; return c }(), responseFormat: nil)
        #expect(phrases.filter { $0.check == "must_contain" }.map(\.passed) == [true, false])
    }

    @Test func confidenceFromLogprobs() {
        let logprobs = [-0.1, -0.2, -2.0]  // probabilities 0.90, 0.82, 0.14
        let r = results("x", { $0.minMeanTokenProbability = 0.5; $0.minTokenProbability = 0.2 }, logprobs: logprobs)
        #expect(results("x", { $0.minMeanTokenProbability = 0.4 }, logprobs: logprobs)["mean_token_prob"]?.passed == true)
        // Mean logprob -0.767: exp gives 0.465, under 0.5.
        #expect(r["mean_token_prob"]?.passed == false)
        #expect(r["mean_token_prob"]?.value.hasPrefix("0.465") == true)
        #expect(r["min_token_prob"]?.passed == false)
        #expect(results("x", { $0.minTokenProbability = 0.2 })["confidence"]?.value == "the upstream returned no logprobs")
    }

    @Test func selfConsistencyAndVerifier() {
        let agree = results("A", { $0.selfConsistency = .init(samples: 3, minAgreement: 0.6) }, samples: ["{\"a\": 1, \"b\": 2}", "{\"b\":2,\"a\":1}", "other"])
        #expect(agree["self_consistency"]?.passed == true)
        #expect(agree["self_consistency"]?.value.hasPrefix("2/3 agree") == true)
        let split = results("A", { $0.selfConsistency = .init(samples: 3, minAgreement: 0.6) }, samples: ["one", "two", "three"])
        #expect(split["self_consistency"]?.passed == false)
        #expect(results("A", { $0.verifier = .init(model: "v", minScore: 0.7) }, verifier: 0.8)["verifier"]?.passed == true)
        #expect(results("A", { $0.verifier = .init(model: "v", minScore: 0.7) }, verifier: 0.5)["verifier"]?.passed == false)
        #expect(results("A", { $0.verifier = .init(model: "v", minScore: 0.7) })["verifier"]?.passed == false)
    }
}
