import Foundation
import FrontierCore
import FrontierTestUpstream
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// `privacy: {pii: on-prem}` in front of a gateway whose only model is in the cloud: a
/// request with personal data anywhere it sends is refused, whatever field holds it and
/// however it is written; the same request with benign text is served.
@Suite struct PrivacyPlacementTests {
    static let models = """
          - {id: cloud, provider: openai-compatible, base_url: "http://127.0.0.1:PORT/capture/v1", deployment: cloud, price: {input_per_mtok: 1, output_per_mtok: 2}}
        privacy: {pii: on-prem}
        """

    /// A request body with `text` placed in one field.
    static func body(_ placement: String, _ text: String) -> String {
        let escaped = TestJSON.escape(text)
        let b64 = Data(text.utf8).base64EncodedString()
        let message: String = switch placement {
        case "tool_arguments":
            #"{"role":"user","content":"update it"},{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{\"note\":\"\#(TestJSON.escape(escaped))\"}"}}]},{"role":"tool","tool_call_id":"c1","content":"ok"}"#
        case "name": #"{"role":"user","name":"\#(escaped)","content":"hello"}"#
        case "data_url": #"{"role":"user","content":[{"type":"text","text":"read this"},{"type":"image_url","image_url":{"url":"data:text/plain;base64,\#(b64)"}}]}"#
        case "split":
            // Broken at the space nearest the middle, as a long paste is sent in two messages.
            #"{"role":"user","content":"\#(TestJSON.escape(TestJSON.splitNearMiddle(text).0))"},{"role":"user","content":"\#(TestJSON.escape(TestJSON.splitNearMiddle(text).1))"}"#
        case "system": #"{"role":"system","content":"\#(escaped)"},{"role":"user","content":"go on"}"#
        default: #"{"role":"user","content":"\#(escaped)"}"#
        }
        var extra = ""
        switch placement {
        case "user": extra = #","user":"\#(escaped)""#
        case "tool_description": extra = #","tools":[{"type":"function","function":{"name":"f","description":"\#(escaped)","parameters":{"type":"object"}}}]"#
        case "response_format": extra = #","response_format":{"type":"json_schema","json_schema":{"name":"r","schema":{"type":"object","description":"\#(escaped)"}}}"#
        default: break
        }
        let messages = ["user", "tool_description", "response_format"].contains(placement) ? #"{"role":"user","content":"hello"}"# : message
        return #"{"model":"cloud","messages":[\#(messages)]\#(extra)}"#
    }

    static let placements = ["message", "system", "tool_arguments", "tool_description", "user", "name", "data_url", "response_format", "split"]

    @Test(arguments: placements)
    func personalDataInAnyFieldIsRefused(_ placement: String) async throws {
        let values = [
            "card 4111 1111 1111 1111", "SSN 123-45-6789", "mail jane.doe@example.com", "Patient: Jane Doe, 54",
            "card 4111\u{00A0}1111\u{00A0}1111\u{00A0}1111", "card ４１１１ １１１１ １１１１ １１１１", "SSN 123\u{2013}45\u{2013}6789",
            "card 4111 11\u{200B}11 1111 1111", "IBAN de89 3704 0044 0532 0130 00",
        ]
        try await withGateway(models: Self.models) { client, _, stats in
            for value in values {
                let text = placement == "split" ? "please charge \(value) today" : value
                let response = try await client.chat(ByteBuffer(string: Self.body(placement, text)))
                #expect(response.status == .forbidden, "\(placement): \(value) -> \(response.status)")
                #expect(try json(response)["error"]?["code"] == "privacy_policy")
            }
            #expect(stats.requests == 0, "a request with PII reached the cloud model")
        }
    }

    @Test(arguments: placements)
    func benignTextInTheSameFieldsIsServed(_ placement: String) async throws {
        try await withGateway(models: Self.models) { client, _, stats in
            for text in ["order total 1234.56 for 3 items", "meeting at 10:30 in room 204", "version 2.1.4 fixes the crash"] {
                let response = try await client.chat(ByteBuffer(string: Self.body(placement, text)))
                #expect(response.status == .ok, "\(placement): \(text) -> \(response.status) \(String(buffer: response.body))")
            }
            #expect(stats.requests == 3)
        }
    }

    @Test func imagesCannotBeScannedSoTheyStayOnPremUnlessAllowed() async throws {
        let image = #"{"model":"cloud","messages":[{"role":"user","content":[{"type":"text","text":"what is this?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]}]}"#
        try await withGateway(models: Self.models) { client, _, _ in
            let response = try await client.chat(ByteBuffer(string: image))
            #expect(response.status == .forbidden)
            #expect(try json(response)["error"]?["message"]?.stringValue?.contains("cannot be scanned (image)") == true)
        }
        try await withGateway(models: Self.models.replacingOccurrences(of: "{pii: on-prem}", with: "{pii: on-prem, unscannable: allow}")) { client, _, _ in
            let allowed = try await client.chat(ByteBuffer(string: image))
            #expect(allowed.status == .ok)
        }
    }

    @Test func aCategorySwitchedOffDoesNotCount() async throws {
        let models = Self.models.replacingOccurrences(of: "{pii: on-prem}", with: "{pii: on-prem, categories: {email: false}}")
        try await withGateway(models: models) { client, _, _ in
            let email = try await client.chat(ByteBuffer(string: Self.body("message", "mail jane.doe@example.com")))
            #expect(email.status == .ok)
            let ssn = try await client.chat(ByteBuffer(string: Self.body("message", "SSN 123-45-6789")))
            #expect(ssn.status == .forbidden)
        }
    }

    @Test func theDecisionNamesTheFieldNeverTheValue() async throws {
        let models = "  - {id: box, provider: openai-compatible, base_url: \"http://127.0.0.1:PORT/ok/v1\", deployment: on-prem}\n" + Self.models
        try await withGateway(models: models) { client, _, _ in
            let body = Self.body("tool_arguments", "SSN 123-45-6789").replacingOccurrences(of: #""model":"cloud""#, with: #""model":"auto""#)
            let response = try await client.execute(uri: "/v1/route", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body))
            let text = String(buffer: response.body)
            #expect(text.contains(#""field":"messages[1].tool_calls[0].function.arguments.note""#), "\(text)")
            #expect(!text.contains("6789"))
            #expect(try json(response)["chosen"] == "box")
        }
    }
}

enum TestJSON {
    static func splitNearMiddle(_ text: String) -> (String, String) {
        let chars = Array(text)
        let spaces = chars.indices.filter { chars[$0] == " " || chars[$0] == "\u{00A0}" }
        guard let cut = spaces.min(by: { abs($0 - chars.count / 2) < abs($1 - chars.count / 2) }) else { return (text, "") }
        return (String(chars[..<cut]), String(chars[(cut + 1)...]))
    }

    static func escape(_ text: String) -> String {
        TestUpstream.escaped(text)
    }
}
