import Foundation
import FrontierCore
import FrontierGateway
import FrontierLedger
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /v1/feedback` in-process: who may score what, what a bad body gets,
/// and that a score lands in the chain as its own record.
@Suite struct FeedbackTests {
    static let admin = "admin-key-for-feedback-tests"
    static let models = model("local-a", mode: "ok")

    func post(_ client: any TestClientProtocol, _ body: String, key: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let key { headers[.authorization] = "Bearer \(key)" }
        return try await client.execute(uri: "/v1/feedback", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    func chat(_ client: any TestClientProtocol, key: String? = nil) async throws -> String {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let key { headers[.authorization] = "Bearer \(key)" }
        let response = try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers, body: chatBody(model: "local-a"))
        #expect(response.status == .ok)
        return try #require(response.headers[.init("x-frontier-request-id")!])
    }

    func createKey(_ client: any TestClientProtocol, name: String) async throws -> (id: String, secret: String) {
        let response = try await client.execute(
            uri: "/admin/keys", method: .post, headers: [.authorization: "Bearer \(Self.admin)", .contentType: "application/json"],
            body: ByteBuffer(string: #"{"name":"\#(name)"}"#))
        #expect(response.status == .created)
        let body = try json(response)
        return (try #require(body["id"]?.stringValue), try #require(body["key"]?.stringValue))
    }

    func feedbackRecords(_ ledger: LedgerSetup, _ id: String) async throws -> [FeedbackRecord] {
        try await ledger.store.records(requestID: id).compactMap { try LedgerEntry(json: try JSONParser.parse($0.body)).feedback }
    }

    @Test func aScoreIsAppendedToTheChainAndTheLatestIsLast() async throws {
        try await withLedgerGateway(models: Self.models) { client, _, ledger in
            let id = try await chat(client)
            let first = try await post(client, #"{"request_id":"\#(id)","score":0,"label":"wrong_dose","comment":"the dose is for adults"}"#)
            #expect(first.status == .ok)
            let answer = try json(first)
            #expect(answer["model"]?.stringValue == "local-a")
            #expect(answer["source"]?.stringValue == "client")
            #expect(answer["comment_stored"] == .bool(false))  // no store_bodies: free text is not kept
            #expect(try await post(client, #"{"request_id":"\#(id)","score":1}"#).status == .ok)
            let records = try await feedbackRecords(ledger, id)
            #expect(records.map(\.score) == [0, 1])
            #expect(records[0].label == "wrong_dose" && records[0].encryptedComment == nil)
            // The request's own record is untouched and the chain, feedback included, verifies.
            let stored = try await ledger.store.records(fromMs: nil, toMs: nil)
            #expect(stored.count == 3)
            let report = ChainVerifier.verify(stored, checkpoints: try await ledger.store.checkpoints(), key: ledger.key, head: try await ledger.store.head())
            #expect(report.ok, "\(report.problems)")
        }
    }

    @Test func badBodiesGetA400ThatNamesTheField() async throws {
        try await withLedgerGateway(models: Self.models) { client, _, _ in
            let id = try await chat(client)
            let cases: [(String, String?)] = [
                (#"{"request_id":"\#(id)","score":1.5}"#, "score"),
                (#"{"request_id":"\#(id)","score":-0.1}"#, "score"),
                (#"{"request_id":"\#(id)","score":"1"}"#, "score"),
                (#"{"request_id":"\#(id)"}"#, "score"),
                (#"{"score":1}"#, "request_id"),
                (#"{"request_id":"","score":1}"#, "request_id"),
                (#"{"request_id":"\#(id)","score":1,"scores":1}"#, "scores"),
                (#"{"request_id":"\#(id)","score":1,"label":"patient John Smith"}"#, "label"),
                (#"{"request_id":"\#(id)","score":1,"comment":"\#(String(repeating: "x", count: 4097))"}"#, "comment"),
                (#"[1]"#, nil),
                (#"{"request_id":"#, nil),
            ]
            for (body, param) in cases {
                let response = try await post(client, body)
                #expect(response.status == .badRequest, "\(body.prefix(80))")
                let error = try json(response)["error"]
                #expect(error?["type"]?.stringValue == "invalid_request_error")
                if let param { #expect(error?["param"]?.stringValue == param, "\(body.prefix(80))") }
            }
            let tooLarge = try await post(client, #"{"request_id":"x","score":1,"comment":"\#(String(repeating: "y", count: 70_000))"}"#)
            #expect(tooLarge.status == .contentTooLarge)
        }
    }

    @Test func anUnknownIdIs404() async throws {
        try await withLedgerGateway(models: Self.models) { client, _, _ in
            let response = try await post(client, #"{"request_id":"frq_nosuchrequest","score":1}"#)
            #expect(response.status == .notFound)
            #expect(try json(response)["error"]?["code"]?.stringValue == "request_not_found")
        }
    }

    @Test func onlyTheKeyThatAskedOrTheAdminMayScore() async throws {
        try await withLedgerGateway(models: Self.models, adminKey: Self.admin) { client, _, ledger in
            let alice = try await createKey(client, name: "alice")
            let bob = try await createKey(client, name: "bob")
            let id = try await chat(client, key: alice.secret)
            // Bob gets exactly what an unknown id gets: the id's existence is not confirmed.
            let foreign = try await post(client, #"{"request_id":"\#(id)","score":0}"#, key: bob.secret)
            let unknown = try await post(client, #"{"request_id":"frq_nosuchrequest","score":0}"#, key: bob.secret)
            #expect(foreign.status == .notFound && unknown.status == .notFound)
            #expect(try json(foreign)["error"]?["code"] == json(unknown)["error"]?["code"])
            #expect(try await post(client, #"{"request_id":"\#(id)","score":0}"#).status == .unauthorized)
            #expect(try await post(client, #"{"request_id":"\#(id)","score":0}"#, key: "not-a-key").status == .unauthorized)
            #expect(try await post(client, #"{"request_id":"\#(id)","score":1}"#, key: alice.secret).status == .ok)
            #expect(try await post(client, #"{"request_id":"\#(id)","score":0.5}"#, key: Self.admin).status == .ok)
            let records = try await feedbackRecords(ledger, id)
            #expect(records.map(\.score) == [1, 0.5])
            #expect(records.map(\.apiKeyID) == [alice.id, nil])
        }
    }

    @Test func withoutALedgerFeedbackSaysWhy() async throws {
        try await withScriptedGateway(models: Self.models) { client, _ in
            let response = try await post(client, #"{"request_id":"frq_x","score":1}"#)
            #expect(response.status == .notFound)
            #expect(try json(response)["error"]?["code"]?.stringValue == "feedback_unavailable")
        }
    }
}
