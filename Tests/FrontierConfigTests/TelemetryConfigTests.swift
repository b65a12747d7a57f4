import FrontierConfig
import FrontierCore
import Testing

/// `telemetry.otlp`, `logging.format` and `models[].propagate_trace_context`: read as written, each mistake named.
@Suite struct TelemetryConfigTests {
    static let models = """
        models:
          - {id: local, provider: openai-compatible, base_url: "http://127.0.0.1:1/v1", deployment: local}
          - {id: onprem, provider: openai-compatible, base_url: "http://127.0.0.1:1/v1", deployment: on-prem}
          - {id: cloud, provider: openai-compatible, base_url: "https://api.openai.com/v1", deployment: cloud, price: {input_per_mtok: 1, output_per_mtok: 1}}
          - {id: cloud-told, provider: openai-compatible, base_url: "https://api.openai.com/v1", deployment: cloud, price: {input_per_mtok: 1, output_per_mtok: 1}, propagate_trace_context: true}
          - {id: local-told, provider: openai-compatible, base_url: "http://127.0.0.1:1/v1", deployment: local, propagate_trace_context: false}

        """

    @Test func offUnlessTheEndpointIsSet() throws {
        let config = try ConfigLoader(environment: [:]).parse(Self.models, file: "f.yaml")
        #expect(config.telemetry == TelemetrySettings())
        #expect(config.telemetry.otlp == nil)
        #expect(config.logging.format == .text)
    }

    @Test func theOTLPSectionIsReadWithEnvironmentReferences() throws {
        let yaml = Self.models + """
            telemetry:
              otlp: {endpoint: "${COLLECTOR}", protocol: grpc, headers: {x-honeycomb-team: "${TEAM_KEY}"}, sample_ratio: 0.25}
              capture_content: true
            logging: {format: json}
            """
        let config = try ConfigLoader(environment: ["COLLECTOR": "http://collector:4317", "TEAM_KEY": "secret-team-key"]).parse(yaml, file: "f.yaml")
        let otlp = try #require(config.telemetry.otlp)
        #expect(otlp == OTLPSettings(endpoint: "http://collector:4317", wireProtocol: .grpc, headers: ["x-honeycomb-team": "secret-team-key"], sampleRatio: 0.25))
        #expect(config.telemetry.captureContent)
        #expect(config.logging.format == .json)
        // The collector's key is a secret like any other: scrubbed from error text that leaves the process.
        #expect(config.secrets.contains("secret-team-key"))
    }

    @Test func eachMistakeIsNamed() {
        #expect(configFailure(Self.models + "telemetry: {otlp: {protocol: grpc}}").contains("endpoint' is required"))
        #expect(configFailure(Self.models + "telemetry: {otlp: {endpoint: collector:4318}}").contains("http:// or https://"))
        #expect(configFailure(Self.models + "telemetry: {otlp: {endpoint: \"http://c:4318\", protocol: http/json}}").contains("http/protobuf or grpc"))
        #expect(configFailure(Self.models + "telemetry: {otlp: {endpoint: \"http://c:4318\", sample_ratio: 2}}").contains("sample_ratio"))
        #expect(configFailure(Self.models + "telemetry: {otlp: {endpoint: \"${NOPE}\"}}").contains("NOPE, which is not set"))
        #expect(configFailure(Self.models + "telemetry: {otlp: {endpoint: \"http://c:4318\", sampel_ratio: 1}}").contains("unknown field"))
        #expect(configFailure(Self.models + "logging: {format: xml}").contains("text or json"))
    }

    @Test func onlyModelsInsideTheHouseGetTheTraceContextByDefault() throws {
        let catalog = try ConfigLoader(environment: [:]).parse(Self.models, file: "f.yaml").catalog
        #expect(catalog["local"]?.propagatesTraceContext == true)
        #expect(catalog["onprem"]?.propagatesTraceContext == true)
        #expect(catalog["cloud"]?.propagatesTraceContext == false)
        #expect(catalog["cloud-told"]?.propagatesTraceContext == true)
        #expect(catalog["local-told"]?.propagatesTraceContext == false)
    }
}
