import FrontierCore
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The router inside the gateway: PII policy, constraints, explanations.
@Suite struct RoutingTests {
    /// A cheap, good cloud model and a weaker local one, with "PII stays on-prem".
    static let models = """
          - {id: local, provider: openai-compatible, base_url: "http://127.0.0.1:PORT/ok/v1", deployment: local, quality: 0.4, marginal_cost: 0.01}
          - {id: cloud, provider: openai-compatible, base_url: "http://127.0.0.1:PORT/ok/v1", deployment: cloud, price: {input_per_mtok: 0.001, output_per_mtok: 0.002}, quality: {default: 0.9, law: 0.95}}
        privacy: {pii: on-prem}
        router: {default_objective: best}

        """
    static let card = "Refund card 4111 1111 1111 1111 please"

    func body(_ model: String, _ text: String, frontier: String = "") -> ByteBuffer {
        ByteBuffer(string: #"{"model":"\#(model)","messages":[{"role":"user","content":"\#(text)"}]\#(frontier)}"#)
    }

    @Test func aPromptWithACardNumberStaysOnPremEvenWhenTheCloudIsBetterAndCheaper() async throws {
        try await withScriptedGateway(models: Self.models) { client, _ in
            let plain = try await client.chat(body("auto", "Explain contract law."))
            #expect(plain.headers[.init("x-frontier-model")!] == "cloud")
            let sensitive = try await client.chat(body("auto", Self.card))
            #expect(sensitive.status == .ok)
            #expect(sensitive.headers[.init("x-frontier-model")!] == "local")
            let decision = try #require(sensitive.headers[.init("x-frontier-decision")!])
            #expect(decision.contains("pii=credit_card"))
            #expect(decision.contains("zone=on-prem"))
            #expect(!decision.contains("4111"))
        }
    }

    @Test func anExplicitCloudModelWithPIIIsRefusedWith403() async throws {
        try await withScriptedGateway(models: Self.models) { client, _ in
            let response = try await client.chat(body("cloud", Self.card))
            #expect(response.status == .forbidden)
            let message = try json(response)["error"]?["message"]?.stringValue ?? ""
            #expect(message.contains("credit_card"))
            #expect(message.contains("on-prem"))
            let clean = try await client.chat(body("cloud", "Hello"))
            #expect(clean.status == .ok)
        }
    }

    @Test func routeExplainsWithoutCallingAModel() async throws {
        try await withScriptedGateway(models: Self.models) { client, provider in
            let response = try await client.execute(uri: "/v1/route", method: .post, body: body("auto", Self.card))
            #expect(response.status == .ok)
            let decision = try json(response)
            #expect(decision["chosen"] == "local")
            #expect(decision["features"]?["pii"] == ["credit_card"])
            #expect(decision["excluded"]?[0]?["model"] == "cloud")
            #expect(decision["excluded"]?[0]?["reason"]?.stringValue?.contains("privacy") == true)
            #expect(decision["candidates"]?.arrayValue?.count == 2)
            #expect(provider.total == 0)
        }
    }

    @Test func constraintsComeFromHeadersAndTheBody() async throws {
        try await withScriptedGateway(models: Self.models) { client, _ in
            let local = try await client.execute(
                uri: "/v1/chat/completions", method: .post, headers: [.init("x-frontier-privacy")!: "local"], body: body("auto", "Hello"))
            #expect(local.headers[.init("x-frontier-model")!] == "local")
            let cheap = try await client.chat(body("auto", "Hello", frontier: #","frontier":{"objective":"cheapest"}"#))
            #expect(cheap.headers[.init("x-frontier-model")!] == "cloud")  // $0.001/M beats local's marginal $0.01/M
            let impossible = try await client.chat(body("auto", "Hello", frontier: #","frontier":{"min_quality":0.99}"#))
            #expect(impossible.status == .unprocessableContent)
            let message = try json(impossible)["error"]?["message"]?.stringValue ?? ""
            #expect(message.contains("local: quality") && message.contains("cloud: quality"))
            let bad = try await client.execute(
                uri: "/v1/chat/completions", method: .post, headers: [.init("x-frontier-max-cost-usd")!: "cheap"], body: body("auto", "Hello"))
            #expect(bad.status == .badRequest)
            #expect(try json(bad)["error"]?["param"] == "x-frontier-max-cost-usd")
        }
    }
}

@Suite struct NamedRouteTests {
    static let models = """
          - {id: local, provider: openai-compatible, base_url: "http://127.0.0.1:PORT/ok/v1", deployment: local, quality: 0.4}
          - {id: cloud, provider: openai-compatible, base_url: "http://127.0.0.1:PORT/ok/v1", deployment: cloud, price: {input_per_mtok: 0.001, output_per_mtok: 0.002}, quality: 0.9}
        routes:
          - {name: private, constraints: {privacy: local}}
          - {name: premium, models: [cloud], constraints: {min_quality: 0.8}}
        router: {default_objective: best, fallback_model: local}

        """

    func body(_ model: String, frontier: String = "") -> ByteBuffer {
        ByteBuffer(string: #"{"model":"\#(model)","messages":[{"role":"user","content":"Hello"}]\#(frontier)}"#)
    }

    @Test func aRouteNameAppliesItsModelsAndConstraints() async throws {
        try await withScriptedGateway(models: Self.models) { client, _ in
            #expect(try await client.chat(body("auto")).headers[.init("x-frontier-model")!] == "cloud")
            #expect(try await client.chat(body("private")).headers[.init("x-frontier-model")!] == "local")
            #expect(try await client.chat(body("premium")).headers[.init("x-frontier-model")!] == "cloud")
            let ids = try json(try await client.execute(uri: "/v1/models", method: .get))["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
            #expect(ids == ["auto", "premium", "private", "local", "cloud"])
        }
    }

    @Test func theFallbackModelServesWhenNothingIsFeasible() async throws {
        try await withScriptedGateway(models: Self.models) { client, _ in
            let response = try await client.chat(body("auto", frontier: #","frontier":{"min_quality":0.99}"#))
            #expect(response.status == .ok)
            #expect(response.headers[.init("x-frontier-model")!] == "local")
            #expect(response.headers[.init("x-frontier-decision")!]?.contains("policy fallback") == true)
        }
    }
}
