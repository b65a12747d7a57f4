import FrontierCore
import FrontierProviders
import HTTPTypes
import Hummingbird
import Logging

extension RequestPipeline {
    /// `POST /v1/messages/count_tokens`: the request's input tokens for the model the router would choose, planned
    /// like a real request (so the prompt is counted only inside its privacy zone and the key's models):
    /// exact from an Anthropic upstream's own count, else from a local llama.cpp server's tokenizer, else an
    /// estimate (about four characters a token, plus the tool definitions), marked `x-frontier-usage-estimated`.
    /// Never a made-up 0; nothing is reserved, charged or recorded.
    func countTokens(_ request: Request, context: GatewayContext, ingress: AnthropicMessagesIngress) async -> Response {
        do {
            let (chat, size) = try await read(request, ingress: ingress)
            var tenant: RequestTenant?
            if let key = context.tenant, let tenancy { tenant = RequestTenant(key: key, tenancy: tenancy, bodyBytes: size, rateTicket: nil) }
            let plan = try await plan(chat, size: size, headers: request.headers, tenant: tenant)
            var headers: HTTPFields = [.frontierDecision: plan.shortForm]
            if let model = plan.candidates.first {
                headers[.frontierModel] = model.id
                do {
                    if let count = try await dispatcher.providers.provider(for: model.provider).countTokens(chat, on: model) {
                        return Responses.json(["input_tokens": .int(Int64(count))], headers: headers)
                    }
                } catch {
                    context.logger.info("count_tokens: \(model.id) could not count (\(error)); estimating")
                }
            }
            headers[.frontierUsageEstimated] = "true"
            return Responses.json(["input_tokens": .int(Int64(Self.inputEstimate(chat)))], headers: headers)
        } catch {
            return ingress.error(error, headers: [:])
        }
    }

    /// The messages' estimate and the tool definitions' (their JSON, about four bytes a token).
    static func inputEstimate(_ chat: ChatRequest) -> Int {
        let tools = chat.body["tools"].map { $0.serialized().count / 4 } ?? 0
        return promptEstimate(chat).saturatingAdd(tools)
    }
}
