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
            // messages, hashed in process: the detector never holds a prompt.
            var hasher = Hasher()
            hasher.combine(trace.apiKeyID)
            hasher.combine(route)
            hasher.combine(prompt)
            let conversation = hasher.finalize()
            let repeated = retries.withLock {
                $0.ended(conversation: conversation, requestID: trace.requestID, answeredBy: status == 200 ? model : nil, nowMs: now)
            }
            if let repeated { await submit(repeated.requestID, model: repeated.model, label: "retry", weight: weight, now: now) }
        }
    }

    /// A whole answer was served: one that refuses, or whose tool call's arguments are not a JSON object.
    nonisolated(nonsending) func answered(_ completion: Completion, model: String, requestID: String) async {
        // Most answers hold neither a tool call nor a refusal's words: a scan of the bytes spares them the parse.
        let mayRefuse = settings.refusalWeight != nil && Self.mayRefuse(completion.body)
        let hasToolCall = settings.malformedToolCallWeight != nil && Self.contains(completion.body, Self.toolCalls)
        guard mayRefuse || hasToolCall, let message = (try? JSONParser.parse(completion.body))?["choices"]?.arrayValue?.first?["message"]
        else { return }
        let now = wallClockMs()
        if hasToolCall, let weight = settings.malformedToolCallWeight, let calls = message["tool_calls"]?.arrayValue,
           calls.contains(where: { call in
               guard let arguments = call["function"]?["arguments"]?.stringValue else { return true }
               return (try? JSONParser.parse(Array(arguments.utf8)))?.objectValue == nil
           }) {
            await submit(requestID, model: model, label: "malformed_tool_call", weight: weight, now: now)
        }
        if mayRefuse, let weight = settings.refusalWeight, let text = message["content"]?.stringValue,
           AcceptanceEvaluator.refusalPhrase(in: text.trimmingCharacters(in: .whitespacesAndNewlines)) != nil {
            await submit(requestID, model: model, label: "refusal", weight: weight, now: now)
        }
    }

    static let toolCalls = Array("\"tool_calls\"".utf8)
    /// Every refusal opening ``AcceptanceEvaluator`` knows contains one of these, whichever way its apostrophe is
    /// written in the JSON (', ’ or \u2019): the words around an apostrophe are anchors of their own.
    static let refusalAnchors = ["i can", "i am", "i'm", "i won", "i will", "as an ai", "sorry", "unable", "not able"].map { Array($0.utf8) }

    static func mayRefuse(_ body: [UInt8]) -> Bool {
        refusalAnchors.contains { contains(body, $0, ignoringASCIICase: true) }
    }

    /// Whether `needle` occurs in `haystack` (ASCII letters compared without case when asked).
    static func contains(_ haystack: [UInt8], _ needle: [UInt8], ignoringASCIICase: Bool = false) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return needle.isEmpty }
        let lower = { (b: UInt8) -> UInt8 in ignoringASCIICase && b >= 65 && b <= 90 ? b | 0x20 : b }
        let first = needle[0]
        var i = 0
        let last = haystack.count - needle.count
        while i <= last {
            if lower(haystack[i]) == first {
                var j = 1
                while j < needle.count, lower(haystack[i + j]) == needle[j] { j += 1 }
                if j == needle.count { return true }
            }
            i += 1
        }
        return false
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
