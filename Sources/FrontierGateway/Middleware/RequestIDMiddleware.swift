import Hummingbird
import Logging

/// Gives every request its id before anything else runs: in the context (the
/// ledger record takes it), in the request's logger (every log line of the
/// request carries `request_id`), and in the `x-frontier-request-id` header of
/// whatever answer it gets.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = GatewayContext
    let ids: RequestIDGenerator

    func handle(_ request: Request, context: GatewayContext, next: (Request, GatewayContext) async throws -> Response) async throws -> Response {
        var context = context
        let id = ids.next()
        context.requestID = id
        context.logger[metadataKey: "request_id"] = .string(id)
        var response = try await next(request, context)
        response.headers[.frontierRequestID] = id
        return response
    }
}
