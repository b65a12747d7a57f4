import FrontierConfig
import FrontierCore
import FrontierLedger
import FrontierProviders
import FrontierRouting
import Logging
import Synchronization

/// `router.explore` running: after a sampled request the router chose for has
/// been answered, the same request goes to a second model (the
/// ``ExplorationChooser``'s pick) in the background, inside the request's
/// zone, on the operator's money, and the answer is graded and appended to
/// the ledger as an ``ExplorationRecord`` (never the answer itself).
///
/// Bounded three ways: a share of requests, `concurrency` calls at once (a
/// sampled request that finds them busy is not explored), and the day's cap,
/// which each call reserves its worst case against before it starts.
final class Explorer: Sendable {
    let settings: ExploreSettings
    private let chooser: Mutex<ExplorationChooser>
    private let inFlight = Atomic<Int>(0)
    private let catalog: ModelCatalog
    private let providers: ProviderRegistry
    private let caller: UpstreamCaller
    private let ledger: LedgerWriter?
    private let metrics: GatewayMetrics
    private let logger: Logger
    private let wallClockMs: @Sendable () -> Int64
    /// Every grade is the explored model's live quality too.
    private let drift: DriftWatch?

    init(
        settings: ExploreSettings, catalog: ModelCatalog, providers: ProviderRegistry, caller: UpstreamCaller, ledger: LedgerWriter?,
        metrics: GatewayMetrics, logger: Logger, drift: DriftWatch? = nil, wallClockMs: @escaping @Sendable () -> Int64 = Tenancy.wallClockMs
    ) {
        self.drift = drift
        self.settings = settings
        self.chooser = Mutex(ExplorationChooser(
            share: settings.share, maxCostUSDPerDay: settings.maxCostUSDPerDay, maxShareOfServing: settings.maxShareOfServing, seed: settings.seed))
        self.catalog = catalog
        self.providers = providers
        self.caller = caller
        self.ledger = ledger
        self.metrics = metrics
        self.logger = logger
        self.wallClockMs = wallClockMs
    }

    /// Called once a request has its answer: starts an exploration when the request is sampled and a model fits.
    func consider(_ chat: ChatRequest, plan: RoutePlanner.Plan, served: ModelEntry, usage: Usage, requestID: String) {
        guard plan.target.routerChooses, plan.cascade == nil, let decision = plan.decision else { return }
        let cost = served.price.cost(of: usage)
        let sampled = chooser.withLock {
            $0.served(costUSD: cost)
            return $0.samples(requestID: requestID)
        }
        guard sampled else { return }
        let judge = settings.judge.flatMap { catalog[$0] }
        // The judge reads the conversation: exploring is pointless where it may not go.
        if let judge, !plan.zone.admits(judge.deployment) {
            metrics.explored("skipped_zone")
            return
        }
        // A bound, not an estimate: a token is at least a byte of what is sent (tools and all), so a prompt made of
        // characters that tokenise badly cannot push a call past what was reserved for it.
        let inputTokens = JSONValue.object(chat.body).serialized().count
        let outputTokens = min(chat.maxTokens ?? settings.maxOutputTokens, settings.maxOutputTokens)
        let candidates = decision.estimates.compactMap { estimate -> ExplorationChooser.Candidate? in
            guard estimate.model != served.id, let model = catalog[estimate.model], model.kind == .chat, plan.zone.admits(model.deployment) else { return nil }
            // The worst case: every byte of the request a token, every output token, and the judge reading both.
            var worst = model.price.cost(of: Usage(promptTokens: inputTokens, completionTokens: outputTokens))
            if let judge { worst += judge.price.cost(of: Usage(promptTokens: inputTokens + outputTokens * 4 + 256, completionTokens: 16)) }
            return ExplorationChooser.Candidate(model: model.id, worstCaseUSD: worst)
        }
        guard !candidates.isEmpty else { return }
        guard inFlight.add(1, ordering: .relaxed).newValue <= settings.concurrency else {
            inFlight.subtract(1, ordering: .relaxed)
            metrics.explored("skipped_busy")
            return
        }
        let domain = decision.features.domain?.domain
        let now = wallClockMs()
        guard let reservation = chooser.withLock({ $0.choose(domain: domain, candidates: candidates, nowMs: now) }),
              let model = catalog[reservation.model]
        else {
            inFlight.subtract(1, ordering: .relaxed)
            metrics.explored("skipped_budget")
            return
        }
        Task { [self] in
            defer { inFlight.subtract(1, ordering: .relaxed) }
            await explore(chat, model: model, judge: judge, served: served, domain: domain, requestID: requestID, outputTokens: outputTokens, reservation: reservation)
        }
    }

    /// A score arrived for a served answer: the chooser counts it for that domain and model.
    func observed(domain: String?, model: String) {
        chooser.withLock { $0.observed(domain: domain, model: model) }
    }

    private func explore(
        _ chat: ChatRequest, model: ModelEntry, judge: ModelEntry?, served: ModelEntry, domain: String?, requestID: String, outputTokens: Int,
        reservation: ExplorationChooser.Reservation
    ) async {
        let started = ContinuousClock.now
        guard let request = Self.request(chat, for: model, maxTokens: outputTokens) else {
            chooser.withLock { $0.settle(reservation, costUSD: 0, graded: false, nowMs: wallClockMs()) }
            return
        }
        let provider = providers.provider(for: model.provider)
        let completion: Completion
        do {
            // No record: nothing of this call touches the client key's budget or its request's record.
            (completion, _, _) = try await caller.call(model, sending: request, record: nil) { (model, request) async throws(UpstreamError) in
                try await provider.complete(request, on: model)
            }
        } catch {
            chooser.withLock { $0.settle(reservation, costUSD: 0, graded: false, nowMs: wallClockMs()) }
            metrics.explored("failed")
            logger.debug("an exploration call failed", metadata: ["model": "\(model.id)", "error": "\(error)"])
            return
        }
        let latencyMs = (ContinuousClock.now - started).milliseconds
        var cost = model.price.cost(of: completion.usage)
        let text = completion.answer.text
        let score: Double?
        let grader: String
        switch settings.grader {
        case .check(let checks):
            let results = AcceptanceEvaluator.evaluate(AnswerUnderReview(text: text, samples: [text]), checks: checks, responseFormat: chat.body["response_format"])
            score = results.allSatisfy(\.passed) ? 1 : 0
            grader = "check"
        case .judge(let id):
            if let judge {
                let verdict = await Judge(providers: providers, caller: caller).score(chat, answer: text, instructions: nil, model: judge, deadline: nil, record: nil)
                cost += verdict.cost
                score = verdict.score
            } else {
                score = nil
            }
            grader = "judge:" + id
        }
        chooser.withLock { $0.settle(reservation, costUSD: cost, graded: score != nil, nowMs: wallClockMs()) }
        metrics.explored(score == nil ? "ungraded" : "graded", costUSD: cost)
        guard let score else { return }
        drift?.observe(model.id, .exploration, score: score)
        let record = ExplorationRecord(
            requestID: requestID, timeMs: wallClockMs(), model: model.id, servedModel: served.id, domain: domain,
            upstreamModel: completion.upstreamModel, inputTokens: completion.usage.promptTokens, outputTokens: completion.usage.completionTokens,
            costUSD: cost, latencyMs: latencyMs, score: score, grader: grader)
        do {
            try await ledger?.submit(.exploration(record), durability: .batched)
        } catch {
            logger.warning("an exploration's grade could not be queued for the ledger", metadata: ["error": "\(error)"])
        }
    }

    /// The client's request for another model: not streamed, one choice, at most `maxTokens` out.
    static func request(_ chat: ChatRequest, for model: ModelEntry, maxTokens: Int) -> ChatRequest? {
        var body = chat.body
        body["model"] = .string(model.id)
        body["stream"] = false
        body["stream_options"] = nil
        body["n"] = nil
        body["max_completion_tokens"] = nil
        body["max_tokens"] = .int(Int64(maxTokens))
        return try? ChatRequest(json: .object(body))
    }
}
