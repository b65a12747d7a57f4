import Foundation

/// Recorded outcomes (the outcomes JSONL of `shared/data/README.md`) as an
/// upstream's behaviour, for the learning-curve simulation: asked prompt P as
/// model M, the `recorded` mode answers "verdict: pass" or "verdict: fail" as
/// M's recorded score on P says, with M's recorded token counts as usage, so
/// a check grades it and the catalog prices it as the data did. A prompt or
/// model the data does not have gets a 500, as a model that cannot answer.
public struct RecordedOutcomes: Sendable {
    struct Outcome: Sendable {
        var passed: Bool
        var inputTokens: Int
        var outputTokens: Int
    }

    private let byPrompt: [String: [String: Outcome]]

    public var count: Int { byPrompt.count }

    public init(contentsOf path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var byPrompt: [String: [String: Outcome]] = [:]
        for line in text.split(separator: "\n") where !line.isEmpty {
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let prompt = object["prompt"] as? String, let results = object["results"] as? [String: [String: Any]]
            else { continue }
            var outcomes: [String: Outcome] = [:]
            for (model, result) in results {
                guard let score = (result["score"] as? NSNumber)?.doubleValue else { continue }
                outcomes[model] = Outcome(
                    passed: score >= 0.5, inputTokens: (result["input_tokens"] as? NSNumber)?.intValue ?? 0,
                    outputTokens: (result["output_tokens"] as? NSNumber)?.intValue ?? 0)
            }
            byPrompt[prompt] = outcomes
        }
        self.byPrompt = byPrompt
    }

    /// The completion body for a chat request, or nil when the data has no outcome for its model and last user message.
    func answer(_ body: [UInt8]) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any], let model = object["model"] as? String,
              let messages = object["messages"] as? [[String: Any]],
              let prompt = messages.last(where: { $0["role"] as? String == "user" })?["content"] as? String,
              let outcome = byPrompt[prompt]?[model]
        else { return nil }
        let text = outcome.passed ? "verdict: pass" : "verdict: fail"
        return #"{"id":"chatcmpl-recorded","object":"chat.completion","created":1700000000,"model":"\#(TestUpstream.escaped(model))","#
            + #""choices":[{"index":0,"message":{"role":"assistant","content":"\#(text)"},"finish_reason":"stop"}],"#
            + #""usage":{"prompt_tokens":\#(outcome.inputTokens),"completion_tokens":\#(outcome.outputTokens),"total_tokens":\#(outcome.inputTokens + outcome.outputTokens)}}"#
    }
}
