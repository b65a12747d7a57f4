import FrontierCore
import FrontierLedger
import Hummingbird

/// `/admin/keys`: create, list, show, change and revoke tenants' keys (the
/// admin key is checked by ``AuthMiddleware``). Changes made here take effect
/// on this instance at once, on the others within their next key reload.
enum AdminEndpoints {
    static let maxBodyBytes = 64 << 10

    static func add(to router: Router<GatewayContext>, tenancy: Tenancy) {
        let admin = tenancy.administration
        let directory = tenancy.directory
        router.post("/admin/keys") { request, _ in
            await respond(status: .created) { () throws(APIError) in
                let (record, json) = try await admin.create(try await body(request))
                directory.put(record)
                return json
            }
        }
        router.get("/admin/keys") { _, _ in await respond { () throws(APIError) in try await admin.list() } }
        router.get("/admin/keys/:id") { _, context in
            await respond { () throws(APIError) in try await admin.show(context.parameters.get("id") ?? "") }
        }
        router.patch("/admin/keys/:id") { request, context in
            await respond { () throws(APIError) in
                let (record, json) = try await admin.update(context.parameters.get("id") ?? "", try await body(request))
                directory.put(record)
                return json
            }
        }
        router.delete("/admin/keys/:id") { _, context in
            await respond { () throws(APIError) in
                let (record, json) = try await admin.revoke(context.parameters.get("id") ?? "")
                directory.put(record)
                return json
            }
        }
    }

    private static func respond(status: HTTPResponse.Status = .ok, _ body: () async throws(APIError) -> JSONValue) async -> Response {
        do {
            return Responses.json(try await body(), status: status)
        } catch {
            return Responses.error(error)
        }
    }

    private static func body(_ request: Request) async throws(APIError) -> JSONObject {
        let buffer = try await RequestBody.collect(request, limit: maxBodyBytes)
        let json: JSONValue
        do throws(JSONParseError) {
            json = try JSONParser.parse(buffer.readableBytesView)
        } catch {
            throw APIError.invalidJSON(error)
        }
        guard let object = json.objectValue else {
            throw .keyFieldsNotAnObject
        }
        return object
    }
}
