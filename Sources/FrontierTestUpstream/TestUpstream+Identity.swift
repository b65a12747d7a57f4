import Foundation
import Hummingbird
import Synchronization

/// The `identity` mode: a model whose reported identity (`model`, `system_fingerprint`) and answer text can be
/// switched mid-traffic, as a provider redeploying behind one name does. `POST /identity/switch` with
/// `{"model", "fingerprint", "reply", "completion_tokens"}` (each optional) changes what every later answer says
/// and the usage it reports.
public final class SwitchableIdentity: Sendable {
    public struct Current: Sendable, Equatable {
        public var model = "test-upstream-model"
        public var fingerprint: String? = "fp_test_a"
        public var reply = TestUpstream.content
        public var completionTokens = 7
    }

    private let state = Mutex(Current())

    public init() {}

    public var current: Current { state.withLock { $0 } }

    private let answers = Mutex(0)
    /// Answers given so far (`GET /identity/stats`).
    public var answerCount: Int { answers.withLock { $0 } }
    func answered() { answers.withLock { $0 += 1 } }

    public func update(model: String? = nil, fingerprint: String?? = nil, reply: String? = nil, completionTokens: Int? = nil) {
        state.withLock { s in
            if let model { s.model = model }
            if let fingerprint { s.fingerprint = fingerprint }
            if let reply { s.reply = reply }
            if let completionTokens { s.completionTokens = max(0, min(completionTokens, 1_000_000)) }
        }
    }
}

extension TestUpstream {
    static func addIdentityMode(to router: Router<UpstreamContext>, identity: SwitchableIdentity, stats: UpstreamStats) {
        router.post("/identity/switch") { request, _ in
            let body = try await request.body.collect(upTo: 1 << 16)
            guard let object = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] else {
                return json(ByteBuffer(string: #"{"error":"a JSON object of model, fingerprint, reply"}"#), status: .badRequest)
            }
            let fingerprint: String?? = object.keys.contains("fingerprint") ? .some(object["fingerprint"] as? String) : .none
            identity.update(
                model: object["model"] as? String, fingerprint: fingerprint, reply: object["reply"] as? String,
                completionTokens: object["completion_tokens"] as? Int)
            return json(ByteBuffer(string: #"{"ok":true}"#))
        }
        router.get("/identity/stats") { _, _ in "{\"answers\":\(identity.answerCount)}" }
        router.post("/identity/v1/chat/completions") { request, _ in
            stats.begin()
            defer { stats.end() }
            let body = try await request.body.collect(upTo: 16 << 20)
            stats.record(received(request, body), mode: "identity")
            identity.answered()
            let now = identity.current
            let head = "\"id\":\"chatcmpl-test\",\"created\":1700000000,\"model\":\"\(escaped(now.model))\""
                + (now.fingerprint.map { ",\"system_fingerprint\":\"\(escaped($0))\"" } ?? "")
            let usage = "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":\(now.completionTokens),\"total_tokens\":\(12 + now.completionTokens)}"
            guard wantsStream(body) else {
                return json(ByteBuffer(string: """
                    {\(head),"object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"\(escaped(now.reply))"},\
                    "finish_reason":"stop","logprobs":null}],\(usage)}
                    """))
            }
            func chunk(_ delta: String, finish: String? = nil) -> String {
                "data: {\(head),\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":\(delta),\"finish_reason\":\(finish.map { "\"\($0)\"" } ?? "null")}]}\n\n"
            }
            let parts = [
                chunk("{\"role\":\"assistant\",\"content\":\"\"}"), chunk("{\"content\":\"\(escaped(now.reply))\"}"), chunk("{}", finish: "stop"),
                "data: {\(head),\"object\":\"chat.completion.chunk\",\"choices\":[],\(usage)}\n\n", "data: [DONE]\n\n",
            ]
            return sse(ByteBuffer(string: parts.joined()))
        }
    }
}
