import FrontierCore
import Hummingbird

/// With `auth:` on: `/v1/*` needs a tenant's key (`Authorization: Bearer`, or
/// `x-api-key` as Anthropic's clients send it), which it puts in the context
/// (`/v1/feedback` takes the admin key too);
/// `/admin/*` and `/metrics` need the admin key; anything else (`/healthz`,
/// `/openapi.yaml`) is open, and learns whether the admin key came with it.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = GatewayContext
    let tenancy: Tenancy

    func handle(_ request: Request, context: GatewayContext, next: (Request, GatewayContext) async throws -> Response) async throws -> Response {
        var context = context
        let path = request.uri.path
        let presented = Self.presentedKey(request.headers)
        if path == Self.feedbackPath, tenancy.isAdmin(presented) {
            // The admin may score any request; a tenant's key only its own (FeedbackEndpoint checks).
            context.isAdmin = true
        } else if path.hasPrefix("/v1/") {
            guard let presented, !presented.isEmpty else {
                return Self.unauthorized(path, "No API key: send it as 'Authorization: Bearer <key>' (or 'x-api-key: <key>'). An admin creates keys with POST /admin/keys.")
            }
            let now = Tenancy.wallClockMs()
            guard let key = await tenancy.directory.key(secret: presented, nowMs: now) else {
                return Self.unauthorized(path, "Incorrect API key provided. Check the key, or ask an admin for one (POST /admin/keys).")
            }
            guard key.isActive(at: now) else {
                let why = key.revokedMs != nil ? "was revoked" : "has expired"
                return Self.unauthorized(path, "This API key \(why). Ask an admin for a new one.")
            }
            context.tenant = key
        } else if path == "/metrics" || path == "/admin" || path.hasPrefix("/admin/") {
            guard tenancy.isAdmin(presented) else {
                return Self.unauthorized(path, "\(path) needs the admin key (auth.admin_key), as 'Authorization: Bearer <admin key>'.")
            }
            context.isAdmin = true
        } else {
            context.isAdmin = tenancy.isAdmin(presented)
        }
        return try await next(request, context)
    }

    static let feedbackPath = "/v1/feedback"

    /// The key from `Authorization: Bearer <key>`, or `x-api-key`.
    static func presentedKey(_ headers: HTTPFields) -> Substring? {
        if let value = headers[.authorization] {
            // "Bearer" in any case, by bytes: this runs on every request.
            let bytes = value.utf8
            guard bytes.count > 7 else { return nil }
            for (byte, expected) in zip(bytes, "bearer ".utf8) where byte | 0x20 != expected { return nil }
            return value.dropFirst(7).drop { $0 == " " }
        }
        return headers[.anthropicAPIKey].map { Substring($0) }
    }

    /// 401 in the shape of the door asked: Anthropic's on `/v1/messages`, OpenAI's elsewhere.
    static func unauthorized(_ path: String, _ message: String) -> Response {
        if path.hasPrefix("/v1/messages") {
            let body: JSONValue = ["type": "error", "error": ["type": "authentication_error", "message": .string(message)]]
            return Responses.json(body, status: .unauthorized)
        }
        return Responses.error(.invalidAPIKey(message))
    }
}
