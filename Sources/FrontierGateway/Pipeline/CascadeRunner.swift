import FrontierCore
import FrontierProviders
import FrontierRouting
import NIOCore

/// Runs a request through a cascade route: each tier in turn (non-streamed),
/// its answer checked; returns the first accepted answer, or the last tier's,
/// with the record of every attempt, as a value the pipeline renders.
///
/// Deadline (``CascadeDeadline``): each tier's call is cut to the time left, less
/// a reserve for the tiers after it; a tier with less than 50 ms left is skipped.
/// When nothing answered in time the client gets 504.
struct CascadeRunner: Sendable {
    let providers: ProviderRegistry
    let caller: UpstreamCaller
    let watcher: DisconnectWatcher
    let catalog: ModelCatalog
    /// Each tier's answer is watched and checked against its pin as a direct request's is.
    var identities: IdentityWatch? = nil

    /// How a cascade ended; the pipeline renders it (and streams the last tier, when asked).
    enum Outcome: Sendable {
        /// A tier's answer was accepted, or the last tier's taken.
        case answered(Completion, model: ModelEntry, attempts: [CascadeAttempt])
        /// stream-final-tier: the checked tiers did not accept, and the last tier is to be
        /// streamed live (the model with its timeouts cut to the time left).
        case streamFinalTier(ModelEntry, attempts: [CascadeAttempt])
        /// Nothing answered: 504 when the deadline passed, 503 otherwise.
        case failed(APIError, attempts: [CascadeAttempt])

        var attempts: [CascadeAttempt] {
            switch self {
            case .answered(_, _, let attempts), .streamFinalTier(_, let attempts), .failed(_, let attempts): attempts
            }
        }
    }

    /// - Parameter zone: the request's zone (its own, narrowed by the privacy policy); tiers outside it were
    ///   dropped by the planner, and a verifier outside it is not called.
    /// - Parameter masking: the request's pseudonymised form for the tiers outside the zone the plan kept for it.
    nonisolated(nonsending) func run(
        _ chat: ChatRequest, cascade: Cascade, zone: PrivacyZone, channel: any Channel, record: RequestRecord, masking: Masking? = nil
    ) async -> Outcome {
        var attempts: [CascadeAttempt] = []
        let deadline = CascadeDeadline(startedAt: .now, deadlineMs: cascade.deadlineMs)
        let tiers = cascade.tiers.compactMap { tier in catalog[tier.model].map { (tier, $0) } }
        for (n, (tier, model)) in tiers.enumerated() {
            let isLast = n == tiers.count - 1
            // Never the client's own request to a model outside its zone: only its masked form, or nothing.
            guard zone.admits(model.deployment) || masking?.applies(to: model) == true else {
                attempts.append(CascadeAttempt(tier: n + 1, model: model.id, outcome: .skipped, error: "outside the request's \(zone.rawValue) zone"))
                continue
            }
            let reserveMs = tiers[(n + 1)...].map(\.1.profile.firstTokenMs).reduce(0, +)
            let budgetMs: Double?
            switch deadline.budget(at: .now, isLast: isLast, reserveMs: reserveMs) {
            case .unlimited: budgetMs = nil
            case .call(let ms): budgetMs = ms
            case .skip(let leftMs):
                attempts.append(CascadeAttempt(tier: n + 1, model: model.id, outcome: .skipped, error: "deadline: \(leftMs.wholeMilliseconds) ms left"))
                continue
            }
            if isLast, chat.stream, cascade.streaming == .streamFinalTier {
                attempts.append(CascadeAttempt(tier: n + 1, model: model.id, outcome: .streamed))
                return .streamFinalTier(budgetMs.map { UpstreamCaller.limited(model, toMs: $0) } ?? model, attempts: attempts)
            }
            let span = record.spans?.tier(n + 1, model: model)
            let call = { [masking] () async -> (record: CascadeAttempt, completion: Completion?) in
                await self.attempt(
                    chat, tier: tier, model: model, index: n + 1, isLast: isLast, budgetMs: budgetMs, zone: zone, channel: channel, record: record,
                    masking: masking.flatMap { $0.applies(to: model) ? $0 : nil })
            }
            let attempt: (record: CascadeAttempt, completion: Completion?)
            if let spans = record.spans {
                attempt = await UpstreamTraceContext.$headers.withValue(spans.propagation(for: span ?? spans.root)) { await call() }
                if let span { spans.tierEnded(span, attempt.record) }
            } else {
                attempt = await call()
            }
            attempts.append(attempt.record)
            if let completion = attempt.completion, attempt.record.outcome == .accepted {
                return .answered(completion, model: model, attempts: attempts)
            }
        }
        if deadline.hasPassed(at: .now) {
            let reasons = attempts.map { "\($0.model): \($0.error ?? $0.outcome.rawValue)" }.joined(separator: "; ")
            return .failed(
                .cascadeDeadlinePassed(deadlineMs: cascade.deadlineMs ?? 0, reasons: reasons),
                attempts: attempts)
        }
        return .failed(APIError.noModelAvailable(reasons: attempts.map { ($0.model, $0.error ?? $0.outcome.rawValue) }), attempts: attempts)
    }

    /// One tier: the call (and extra samples, and the verifier), then the checks.
    private func attempt(
        _ chat: ChatRequest, tier: CascadeTier, model: ModelEntry, index: Int, isLast: Bool, budgetMs: Double?, zone: PrivacyZone,
        channel: any Channel, record requestRecord: RequestRecord, masking: Masking?
    ) async -> (record: CascadeAttempt, completion: Completion?) {
        let started = ContinuousClock.now
        let deadline = budgetMs.map { started + .milliseconds(Int64($0)) }
        var request = masking?.masked ?? chat
        if let masking { requestRecord.trace.update { $0.pseudonymized = masking.counts } }
        request.stream = false
        if tier.accept.needsLogprobs { request.body["logprobs"] = true }
        let provider = providers.provider(for: model.provider)
        var completion: Completion
        do {
            completion = try await watcher.run(on: channel) { [caller, request, identities] in
                let (completion, _, hold) = try await caller.call(model, sending: request, deadline: deadline, record: requestRecord) { (model, request) async throws(UpstreamError) in
                    let completion = try await provider.complete(request, on: model)
                    try await identities?.check(completion.identity, of: model)
                    return completion
                }
                hold?.settle(completion.usage)
                return completion
            }
        } catch {
            let upstream = error as? UpstreamError
            let outcome: CascadeAttempt.Outcome = switch upstream {
            case .unavailable?, .overBudget?: .skipped
            default: .failed
            }
            return (CascadeAttempt(
                tier: index, model: model.id, outcome: outcome, latencyMs: (ContinuousClock.now - started).milliseconds,
                error: upstream?.description ?? "cancelled", errorSummary: upstream?.summary), nil)
        }
        // The values back before anything reads the answer: the checks, the client, the ledger.
        if let masking { completion = masking.restore(completion) }
        var usage = completion.usage
        var cost = model.price.cost(of: usage)
        let (text, logprobs) = completion.answer
        var review = AnswerUnderReview(text: text, tokenLogprobs: logprobs, samples: [text])
        if !isLast {
            if let sc = tier.accept.selfConsistency {
                let extra = await samples(request, count: sc.samples - 1, model: model, deadline: deadline, provider: provider, record: requestRecord)
                review.samples += extra.map { masking?.pseudonyms.restore($0.text) ?? $0.text }
                for sample in extra {
                    usage = usage + sample.usage
                    cost += model.price.cost(of: sample.usage)
                }
            }
            // The verifier reads the whole conversation: it is called only inside the request's zone;
            // outside it, the answer goes unverified and the check fails (the next tier is in the zone).
            if let verifier = tier.accept.verifier, let judge = catalog[verifier.model] {
                if zone.admits(judge.deployment) {
                    let verdict = await Judge(providers: providers, caller: caller).score(
                        chat, answer: text, instructions: verifier.prompt, model: judge, deadline: deadline, record: requestRecord)
                    review.verifierScore = verdict.score
                    cost += verdict.cost
                } else {
                    review.verifierSkipped = "not called: \(judge.id) is a \(judge.deployment.rawValue) model, outside this request's \(zone.rawValue) zone"
                }
            }
        }
        let checks = isLast ? [] : AcceptanceEvaluator.evaluate(review, checks: tier.accept, responseFormat: chat.body["response_format"])
        let accepted = isLast || checks.allSatisfy(\.passed)
        let record = CascadeAttempt(
            tier: index, model: model.id, outcome: accepted ? .accepted : .rejected, upstreamModel: completion.upstreamModel,
            inputTokens: usage.promptTokens, outputTokens: usage.completionTokens, costUSD: cost,
            latencyMs: (ContinuousClock.now - started).milliseconds, checks: checks)
        return (record, completion)
    }

    /// Extra samples for self-consistency, at a temperature that lets them differ.
    private func samples(
        _ request: ChatRequest, count: Int, model: ModelEntry, deadline: ContinuousClock.Instant?, provider: any ChatProvider, record: RequestRecord
    ) async -> [(text: String, usage: Usage)] {
        var request = request
        if (request.body["temperature"]?.doubleValue ?? 1) < 0.7 { request.body["temperature"] = 0.7 }
        request.body["logprobs"] = nil
        return await withTaskGroup(of: (String, Usage)?.self) { [caller, request] group in
            for _ in 0..<max(0, count) {
                group.addTask {
                    guard let (completion, _, hold) = try? await caller.call(model, sending: request, deadline: deadline, record: record, { (model, request) async throws(UpstreamError) in
                        try await provider.complete(request, on: model)
                    })
                    else { return nil }
                    hold?.settle(completion.usage)
                    return (completion.answer.text, completion.usage)
                }
            }
            var out: [(text: String, usage: Usage)] = []
            for await sample in group { if let sample { out.append(sample) } }
            return out
        }
    }

    static func escalation(_ attempts: [CascadeAttempt]) -> String {
        attempts.map(\.shortForm).joined(separator: " > ")
    }
}
