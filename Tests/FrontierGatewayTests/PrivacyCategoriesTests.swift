import Crypto
import FrontierCore
import FrontierProviders
import FrontierRouting
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing
@testable import FrontierEval
@testable import FrontierGateway
@testable import FrontierLedger

/// One detector, one zone: a category switched off in `privacy.categories` is off for `auto`, a named
/// model, a cascade, `/v1/route`, `frontier eval` and the ledger's record; a category left on still binds.
@Suite struct PrivacyCategoriesTests {
    static let models = """
          - {id: cloud, provider: openai-compatible, base_url: "http://scripted/ok/v1", deployment: cloud, price: {input_per_mtok: 1, output_per_mtok: 2}}
        routes:
          - name: tiers
            cascade:
              - {model: cloud}
        privacy: {pii: on-prem, categories: {email: false}}
        """
    static let email = "Write to jane.doe@example.com about the invoice."
    static let ssn = "My SSN is 123-45-6789."

    func body(_ model: String, _ text: String) -> ByteBuffer {
        ByteBuffer(string: #"{"model":"\#(model)","messages":[{"role":"user","content":"\#(text)"}]}"#)
    }

    @Test func aCategorySwitchedOffIsOffOnEveryPath() async throws {
        try await withScriptedGateway(models: Self.models) { client, provider in
            for model in ["auto", "cloud", "tiers"] {
                let response = try await client.chat(body(model, Self.email))
                #expect(response.status == .ok, "\(model): \(String(buffer: response.body))")
                let refused = try await client.chat(body(model, Self.ssn))
                #expect(refused.status != .ok, "\(model): an SSN must still keep the request off the cloud")
            }
            let route = try await client.execute(uri: "/v1/route", method: .post, headers: [.contentType: "application/json"], body: body("auto", Self.email))
            #expect(try json(route)["features"]?["pii"]?.arrayValue?.isEmpty == true)
            #expect(provider.count("cloud") == 3)
        }
    }

    @Test func evalAndTheLedgerUseTheConfiguredCategories() throws {
        let policy = PrivacyPolicy(piiZone: .onPrem, categories: Set(PIICategory.allCases).subtracting([.email]))
        let chat = try ChatRequest(json: JSONParser.parse(#"{"model":"cloud","messages":[{"role":"user","content":"\#(Self.email)"}]}"#))
        let runner = EvalRunner(models: [], judge: nil, providers: ProviderRegistry([:]), privacy: policy)
        #expect(runner.zone(of: chat).zone == .any)
        #expect(runner.zone(of: try ChatRequest(json: JSONParser.parse(#"{"model":"cloud","messages":[{"role":"user","content":"\#(Self.ssn)"}]}"#))).zone == .onPrem)

        // The ledger's record of a request the plan did not scan (a named model, no policy that could narrow it).
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let ledger = RequestLedger(
            writer: LedgerWriter(store: NoStore(), logger: quiet), key: SymmetricKey(size: .bits256), bodyKey: nil, durability: .batched,
            detector: { policy.detector })
        var state = RequestTrace.State()
        state.content = SentContent(chat)
        #expect(ledger.piiCategories(state).isEmpty)
        state.content = SentContent(text: Self.email + " " + Self.ssn)
        #expect(ledger.piiCategories(state) == ["national_id"])
    }

    struct NoStore: LedgerStore {
        func append(_ records: [LedgerEntry]) async throws -> [StoredRecord] { [] }
        func records(fromMs: Int64?, toMs: Int64?) async throws -> [StoredRecord] { [] }
        func records(requestID: String) async throws -> [StoredRecord] { [] }
        func checkpoints() async throws -> [Checkpoint] { [] }
        func head() async throws -> (seq: Int64, hash: String) { (0, ChainHash.genesis) }
        func close() async {}
    }
}
