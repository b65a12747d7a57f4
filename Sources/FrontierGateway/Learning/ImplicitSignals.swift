import Crypto
import FrontierConfig
import FrontierCore
import FrontierLedger
import FrontierProviders
import FrontierRouting
import Logging
import Synchronization

/// `ledger.implicit_feedback`: what a client's behaviour says about an answer,
/// appended as feedback (`source: implicit`, labelled `retry`, `client_cut`,
/// `malformed_tool_call` or `refusal`, with the configured weight, always a
/// score of 0). A person's score for the same answer wins over it in an export.
final class ImplicitSignals: Sendable {
    let settings: ImplicitFeedbackSettings
    private let retries: Mutex<RetryDetector>
    private let writer: LedgerWriter
    private let logger: Logger
    private let wallClockMs: @Sendable () -> Int64

    init(settings: ImplicitFeedbackSettings, writer: LedgerWriter, logger: Logger, wallClockMs: @escaping @Sendable () -> Int64 = Tenancy.wallClockMs) {
        self.settings = settings
        self.retries = Mutex(RetryDetector(windowMs: Int64(settings.retryWindowSeconds) * 1000))
        self.writer = writer
        self.logger = logger
        self.wallClockMs = wallClockMs
    }

    /// A request ended with `status`: a stream the client cut, and a conversation sent again.
    nonisolated(nonsending) func ended(_ trace: RequestTrace, status: Int) async {
        let (prompt, model, route) = trace.state.withLock { ($0.prompt, $0.model, $0.route) }
        guard !route.isEmpty else { return }
        let now = wallClockMs()
        if let weight = settings.clientCutWeight, status == 499, let model {
            await submit(trace.requestID, model: model, label: "client_cut", weight: weight, now: now)
        }
        if let weight = settings.retryWeight, !prompt.isEmpty {
            // The key, what it asked for (the same prompt tried on another model by name is no retry) and the
            // messages, hashed: the detector never holds a prompt.
            var hash = SHA256()
            hash.update(data: Array((trace.apiKeyID ?? "").utf8) + [0] + Array(route.utf8) + [0] + Array(prompt.utf8))
            let conversation = hash.finalize().map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
            let repeated = retries.withLock {
                $0.ended(conversation: conversation, requestID: trace.requestID, answeredBy: status == 200 ? model : nil, nowMs: now)
            }
            if let repeated { await submit(repeated.requestID, model: repeated.model, label: "retry", weight: weight, now: now) }
        }
    }

    /// A whole answer was served: one that refuses, or whose tool call's arguments are not a JSON object.
    nonisolated(nonsending) func answered(_ completion: Completion, model: String, requestID: String) async {
        guard settings.refusalWeight != nil || settings.malformedToolCallWeight != nil,
              let message = (try? JSONParser.parse(completion.body))?["choices"]?.arrayValue?.first?["message"]
        else { return }
        let now = wallClockMs()
        if let weight = settings.malformedToolCallWeight, let calls = message["tool_calls"]?.arrayValue,
           calls.contains(where: { call in
               guard let arguments = call["function"]?["arguments"]?.stringValue else { return true }
               return (try? JSONParser.parse(Array(arguments.utf8)))?.objectValue == nil
           }) {
            await submit(requestID, model: model, label: "malformed_tool_call", weight: weight, now: now)
        }
        if let weight = settings.refusalWeight, let text = message["content"]?.stringValue,
           AcceptanceEvaluator.refusalPhrase(in: text.trimmingCharacters(in: .whitespacesAndNewlines)) != nil {
            await submit(requestID, model: model, label: "refusal", weight: weight, now: now)
        }
    }

    private nonisolated(nonsending) func submit(_ requestID: String, model: String, label: String, weight: Double, now: Int64) async {
        let record = FeedbackRecord(requestID: requestID, timeMs: now, model: model, score: 0, label: label, source: .implicit, weight: weight)
        do {
            try await writer.submit(.feedback(record), durability: .batched)
        } catch {
            logger.debug("an implicit score could not be queued for the ledger", metadata: ["label": "\(label)", "error": "\(error)"])
        }
    }
}
