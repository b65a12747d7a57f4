import FrontierCore
import HTTPTypes
import Hummingbird

/// The dashboard: its pages at `/ui/` (one bundle compiled into the binary: no CDN, no font, nothing fetched
/// from anywhere but this gateway) and the JSON they read at `/admin/api/...`. The pages hold no data and are
/// served to anyone: without the admin key they can only show the login, and every `/admin/api` call answers
/// 401 (``AuthMiddleware``). The admin key stays in the tab's session storage and goes out as an
/// `Authorization` header, never in a URL or a cookie.
enum DashboardEndpoints {
    /// No inline script or style, nothing from another origin, never inside a frame.
    static let pageHeaders: HTTPFields = [
        .contentSecurityPolicy: "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + "form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
        .frameOptions: "DENY", .contentTypeOptions: "nosniff", .referrerPolicy: "no-referrer", .cacheControl: "no-store",
    ]

    static func add(to router: Router<GatewayContext>, api: DashboardAPI?) {
        // "/ui" and "/ui/" are one route.
        router.get("/ui/") { _, _ in asset(DashboardAssets.html, type: "text/html; charset=utf-8") }
        router.get("/ui/app.js") { _, _ in asset(DashboardAssets.script, type: "text/javascript; charset=utf-8") }
        router.get("/ui/app.css") { _, _ in asset(DashboardAssets.style, type: "text/css; charset=utf-8") }
        guard let api else {
            // No ledger: nothing to show but the reason.
            router.get("/admin/api/**") { _, _ in
                await json { () throws(APIError) in
                    throw APIError(
                        status: 404, type: "invalid_request_error", code: "no_ledger",
                        message: "The dashboard reads the ledger; this gateway has none (set storage: {sqlite: ...} or {postgres: ...}).")
                }
            }
            return
        }
        router.get("/admin/api/overview") { request, _ in await json { () throws(APIError) in try await api.overview(query(request)) } }
        router.get("/admin/api/routing") { request, _ in await json { () throws(APIError) in try await api.routing(query(request)) } }
        router.get("/admin/api/frontier") { request, _ in await json { () throws(APIError) in try await api.frontier(query(request)) } }
        router.get("/admin/api/health") { _, _ in await json { () throws(APIError) in try await api.healthPage() } }
        router.get("/admin/api/requests") { request, _ in await json { () throws(APIError) in try await api.requests(query(request)) } }
        router.get("/admin/api/requests/:id") { _, context in
            await json { () throws(APIError) in try await api.request(id: context.parameters.get("id") ?? "") }
        }
        router.post("/admin/api/requests/:id/bodies") { _, context in
            await json { () throws(APIError) in try await api.bodies(id: context.parameters.get("id") ?? "") }
        }
        router.post("/admin/api/audit/verify") { _, _ in await json { () throws(APIError) in try await api.verify() } }
    }

    static func asset(_ text: String, type: String) -> Response {
        var headers = pageHeaders
        headers[.contentType] = type
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func query(_ request: Request) -> [String: String] {
        var out: [String: String] = [:]
        for (name, value) in request.uri.queryParameters where out.count < 16 {
            // Long enough to be refused by its own rule (256 bytes), not long enough to cost anything.
            out[String(name.prefix(32))] = String(value.prefix(1024))
        }
        return out
    }

    private static func json(_ body: () async throws(APIError) -> JSONValue) async -> Response {
        let headers: HTTPFields = [.cacheControl: "no-store", .contentTypeOptions: "nosniff"]
        do {
            return Responses.json(try await body(), headers: headers)
        } catch {
            return Responses.error(error, headers: headers)
        }
    }
}

extension HTTPField.Name {
    static let frameOptions = Self(literal: "x-frame-options")
    static let contentTypeOptions = Self(literal: "x-content-type-options")
    static let referrerPolicy = Self(literal: "referrer-policy")
}
