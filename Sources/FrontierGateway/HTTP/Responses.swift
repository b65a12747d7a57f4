import FrontierCore
import Hummingbird

/// Builds the gateway's HTTP responses: JSON bodies and OpenAI error objects.
enum Responses {
    static func json(_ bytes: [UInt8], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        json(value.serialized(), status: status, headers: headers)
    }

    static func error(_ error: APIError, headers: HTTPFields = [:]) -> Response {
        json(error.json, status: HTTPResponse.Status(code: error.status), headers: headers)
    }

    /// US dollars with enough digits for a single cheap request, without float noise.
    static func formatCost(_ usd: Double) -> String {
        let scaled = (usd * 1e10).rounded()
        guard scaled.isFinite, scaled >= 0, scaled < 1e18 else { return String(usd) }
        // Trailing zeros dropped by integer arithmetic: String's character-wise
        // count/hasSuffix loop showed up at half a percent of a request's CPU.
        let units = UInt64(scaled)
        var fraction = units % 10_000_000_000
        var width = 10
        while width > 1, fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        let digits = String(fraction)
        return String(units / 10_000_000_000) + "." + String(repeating: "0", count: width - digits.utf8.count) + digits
    }
}
