import Foundation
import FrontierCore
import FrontierLedger
import FrontierRouting
@testable import FrontierGateway
import Hummingbird
import HummingbirdTesting
import Testing

/// `ledger.implicit_feedback` in-process: a regenerate, a refusal and a
/// malformed tool call each become a labelled, weighted score of 0 on the
/// answer they judge; switched off, none is written.
@Suite struct ImplicitFeedbackTests {
    static let models = """
          - {id: helper, provider: openai-compatible, base_url: "http://scripted/ok/v1", deployment: local}
          - {id: refuser, provider: openai-compatible, base_url: "http://scripted/reply/v1", deployment: local, headers: {x-test-reply: "I'm sorry, but I can't help with that."}}
          - {id: tooler, provider: openai-compatible, base_url: "http://scripted/bad-tool/v1", deployment: local}

        """

    func ask(_ client: any TestClientProtocol, _ model: String, _ text: String) async throws -> String {
        let body = #"{"model":"\#(model)","messages":[{"role":"user","content":"\#(text)"}]}"#
        let response = try await client.execute(
            uri: "/v1/chat/completions", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body))
        #expect(response.status == .ok)
        return try #require(response.headers[.init("x-frontier-request-id")!])
    }

    func implicitScores(_ ledger: LedgerSetup) async throws -> [FeedbackRecord] {
        try await ledger.writer.settle()
        return try await ledger.store.records(fromMs: nil, toMs: nil)
            .compactMap { try LedgerEntry(json: try JSONParser.parse($0.body)).feedback }
            .filter { $0.source == .implicit }
    }

    @Test func eachSignalScoresTheAnswerItJudges() async throws {
        let extra = "ledger: {implicit_feedback: {retry: {weight: 0.4, window_s: 60}, refusal: {weight: 0.7}}}\n"
        try await withLedgerGateway(models: Self.models, extra: extra) { client, _, ledger in
            let first = try await ask(client, "helper", "What is the capital of France?")
            _ = try await ask(client, "helper", "Something else entirely.")
            // The same question to another model by name is a comparison, not a retry.
            let compared = try await ask(client, "refuser", "What is the capital of France?")
            let again = try await ask(client, "helper", "What is the capital of France?")
            let refused = try await ask(client, "refuser", "Tell me a secret.")
            let tooled = try await ask(client, "tooler", "Weather in Paris?")
            let scores = try await implicitScores(ledger)
            let byLabel = Dictionary(grouping: scores, by: { $0.label ?? "" })
            #expect(Set(byLabel.keys) == ["retry", "refusal", "malformed_tool_call"], "\(scores)")
            // The regenerate judges the first answer, not itself.
            #expect(byLabel["retry"]?.map(\.requestID) == [first] && byLabel["retry"]?.first?.weight == 0.4)
            #expect(byLabel["retry"]?.first?.requestID != again)
            #expect(byLabel["refusal"]?.map(\.requestID) == [compared, refused] && byLabel["refusal"]?.first?.weight == 0.7)
            #expect(byLabel["malformed_tool_call"]?.map(\.requestID) == [tooled] && byLabel["malformed_tool_call"]?.first?.weight == 1)
            #expect(scores.allSatisfy { $0.score == 0 && $0.apiKeyID == nil })
            #expect(byLabel["refusal"]?.first?.model == "refuser")
            // A person's score wins over an implicit one in the export.
            let posted = try await client.execute(
                uri: "/v1/feedback", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"request_id":"\#(refused)","score":1}"#))
            #expect(posted.status == .ok)
            let (lines, _) = OutcomeExport().lines(from: try await ledger.store.records(fromMs: nil, toMs: nil))
            #expect(lines.first { $0["id"]?.stringValue == refused }?["results"]?["refuser"]?["source"]?.stringValue == "client")
            let tooledLine = lines.first { $0["id"]?.stringValue == tooled }?["results"]?["tooler"]
            #expect(tooledLine?["source"]?.stringValue == "implicit" && tooledLine?["label"]?.stringValue == "malformed_tool_call")
            // Without implicit scores, the refusal's line is the client's alone, and the tool call's has none.
            let (clientOnly, _) = OutcomeExport(sources: [.client]).lines(from: try await ledger.store.records(fromMs: nil, toMs: nil))
            #expect(clientOnly.count == 1)
        }
    }

    @Test func switchedOffNothingIsInferred() async throws {
        let extra = "ledger: {implicit_feedback: false}\n"
        try await withLedgerGateway(models: Self.models, extra: extra) { client, _, ledger in
            _ = try await ask(client, "helper", "Same question")
            _ = try await ask(client, "helper", "Same question")
            _ = try await ask(client, "refuser", "Tell me a secret.")
            _ = try await ask(client, "tooler", "Weather?")
            #expect(try await implicitScores(ledger).isEmpty)
        }
        // One signal off, the others on.
        try await withLedgerGateway(models: Self.models, extra: "ledger: {implicit_feedback: {retry: false}}\n") { client, _, ledger in
            _ = try await ask(client, "helper", "Same question")
            _ = try await ask(client, "helper", "Same question")
            _ = try await ask(client, "refuser", "Tell me a secret.")
            #expect(try await implicitScores(ledger).map(\.label) == ["refusal"])
        }
    }
}

/// The byte scan that spares most answers a parse must never miss a refusal the evaluator would find.
@Suite struct RefusalPrefilterTests {
    @Test func everyKnownRefusalPassesTheScanHoweverItsApostropheIsWritten() {
        for phrase in AcceptanceEvaluator.refusals {
            for apostrophe in ["'", "\u{2019}", #"\u2019"#] {
                let text = phrase.replacingOccurrences(of: "'", with: apostrophe).uppercased()
                let body = #"{"choices":[{"message":{"role":"assistant","content":"\#(text) do that."}}]}"#
                #expect(ImplicitSignals.mayRefuse(Array(body.utf8)), "\(text)")
            }
        }
        #expect(!ImplicitSignals.mayRefuse(Array(#"{"choices":[{"message":{"content":"Paris is the capital of France."}}]}"#.utf8)))
        #expect(ImplicitSignals.contains(Array("abc".utf8), Array("abc".utf8)) && !ImplicitSignals.contains(Array("ab".utf8), Array("abc".utf8)))
    }
}
