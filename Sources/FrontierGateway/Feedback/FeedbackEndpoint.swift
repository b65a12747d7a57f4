import Foundation
import FrontierCore
import FrontierLedger
import FrontierRouting
import Hummingbird

/// `POST /v1/feedback`: a score for an answer the gateway served, appended to
/// the ledger as its own chained record. Only the key that made the request
/// (or the admin key) may score it; any other key gets the 404 an unknown id
/// gets, so an id's existence is never confirmed to someone who does not own it.
struct FeedbackEndpoint: Sendable {
    /// Nil when the config has no `storage:`: there is nowhere to keep feedback.
    let ledger: LedgerSetup?
    /// Whether `auth:` is on: without it the gateway listens on loopback only, and anyone who reaches it may score.
    let authOn: Bool
    /// The running experiment, whose guard a score of one of its requests feeds.
    var experiment: ExperimentMonitor? = nil
    /// `router.explore`, which counts every score toward where the router's estimates rest on the least.
    var explorer: Explorer? = nil
    /// The drift watch, which reads every client's score as the served model's live quality.
    var drift: DriftWatch? = nil

    func handle(_ request: Request, context: GatewayContext) async -> Response {
        do throws(APIError) {
            guard let ledger else { throw .feedbackUnavailable }
            let body = try await RequestBody.collect(request, limit: FeedbackSubmission.maxBodyBytes)
            let json: JSONValue
            do throws(JSONParseError) { json = try JSONParser.parse(body.readableBytesView) } catch { throw .invalidJSON(error) }
            let submission = try FeedbackSubmission(json)
            let scorer = Scorer(keyID: context.tenant?.id, isAdmin: context.isAdmin, authOn: authOn)
            let (record, request) = try await Self.record(submission, by: scorer, ledger: ledger)
            explorer?.observed(domain: request.domain, model: record.model)
            drift?.observe(record.model, .feedback, score: record.score)
            if let experiment, request.experiment == experiment.candidateVersion, let arm = request.arm.flatMap(ExperimentGuard.Arm.init(rawValue:)),
               request.model == record.model {
                await experiment.scored(arm, score: record.score)
            }
            var answer: JSONObject = [
                "object": "feedback", "request_id": .string(record.requestID), "model": .string(record.model), "score": .double(record.score),
                "source": .string(record.source.rawValue), "comment_stored": .bool(record.encryptedComment != nil),
                "created": .int(record.timeMs / 1000),
            ]
            if let label = record.label { answer["label"] = .string(label) }
            return Responses.json(.object(answer))
        } catch {
            return Responses.error(error)
        }
    }

    /// Who is posting: a tenant's key, the admin, or anyone (no `auth:`).
    struct Scorer: Sendable {
        var keyID: String?
        var isAdmin: Bool
        var authOn: Bool

        /// Whether this scorer may score a request made with `requestKeyID`.
        func mayScore(requestKeyID: String?) -> Bool {
            !authOn || isAdmin || (keyID != nil && keyID == requestKeyID)
        }
    }

    /// Finds the request's final record (once every record queued before this call is committed), checks the
    /// scorer may score it, and commits the feedback before answering: a 200 means it is in the chain.
    static func record(
        _ submission: FeedbackSubmission, by scorer: Scorer, ledger: LedgerSetup
    ) async throws(APIError) -> (feedback: FeedbackRecord, request: LedgerRecord) {
        let stored: [StoredRecord]
        do {
            // A batched record may still be queued a few milliseconds after its answer went out.
            try await ledger.writer.settle()
            stored = try await ledger.store.records(requestID: submission.requestID)
        } catch {
            throw .feedbackNotRecorded("\(error)")
        }
        guard let request = finalRecord(stored), scorer.mayScore(requestKeyID: request.apiKeyID) else {
            throw .feedbackRequestNotFound(submission.requestID)
        }
        guard let model = request.model else { throw .feedbackNothingToScore(submission.requestID, status: request.status) }
        let record = FeedbackRecord(
            requestID: request.requestID, timeMs: Tenancy.wallClockMs(), apiKeyID: scorer.keyID, model: model, score: submission.score,
            label: submission.label, source: .client,
            encryptedComment: submission.comment.flatMap { comment in ledger.bodyKey.flatMap { BodyCipher.seal(Array(comment.utf8), key: $0) } })
        do {
            try await ledger.writer.submit(.feedback(record), durability: .strict)
        } catch {
            throw .feedbackNotRecorded(error.description)
        }
        return (record, request)
    }

    /// The request's own final record among those naming its id (not its write-ahead intent, not feedback).
    static func finalRecord(_ stored: [StoredRecord]) -> LedgerRecord? {
        for s in stored.reversed() {
            guard let json = try? JSONParser.parse(s.body), json["kind"] == nil, let record = try? LedgerRecord(json: json) else { continue }
            return record
        }
        return nil
    }
}
