public import FrontierAnalysis
public import FrontierCore
public import FrontierProviders
public import FrontierRouting
import Foundation

/// Runs an eval suite against live models through the gateway's own
/// providers, at most `concurrency` calls at a time, and returns outcome
/// records (real tokens, cost from the catalog price, latency, and the model
/// as the upstream names itself). A failed call is retried once, then
/// recorded with score 0 and its error.
public struct EvalRunner: Sendable {
    public var models: [ModelEntry]
    public var judge: ModelEntry?
    public var providers: ProviderRegistry
    public var concurrency: Int
    /// The config's privacy policy: a case whose prompt carries PII is not sent to a model outside the
    /// policy's zone, and not to a judge outside it either (the judge reads the question too).
    public var privacy: PrivacyPolicy

    public init(models: [ModelEntry], judge: ModelEntry?, providers: ProviderRegistry, concurrency: Int = 4, privacy: PrivacyPolicy = PrivacyPolicy()) {
        self.models = models
        self.judge = judge
        self.providers = providers
        self.concurrency = max(1, concurrency)
        self.privacy = privacy
    }

    /// The zone a case's request is bound to under the policy, and why.
    func zone(of request: ChatRequest) -> (zone: PrivacyZone, reason: PrivacyReason?) {
        let verdict = privacy.zone(of: request, requested: .any, detector: privacy.detector)
        return (verdict.zone, verdict.reason)
    }

    /// - Parameter progress: called after each finished call with (done, total).
    public func run(_ cases: [EvalCase], progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async -> [OutcomeRecord] {
        let jobs = cases.indices.flatMap { c in models.indices.map { (c, $0) } }
        var results = [[String: ModelOutcome]](repeating: [:], count: cases.count)
        await withTaskGroup(of: (Int, String, ModelOutcome).self) { group in
            var next = 0
            var done = 0
            func start() {
                guard next < jobs.count else { return }
                let (c, m) = jobs[next]
                next += 1
                let evalCase = cases[c], model = models[m]
                group.addTask { (c, model.id, await self.attempt(evalCase, on: model)) }
            }
            for _ in 0..<min(concurrency, jobs.count) { start() }
            for await (c, model, outcome) in group {
                results[c][model] = outcome
                done += 1
                progress(done, jobs.count)
                start()
            }
        }
        return cases.indices.map { OutcomeRecord(id: cases[$0].id, prompt: cases[$0].prompt, domain: cases[$0].domain, results: results[$0]) }
    }

    func attempt(_ evalCase: EvalCase, on model: ModelEntry) async -> ModelOutcome {
        let first = await ask(evalCase, on: model)
        guard first.error != nil else { return first }
        return await ask(evalCase, on: model)
    }

    func ask(_ evalCase: EvalCase, on model: ModelEntry) async -> ModelOutcome {
        let request: ChatRequest
        do { request = try evalCase.request(model: model.id) } catch {
            return ModelOutcome(score: 0, error: "bad request: \(error.message)")
        }
        let (zone, reason) = zone(of: request)
        guard zone.admits(model.deployment) else {
            return ModelOutcome(score: 0, error: "privacy: not sent to \(model.id), a \(model.deployment.rawValue) model: \(reason?.description ?? "policy")")
        }
        let started = ContinuousClock.now
        let completion: Completion
        do { completion = try await providers.provider(for: model.provider).complete(request, on: model) } catch {
            return ModelOutcome(score: 0, error: error.description)
        }
        let elapsed = ContinuousClock.now - started
        let answer = completion.answer.text
        var grade = evalCase.grader.grade(answer)
        if grade == nil, case .judge(let criteria) = evalCase.grader {
            if let judge, !zone.admits(judge.deployment) {
                return ModelOutcome(
                    score: 0, costUSD: model.price.cost(of: completion.usage), inputTokens: completion.usage.promptTokens,
                    outputTokens: completion.usage.completionTokens, upstreamModel: completion.upstreamModel,
                    error: "privacy: the judge \(judge.id) is a \(judge.deployment.rawValue) model and \(reason?.description ?? "policy"); not judged")
            }
            grade = await judged(question: evalCase.prompt, criteria: criteria, answer: answer)
        }
        return ModelOutcome(
            score: grade?.score ?? 0, costUSD: model.price.cost(of: completion.usage),
            inputTokens: completion.usage.promptTokens, outputTokens: completion.usage.completionTokens,
            latencyMs: Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15,
            upstreamModel: completion.upstreamModel, error: grade == nil ? "the judge gave no score" : nil)
    }

    func judged(question: String, criteria: String, answer: String) async -> Grade? {
        guard let judge else { return nil }
        let body: JSONValue = ["model": .string(judge.id), "messages": .array(ScoringPrompt.messages(question: question, criteria: criteria, answer: answer)), "temperature": 0, "max_tokens": 16]
        guard let request = try? ChatRequest(json: body),
              let completion = try? await providers.provider(for: judge.provider).complete(request, on: judge)
        else { return nil }
        let verdict = completion.answer.text
        return ScoringPrompt.score(from: verdict).map { Grade(score: $0, detail: "judge: \(verdict.prefix(40))") }
    }
}
