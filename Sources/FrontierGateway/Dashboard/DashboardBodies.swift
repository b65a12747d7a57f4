import FrontierCore
import FrontierLedger

extension DashboardAPI {
    /// The event each opening of a request's sealed bodies appends to the chain.
    static let bodiesOpened = "bodies_opened"

    /// `POST /admin/api/requests/{id}/bodies`: one request's sealed prompt, answer, upstream error texts and
    /// feedback comments, opened with the bodies' key for the operator who asked for that record. Only with
    /// `ledger.store_bodies`. Each opening is itself a ledger event (`bodies_opened`, the request id as its
    /// subject), committed before any text is returned, so the chain says who could have read what and when.
    func bodies(id: String) async throws(APIError) -> JSONValue {
        guard let bodyKey, let writer else {
            throw APIError(
                status: 409, type: "invalid_request_error", code: "bodies_not_stored",
                message: "ledger.store_bodies is off: this gateway keeps no prompt or answer text, so there is nothing to open.")
        }
        let entries = try await stored { try await store.records(requestID: id) }.compactMap(\.entry)
        let records = entries.compactMap(\.request).filter { $0.kind == nil }
        guard let record = records.last else {
            throw APIError(status: 404, type: "invalid_request_error", code: "not_found", message: "No record of request '\(id.prefix(100))' in the ledger.")
        }
        do {
            try await writer.submit(.event(LedgerEvent(name: Self.bodiesOpened, timeMs: now(), subject: record.requestID, detail: ["by": "admin"])), durability: .strict)
        } catch {
            throw Self.unavailable(error)
        }
        func open(_ sealed: String?) -> JSONValue {
            guard let sealed else { return .null }
            // A body that does not open (another key, a damaged record) says so rather than failing the page.
            return BodyCipher.open(sealed, key: bodyKey).map { .string(String(decoding: $0, as: UTF8.self)) } ?? .string("(does not open with this gateway's body key)")
        }
        var errors: [JSONValue] = []
        for (n, attempt) in record.attempts.enumerated() where attempt.errorSealed != nil {
            errors.append(["attempt": .int(Int64(n + 1)), "model": .string(attempt.model), "text": open(attempt.errorSealed)])
        }
        let comments: [JSONValue] = entries.compactMap { entry in
            guard case .feedback(let f) = entry, let sealed = f.encryptedComment else { return nil }
            return ["time_ms": .int(f.timeMs), "text": open(sealed)]
        }
        return [
            "request_id": .string(record.requestID), "prompt": open(record.encryptedPrompt), "response": open(record.encryptedResponse),
            "errors": .array(errors), "comments": .array(comments),
        ]
    }
}
