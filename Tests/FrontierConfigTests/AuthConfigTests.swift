import FrontierConfig
import FrontierCore
import Testing

@Suite struct AuthConfigTests {
    static let models = "models:\n  - {id: m, provider: openai-compatible, base_url: \"http://127.0.0.1:1/v1\", deployment: local}\n"

    func failure(_ yaml: String, environment: [String: String] = [:]) -> String { configFailure(yaml, environment: environment) }

    /// The issue's own spelling, a bare `${...}` inside a flow mapping, reads as YAML.
    @Test func theAdminKeyComesFromTheEnvironmentInFlowOrBlockStyle() throws {
        let environment = ["FRONTIER_ADMIN_KEY": "0123456789abcdef0123\n"]
        for auth in ["auth: {admin_key: ${FRONTIER_ADMIN_KEY}}", "auth:\n  admin_key: ${FRONTIER_ADMIN_KEY}", "auth: {admin_key: \"${FRONTIER_ADMIN_KEY}\"}"] {
            let config = try ConfigLoader(environment: environment).parse("\(auth)\nstorage: {sqlite: f.db}\n" + Self.models, file: "frontier.yaml")
            #expect(config.auth?.adminKey == "0123456789abcdef0123")
            #expect(config.secrets.contains("0123456789abcdef0123"))
        }
    }

    @Test func aMissingShortOrStoragelessAdminKeyIsRefused() {
        #expect(failure("auth: {admin_key: ${K}}\nstorage: {sqlite: f.db}\n" + Self.models).contains("K, which is not set"))
        #expect(failure("auth: {admin_key: ${K}}\nstorage: {sqlite: f.db}\n" + Self.models, environment: ["K": "short"]).contains("at least 16"))
        #expect(failure("auth: {admin_key: ${K}}\n" + Self.models, environment: ["K": "0123456789abcdef0"]).contains("add storage:"))
        #expect(failure("auth: {}\nstorage: {sqlite: f.db}\n" + Self.models).contains("admin_key"))
    }

    @Test func aReferenceInsideALongerValueIsLeftAlone() throws {
        let yaml = "models:\n  - {id: m, provider: openai-compatible, base_url: \"http://${HOST}:1/v1\", deployment: local, headers: {x-a: ${A}}}\n"
        let config = try ConfigLoader(environment: ["HOST": "127.0.0.1", "A": "b"]).parse(yaml, file: "frontier.yaml")
        #expect(config.catalog["m"]?.baseURL == "http://127.0.0.1:1/v1")
        #expect(config.catalog["m"]?.headers["x-a"] == "b")
    }
}
