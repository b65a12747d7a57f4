import FrontierCore
import FrontierProviders
import FrontierRouting

/// A model asked to grade an answer from 0 to 10 (``ScoringPrompt``): a
/// cascade's verifier and exploration's judge. The caller keeps it inside the
/// request's zone: it reads the whole conversation.
struct Judge: Sendable {
    let providers: ProviderRegistry
    let caller: UpstreamCaller

    /// The score in [0, 1] (nil when the call failed or the verdict had none) and what the call cost.
    /// - Parameter record: the request's record when the client's key pays for it (a verifier); nil when the operator does.
    nonisolated(nonsending) func score(
        _ chat: ChatRequest, answer: String, instructions: String?, model: ModelEntry, deadline: ContinuousClock.Instant?, record: RequestRecord?
    ) async -> (score: Double?, cost: Double) {
        let question = chat.messages.map { "\($0.role): \($0.text)" }.joined(separator: "\n")
        let body: JSONValue = [
            "model": .string(model.id), "temperature": 0, "max_tokens": 16,
            "messages": .array(ScoringPrompt.messages(instructions: instructions, question: question, answer: answer)),
        ]
        // The judge's prompt is not the client's request: its own size bounds its cost.
        guard let request = try? ChatRequest(json: body),
              let (completion, _, hold) = try? await caller.call(model, sending: request, bodyBytes: body.serialized().count, deadline: deadline, record: record, { (model, request) async throws(UpstreamError) in
                  try await providers.provider(for: model.provider).complete(request, on: model)
              })
        else { return (nil, 0) }
        hold?.settle(completion.usage)
        return (ScoringPrompt.score(from: completion.answer.text), model.price.cost(of: completion.usage))
    }
}
