import FrontierCore
import Testing

/// Numbers from a client or an upstream, bounded before any arithmetic.
@Suite struct HostileNumberTests {
    func error(_ text: String) -> RequestValidationError? {
        do {
            _ = try ChatRequest(json: try JSONParser.parse(text))
            return nil
        } catch let error as RequestValidationError {
            return error
        } catch {
            return nil
        }
    }

    @Test(arguments: [
        ("max_tokens", "9223372036854775807"), ("max_tokens", "1000001"), ("max_completion_tokens", "9223372036854775807"),
        ("n", "1000"), ("top_logprobs", "1e300"),
    ])
    func aNumberPastItsBoundIsA400NamingTheField(_ field: String, _ value: String) throws {
        let failure = try #require(error(#"{"model":"auto","messages":[{"role":"user","content":"x"}],"\#(field)":\#(value)}"#))
        #expect(failure.param == field)
        #expect(failure.message.contains(field))
    }

    @Test func aHugeModelNameIsRefusedBeforeItReachesALog() throws {
        let name = String(repeating: "m", count: 10_000)
        let failure = try #require(error(#"{"model":"\#(name)","messages":[{"role":"user","content":"x"}]}"#))
        #expect(failure.param == "model")
        #expect(failure.message.count < 300)
    }

    @Test func usageCountsAreBoundedAndSumWithoutTrapping() {
        let hostile = Usage(promptTokens: Int.max, completionTokens: -5, cachedPromptTokens: Int.min)
        #expect(hostile.promptTokens == Usage.maximumTokens)
        #expect(hostile.completionTokens == 0)
        #expect(hostile.cachedPromptTokens == 0)
        #expect((hostile + hostile).promptTokens == Usage.maximumTokens)
        #expect(hostile.totalTokens == Usage.maximumTokens)
        let cost = Price(inputPerMTok: 1e6, outputPerMTok: 1e6).cost(of: Usage(openAI: ["prompt_tokens": .int(Int64.max), "completion_tokens": .int(Int64.min)]) ?? hostile)
        #expect(cost.isFinite && cost >= 0)
    }

    @Test func conversionsNeverTrap() {
        #expect(Double.nan.saturatingInt == 0)
        #expect(Double.infinity.saturatingInt == .max)
        #expect((-Double.infinity).saturatingInt == .min)
        #expect(1e300.wholeMilliseconds == .max)
        #expect(Int.max.saturatingAdd(1) == .max)
        #expect(Int.min.saturatingAdd(-1) == .min)
    }
}

@Suite struct JSONOrderTests {
    @Test func objectsKeepTheirKeyOrderThroughParseAndSerialize() throws {
        let text = #"{"zeta":1,"alpha":{"y":true,"b":null,"a":[3,2,1]},"mid":"x"}"#
        #expect(try JSONParser.parse(text).jsonString == text)
    }

    @Test func equalityIgnoresOrderAsJSONDoes() throws {
        let a = try JSONParser.parse(#"{"a":1,"b":{"c":2,"d":3}}"#)
        let b = try JSONParser.parse(#"{"b":{"d":3,"c":2},"a":1}"#)
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a != (try JSONParser.parse(#"{"a":1,"b":{"c":2,"d":4}}"#)))
        // Canonical bytes (the ledger's) are sorted whatever the order.
        #expect(a.canonicalSerialized() == b.canonicalSerialized())
    }
}

@Suite struct SecretRedactorTests {
    @Test func configuredSecretsAndCredentialShapesAreRemoved() {
        let redactor = SecretRedactor(secrets: ["my-private-upstream-key-1234\n", "short"])
        let text = redactor.redact("Incorrect API key provided: my-private-upstream-key-1234. Also Bearer abc.def-123 and sk-proj-AbC123dEf456GhI789 end.")
        #expect(!text.contains("my-private-upstream-key-1234"))
        #expect(!text.contains("abc.def-123"))
        #expect(!text.contains("sk-proj-AbC123dEf456GhI789"))
        #expect(text.hasPrefix("Incorrect API key provided: [redacted]."))
        #expect(text.hasSuffix("end."))
        // Masked keys as OpenAI prints them, and random-looking tokens.
        #expect(redactor.redact("provided: sk-abc1***************wxyz.") == "provided: [redacted].")
        #expect(redactor.redact("token 9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a") == "token [redacted]")
        // Ordinary text stays.
        let plain = "The upstream failed at https://api.example.com/v1/chat/completions after 3 retries (HTTP 503)."
        #expect(redactor.redact(plain) == plain)
        #expect(SecretRedactor().redact("short") == "short")
    }
}
