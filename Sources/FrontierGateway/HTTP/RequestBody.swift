import FrontierCore
import Hummingbird
import NIOCore

/// A request body read whole, within the gateway's limit (413 past it).
enum RequestBody {
    static nonisolated(nonsending) func collect(_ request: Request, limit: Int) async throws(APIError) -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw APIError.bodyTooLarge(limit: limit)
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError.bodyTooLarge(limit: limit)
        } catch {
            throw .bodyUnreadable(error)
        }
    }
}
