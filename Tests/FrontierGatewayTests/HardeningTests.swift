import AsyncHTTPClient
import Foundation
import FrontierCore
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Testing

/// What a hostile client or a misbehaving upstream can do to a gateway on a real socket.
@Suite struct HardeningTests {
    static let fast = "  timeouts: {connect_ms: 1000, first_token_ms: 3000, total_ms: 5000}\n  retries: {max_retries: 0}"

    @Test(arguments: ["/v1/chat/completions", "/v1/route"])
    func aMaxTokensNearTheTopOfIntIs400NotACrash(path: String) async throws {
        let models = model("m", mode: "ok", extra: ", context_window: 8192")
        try await withGateway(models: models) { client, _, _ in
            for value in ["9223372036854775807", "1e300", "-1"] {
                let body = #"{"model":"auto","messages":[{"role":"user","content":"x"}],"max_tokens":\#(value)}"#
                let response = try await client.execute(uri: path, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body))
                #expect(response.status == .badRequest)
                #expect(try json(response)["error"]?["param"] == "max_tokens")
            }
            #expect(try await client.chat(chatBody(model: "auto")).status == .ok)
        }
    }

    @Test func aRetryAfterOfMinus1e300IsIgnoredNotATrap() async throws {
        try await withGateway(models: model("h", mode: "hostile-retry-after"), gateway: "  retries: {max_retries: 2}") { client, _, stats in
            let response = try await client.chat(chatBody(model: "h"))
            #expect(response.status == .tooManyRequests)
            #expect(stats.requests == 3)  // retried with backoff; the header was not honoured as a delay
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
    }

    @Test(arguments: [false, true])
    func hostileUsageNumbersAreBounded(stream: Bool) async throws {
        try await withGateway(models: model("u", mode: "hostile-usage")) { client, _, _ in
            let response = try await client.chat(chatBody(model: "u", stream: stream, includeUsage: true))
            #expect(response.status == .ok)
            if stream {
                #expect(events(response).last == "[DONE]")
            } else {
                let cost = try #require(response.headers[.init("x-frontier-cost-usd")!].flatMap(Double.init))
                #expect(cost.isFinite && cost >= 0)
            }
        }
    }

    /// A redirect would re-send the prompt and the key to another origin.
    @Test func redirectsAreNotFollowed() async throws {
        let models = model("r", mode: "redirect", extra: ", api_key: upstream-secret-key-123, headers: {x-api-key: another-secret-456}")
        try await withGateway(models: models, gateway: Self.fast) { client, _, stats in
            let response = try await client.chat(chatBody(model: "r"))
            #expect(response.status == .badGateway)
            let message = try json(response)["error"]?["message"]?.stringValue ?? ""
            #expect(message.contains("redirected (HTTP 307) to http://localhost:"), "\(message)")
            #expect(stats.lastRequest(to: "redirect") != nil)
            #expect(stats.lastRequest(to: "capture") == nil, "the redirect was followed")
        }
    }

    /// A key mounted from a file ends in a newline; an upstream's 401 quotes the key it got.
    @Test func keysNeverLeaveInErrorText() async throws {
        let key = "sk-frontier-test-secret-0123456789"
        let models = model("k", mode: "echo-key-401", extra: ", api_key: \"${TEST_KEY}\"")
        try await withGateway(models: models, gateway: Self.fast, environment: ["TEST_KEY": key + "\n"]) { client, _, stats in
            let response = try await client.chat(chatBody(model: "k"))
            let body = String(buffer: response.body)
            #expect(response.status == .badGateway)
            #expect(!body.contains(key) && !body.contains("0123456789"), "\(body)")
            #expect(body.contains("[redacted]"))
            #expect(stats.lastRequest(to: "echo-key-401")?.headers["authorization"] == "Bearer \(key)")
        }
    }

    @Test func anUpstreamLineThatNeverEndsFailsTheStreamInBoundedMemory() async throws {
        let gateway = Self.fast + "\n  limits: {max_stream_event_bytes: 65536}"
        try await withGateway(models: model("e", mode: "endless-line"), gateway: gateway) { client, _, _ in
            let response = try await client.chat(chatBody(model: "e", stream: true))
            #expect(response.status == .badGateway)
            #expect(try json(response)["error"]?["message"]?.stringValue?.contains("longer than 65536 bytes") == true)
        }
    }

    /// A `data:` event over two lines is re-framed, so each relayed event is one line the client can parse.
    @Test func multiLineDataIsReframed() async throws {
        try await withGateway(models: model("ml", mode: "multiline-data")) { client, _, _ in
            let response = try await client.chat(chatBody(model: "ml", stream: true, includeUsage: true))
            #expect(response.status == .ok)
            let blocks = String(buffer: response.body).components(separatedBy: "\n\n").filter { !$0.isEmpty }
            #expect(blocks.count >= 6)
            for block in blocks {
                #expect(block.hasPrefix("data: ") && !block.contains("\n"), "\(block)")
                if block != "data: [DONE]" { #expect((try? JSONParser.parse(String(block.dropFirst(6)))) != nil) }
            }
        }
    }

    /// Structured outputs emit fields in schema order: the upstream must get the client's order.
    @Test func forwardedJSONKeepsTheClientsKeyOrder() async throws {
        try await withGateway(models: model("c", mode: "capture")) { client, _, stats in
            let format = #"{"type":"json_schema","json_schema":{"name":"r","schema":{"type":"object","properties":{"zulu":{"type":"string"},"alpha":{"type":"string"},"mike":{"type":"string"}},"required":["zulu","alpha","mike"]}}}"#
            let body = #"{"model":"c","messages":[{"role":"user","content":"x"}],"response_format":\#(format),"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"b":{},"a":{}}}}}]}"#
            #expect(try await client.chat(ByteBuffer(string: body)).status == .ok)
            let received = String(decoding: try #require(stats.lastRequest(to: "capture")).body, as: UTF8.self)
            #expect(received.contains(format), "\(received)")
            #expect(received.contains(#""properties":{"b":{},"a":{}}"#))
        }
    }

    @Test func aRequestOverTheConcurrencyLimitGets503WithRetryAfter() async throws {
        let models = model("slow", mode: "hang") + model("m", mode: "ok")
        let gateway = "  timeouts: {connect_ms: 1000, first_token_ms: 20000, total_ms: 20000}\n  limits: {max_concurrent_requests: 1, retry_after_seconds: 3}"
        try await withGateway(models: models, gateway: gateway) { _, port, stats in
            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            func send(_ model: String, path: String = "/v1/chat/completions") async throws -> (HTTPResponseStatus, HTTPHeaders, String) {
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
                if path != "/healthz" {
                    request.method = .POST
                    request.body = .bytes(chatBody(model: model))
                }
                let response = try await http.execute(request, deadline: .now() + .seconds(5))
                return (response.status, response.headers, String(buffer: try await response.body.collect(upTo: 1 << 20)))
            }
            do {
                let first = Task { try? await send("slow") }
                // liveness: the slow request reaches the upstream (idle: a few ms; 15 s holds on busy cores).
                let deadline = Date().addingTimeInterval(15)
                while stats.inFlight == 0, Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
                let (status, headers, body) = try await send("m")
                #expect(status == .serviceUnavailable)
                #expect(headers.first(name: "retry-after") == "3")
                #expect(body.contains(#""code":"overloaded""#))
                // Health is never shed.
                #expect(try await send("", path: "/healthz").0 == .ok)
                first.cancel()
                // The slot comes back when the request ends (the client hung up: the upstream call is cancelled).
                // liveness: idle it comes back within ~10 ms; 15 s holds on busy cores.
                let again = Date().addingTimeInterval(15)
                var served = HTTPResponseStatus.serviceUnavailable
                while served != .ok, Date() < again {  // liveness (the bound above)
                    served = try await send("m").0
                    if served != .ok { try await Task.sleep(for: .milliseconds(50)) }
                }
                #expect(served == .ok)
            } catch {
                try await http.shutdown()
                throw error
            }
            try await http.shutdown()
        }
    }

    @Test func aClientThatNeverSendsItsHeadersIsClosed() async throws {
        try await withGateway(models: model("m", mode: "ok"), gateway: "  limits: {header_timeout_ms: 300}") { _, port, _ in
            let silent = try RawSocket(port: port)
            // liveness: closed after the 300 ms timeout; 10 s is 30x that (the timer is ConnectionGuardStateMachineTests').
            #expect(silent.closedByServer(within: 10))
            let partial = try RawSocket(port: port)
            partial.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n")
            // liveness: as above.
            #expect(partial.closedByServer(within: 10))
        }
    }

    @Test func aBodySentSlowerThanTheBodyTimeoutIsCut() async throws {
        try await withGateway(models: model("m", mode: "ok"), gateway: "  limits: {body_timeout_ms: 400}") { _, port, _ in
            let slow = try RawSocket(port: port)
            slow.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"mo")
            let started = Date()
            var closed = false
            // A byte every 100 ms would keep a timer that each byte resets alive for ever: a close at all proves the body
            // timeout is not reset by them (its arithmetic is ConnectionGuardStateMachineTests', on an injected clock).
            // liveness: closed after 400 ms idle; 15 s is over 30x that (and 150 bytes never complete the 1000-byte body).
            while !closed, Date().timeIntervalSince(started) < 15 {
                slow.send("d")
                closed = slow.closedByServer(within: 0.1)
            }
            #expect(closed)
        }
    }

    @Test func healthShowsLiveBreakerState() async throws {
        let models = model("bad", mode: "fail-500") + model("good", mode: "ok")
        let gateway = "  retries: {max_retries: 0}\n  circuit_breaker: {consecutive_failures: 1, open_ms: 60000}"
        try await withGateway(models: models, gateway: gateway) { client, _, _ in
            #expect(try json(try await client.execute(uri: "/healthz", method: .get))["status"] == "ok")
            _ = try await client.chat(chatBody(model: "bad"))
            let health = try json(try await client.execute(uri: "/healthz", method: .get))
            #expect(health["status"] == "degraded")
            let bad = health["models"]?.arrayValue?.first { $0["id"] == "bad" }
            #expect(bad?["circuit"] == "open")
        }
    }

    @Test func aCascadeRefusesASchemaItCannotCheck() async throws {
        let models = model("a", mode: "ok") + model("b", mode: "ok") + """
            routes:
              - name: checked
                cascade:
                  - {model: a, accept: {json_schema: true}}
                  - {model: b}
            """
        try await withGateway(models: models) { client, _, stats in
            let format = #"{"type":"json_schema","json_schema":{"name":"r","schema":{"type":"object","if":{"required":["a"]}}}}"#
            let response = try await client.chat(ByteBuffer(string: #"{"model":"checked","messages":[{"role":"user","content":"x"}],"response_format":\#(format)}"#))
            #expect(response.status == .badRequest)
            #expect(try json(response)["error"]?["code"] == "unsupported_schema")
            #expect(try json(response)["error"]?["message"]?.stringValue?.contains("'if'") == true)
            #expect(stats.requests == 0)
        }
    }
}
