import Crypto
import FrontierAnalysis
import FrontierCore
import FrontierLedger
import FrontierProviders
import FrontierRouting
import Synchronization

/// Runs one model's canary suite: every case `samples` times, at most `concurrency` calls at a time, each call's
/// worst case (every prompt byte a token, every allowed output token) reserved against the run's cost cap before it
/// starts, so the run stops short of the cap rather than past it. Calls go through the model's breaker and retries,
/// with no key: the spend is the operator's. Only the suite's prompts are sent.
struct CanaryRunner: Sendable {
    let providers: ProviderRegistry
    let caller: UpstreamCaller

    struct Run: Sendable {
        var results: [CanaryRecord.CaseResult]
        var costUSD: Double
        /// The cap stopped it before every call was made.
        var capped: Bool
        var identities: [String]
    }

    private struct Ledger {
        var spent = 0.0
        var reserved = 0.0
        var capped = false
        var identities: Set<String> = []
    }

    /// The run's spend, shared by its calls.
    private final class Books: Sendable {
        let state = Mutex(Ledger())
    }

    func run(_ cases: [EvalCase], on model: ModelEntry, settings: CanarySettings) async -> Run {
        let jobs = cases.indices.flatMap { c in (0..<settings.samples).map { _ in c } }
        let books = Books()
        var answers = [[String]](repeating: [], count: cases.count)
        var scores = [[Double]](repeating: [], count: cases.count)
        await withTaskGroup(of: (Int, String?, Double?).self) { group in
            var next = 0
            func start() -> Bool {
                while next < jobs.count {
                    let c = jobs[next]
                    guard let request = try? Self.request(cases[c], model: model, maxOutputTokens: settings.maxOutputTokens) else {
                        next += 1
                        continue
                    }
                    let worst = model.price.cost(of: Usage(promptTokens: JSONValue.object(request.body).serialized().count, completionTokens: settings.maxOutputTokens))
                    let admitted = books.state.withLock { b -> Bool in
                        guard !b.capped, b.spent + b.reserved + worst <= settings.maxCostUSDPerRun else {
                            b.capped = true
                            return false
                        }
                        b.reserved += worst
                        return true
                    }
                    guard admitted else { return false }
                    next += 1
                    let evalCase = cases[c]
                    group.addTask { [caller, providers, books] in
                        let provider = providers.provider(for: model.provider)
                        let completion = try? await caller.call(model, sending: request, record: nil) { (model, request) async throws(UpstreamError) in
                            try await provider.complete(request, on: model)
                        }.0
                        let cost = completion.map { model.price.cost(of: $0.usage) } ?? 0
                        books.state.withLock { b in
                            b.reserved -= worst
                            b.spent += cost
                            if let identity = completion?.identity { b.identities.insert(identity.description) }
                        }
                        guard let completion else { return (c, nil, nil) }
                        let text = completion.answer.text
                        return (c, Self.digest(text), evalCase.grader.grade(text)?.score)
                    }
                    return true
                }
                return false
            }
            for _ in 0..<settings.concurrency where start() {}
            for await (c, answer, score) in group {
                if let answer { answers[c].append(answer) }
                if let score { scores[c].append(score) }
                _ = start()
            }
        }
        let final = books.state.withLock { $0 }
        let results = cases.indices.map { c in
            CanaryRecord.CaseResult(
                id: cases[c].id, score: scores[c].isEmpty ? nil : scores[c].reduce(0, +) / Double(scores[c].count), answers: answers[c])
        }
        return Run(results: results, costUSD: final.spent, capped: final.capped, identities: final.identities.sorted())
    }

    /// The case's request with its answer capped at the canary's `max_output_tokens`.
    static func request(_ evalCase: EvalCase, model: ModelEntry, maxOutputTokens: Int) throws(RequestValidationError) -> ChatRequest {
        var request = try evalCase.request(model: model.id)
        let cap = min(evalCase.maxTokens ?? maxOutputTokens, maxOutputTokens)
        request.body["max_tokens"] = .int(Int64(cap))
        request.maxTokens = cap
        return request
    }

    /// A short digest of the normalised answer: what the record keeps, and what the distribution test compares.
    static func digest(_ answer: String) -> String {
        let hash = SHA256.hash(data: Array(AnswerDistributionTest.normalised(answer).utf8))
        return hash.prefix(12).map { String(format: "%02x", $0) }.joined()
    }
}
