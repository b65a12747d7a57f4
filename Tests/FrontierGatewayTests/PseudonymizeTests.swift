import FrontierCore
import FrontierRouting
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import FrontierGateway

/// `privacy.on_violation: pseudonymize` for a named cloud model: the model is sent placeholders, never the
/// values; what cannot be masked safely is refused as `refuse` would; `auto` still chooses inside the zone.
@Suite struct PseudonymizeTests {
    static let models = """
          - {id: cloud, provider: openai-compatible, base_url: "http://scripted/ok/v1", deployment: cloud, price: {input_per_mtok: 1, output_per_mtok: 2}}
          - {id: onprem, provider: openai-compatible, base_url: "http://scripted/ok/v1", deployment: on-prem, price: {input_per_mtok: 3, output_per_mtok: 4}}
        privacy: {pii: on-prem, on_violation: pseudonymize}
        """

    func body(_ model: String, _ content: String) -> ByteBuffer {
        ByteBuffer(string: #"{"model":"\#(model)","messages":[{"role":"user","content":\#(content)}]}"#)
    }

    @Test func aNamedCloudModelIsSentPlaceholdersOnly() async throws {
        try await withScriptedGateway(models: Self.models) { client, provider in
            let response = try await client.chat(body("cloud", #""Write to jane.doe@example.com and call (415) 555-0132.""#))
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            #expect(response.headers[.frontierDecision]?.contains("pseudonymized") == true)
            let sent = try #require(provider.received.withLock { $0["cloud"] })
            let text = sent.messages[0].content.stringValue ?? ""
            #expect(text == "Write to <EMAIL_1> and call <PHONE_1>.", "\(text)")
            #expect(sent.native == nil)
        }
    }

    @Test func whatCannotBeMaskedSafelyIsRefused() async throws {
        try await withScriptedGateway(models: Self.models) { client, provider in
            // An image beside the e-mail: it cannot be scanned, so nothing proves it is safe to send.
            let image = #"[{"type":"text","text":"jane.doe@example.com"},{"type":"image_url","image_url":{"url":"https://x.example/scan.png"}}]"#
            let refused = try await client.chat(body("cloud", image))
            #expect(refused.status == .forbidden)
            // A card number split across two messages: masking would leave it whole in the joined text.
            let split = ByteBuffer(string: #"{"model":"cloud","messages":[{"role":"user","content":"card 4111 1111"},{"role":"user","content":"1111 1111 please"}]}"#)
            let splitResponse = try await client.chat(split)
            #expect(splitResponse.status == .forbidden, "\(String(buffer: splitResponse.body))")
            #expect(String(buffer: splitResponse.body).contains("cannot be replaced by placeholders safely"))
            #expect(provider.count("cloud") == 0)
        }
    }

    @Test func autoStillChoosesInsideTheZone() async throws {
        try await withScriptedGateway(models: Self.models) { client, provider in
            let response = try await client.chat(body("auto", #""Write to jane.doe@example.com.""#))
            #expect(response.status == .ok)
            #expect(response.headers[.frontierModel] == "onprem")
            #expect(provider.count("cloud") == 0)
        }
    }
}
