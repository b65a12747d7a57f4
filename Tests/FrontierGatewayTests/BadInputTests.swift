import Foundation
import FrontierCore
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite struct BadInputTests {
    @Test(arguments: [
        ("{bad", HTTPResponse.Status.badRequest, "not valid JSON"),
        (#"{"model":"m","messages":"hi"}"#, .badRequest, "'messages' must be an array"),
        (#"{"model":"m","messages":[{"role":"user","content":"x"}],"max_tokens":"ten"}"#, .badRequest, "'max_tokens' must be an integer"),
        (#"{"model":"nope","messages":[{"role":"user","content":"x"}]}"#, .notFound, "does not exist"),
        (#"{"model":"keyless","messages":[{"role":"user","content":"x"}]}"#, .serviceUnavailable, "NO_SUCH_KEY is not set"),
    ])
    func badInputGetsItsStatusAndAMessage(_ body: String, _ status: HTTPResponse.Status, _ message: String) async throws {
        let models = model("m", mode: "ok")
            + "  - {id: keyless, provider: openai-compatible, base_url: \"http://127.0.0.1:PORT/ok/v1\", api_key: \"${NO_SUCH_KEY}\", deployment: cloud, price: {input_per_mtok: 1, output_per_mtok: 1}}\n"
        try await withScriptedGateway(models: models) { client, _ in
            let response = try await client.chat(ByteBuffer(string: body))
            #expect(response.status == status)
            let error = try json(response)["error"]
            #expect(error?["message"]?.stringValue?.contains(message) == true, "\(error?["message"]?.stringValue ?? "")")
            #expect(error?["type"]?.stringValue != nil)
        }
    }

    @Test func deeplyNestedJSONIsRefused() async throws {
        try await withScriptedGateway(models: model("m", mode: "ok")) { client, _ in
            let response = try await client.chat(ByteBuffer(string: String(repeating: "[", count: 100_000)))
            #expect(response.status == .badRequest)
            #expect(try json(response)["error"]?["message"]?.stringValue?.contains("nested deeper") == true)
        }
    }

    @Test func invalidUTF8IsRefused() async throws {
        try await withScriptedGateway(models: model("m", mode: "ok")) { client, _ in
            var body = ByteBuffer(string: #"{"model":"m","messages":[{"role":"user","content":""#)
            body.writeBytes([0xC3, 0x28, 0xFF])
            body.writeString(#""}]}"#)
            let response = try await client.chat(body)
            #expect(response.status == .badRequest)
            #expect(try json(response)["error"]?["message"]?.stringValue?.contains("invalid UTF-8") == true)
        }
    }

    @Test func aBodyOverTheLimitGets413() async throws {
        try await withScriptedGateway(models: model("m", mode: "ok"), gateway: "  max_body_bytes: 1000") { client, _ in
            let response = try await client.chat(ByteBuffer(repeating: UInt8(ascii: "a"), count: 5_000))
            #expect(response.status == .contentTooLarge)
            #expect(try json(response)["error"]?["message"]?.stringValue?.contains("1000 bytes") == true)
            let ok = try await client.chat(chatBody(model: "m"))
            #expect(ok.status == .ok)
        }
    }

    @Test func modelsListsTheCatalogAndAuto() async throws {
        try await withScriptedGateway(models: model("m", mode: "ok")) { client, _ in
            let response = try await client.execute(uri: "/v1/models", method: .get)
            let ids = try json(response)["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
            #expect(ids == ["auto", "m"])
        }
    }

    @Test func passesThroughFieldsItDoesNotUse() async throws {
        // fail-400 would reject; ok answers; this checks the gateway does not choke on extra fields.
        try await withScriptedGateway(models: model("m", mode: "ok")) { client, _ in
            let body = #"{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f","parameters":{}}}],"response_format":{"type":"json_object"},"seed":9007199254740993,"logit_bias":{"50256":-100}}"#
            let response = try await client.chat(ByteBuffer(string: body))
            #expect(response.status == .ok)
        }
    }
}

@Suite struct OpenAPIDocumentTests {
    /// The served document is docs/openapi.yaml as it is now (scripts/embed-openapi).
    @Test func theServedDocumentIsTheOneInDocs() async throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/openapi.yaml").path
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        try await withScriptedGateway(models: model("m", mode: "ok")) { client, _ in
            let response = try await client.execute(uri: "/openapi.yaml", method: .get)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) + "\n" == expected, "docs/openapi.yaml changed: run scripts/embed-openapi")
        }
    }
}
