import FrontierCore
import FrontierProviders
import FrontierRouting
import HTTPTypes
import Hummingbird
import Logging

extension RequestPipeline {
    /// `POST /v1/messages/count_tokens`: the request's input tokens for the model the router would choose, planned
    /// like a real request (so the prompt is counted only inside its privacy zone and the key's models):
    /// exact from an Anthropic upstream's own count, else from a local llama.cpp server's tokenizer, else an
    /// estimate (about four characters a token, plus the tool definitions), marked `x-frontier-usage-estimated`.
    /// Never a made-up 0; nothing is reserved or charged.
    nonisolated(nonsending) func countTokens(_ request: Request, context: GatewayContext, ingress: AnthropicMessagesIngress) async -> Response {
        // A prompt sent out to be counted leaves like any other: it gets a ledger record, and on a strict route
        // its write-ahead intent first. The record carries no usage: counting is not charged.
        let trace = RequestTrace(requestID: context.requestID, apiKeyID: context.tenant?.id, door: "anthropic.count_tokens")
        let record = RequestRecord(trace: trace, ledger: ledger, metrics: metrics)
        do {
            let (chat, size) = try await read(request, ingress: ingress)
            let tenant = scope(size: size, context: context)
            Self.track(chat, in: record)
            let plan = try await plan(chat, size: size, headers: request.headers, tenant: tenant, trace: trace)
            trace.planned(plan)
            var headers: HTTPFields = [.frontierDecision: plan.shortForm]
            var count: Int?
            if let model = plan.candidates.first {
                headers[.frontierModel] = model.id
                let started = ContinuousClock.now
                do throws(UpstreamError) {
                    try await record.beforeSending(to: model)
                    count = try await dispatcher.providers.provider(for: model.provider).countTokens(chat, on: model)
                } catch {
                    trace.failed(model, error, since: started)
                    context.logger.info("count_tokens: \(model.id) could not count (\(error)); estimating")
                }
            }
            if count == nil { headers[.frontierUsageEstimated] = "true" }
            let body: JSONValue = ["input_tokens": .int(Int64(count ?? Self.inputEstimate(chat)))]
            if let failure = await record.finish(status: 200) { return ingress.error(failure, headers: headers) }
            return Responses.json(body, headers: headers)
        } catch {
            return await fail(error, ingress: ingress, record: record, headers: [:])
        }
    }

    /// The messages' estimate and the tool definitions' (their JSON, about four bytes a token).
    static func inputEstimate(_ chat: ChatRequest) -> Int {
        let tools = chat.body["tools"].map { $0.serialized().count / 4 } ?? 0
        return promptEstimate(chat).saturatingAdd(tools)
    }
}
