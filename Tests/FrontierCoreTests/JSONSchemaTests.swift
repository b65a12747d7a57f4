import FrontierCore
import Testing

@Suite struct JSONSchemaTests {
    func violations(_ value: String, _ schema: String) throws -> [String] {
        try JSONSchema(try JSONParser.parse(schema)).violations(of: try JSONParser.parse(value))
    }

    func refusal(_ schema: String) throws -> JSONSchemaError? {
        let parsed = try JSONParser.parse(schema)
        do {
            _ = try JSONSchema(parsed)
            return nil
        } catch {
            return error
        }
    }

    @Test func typesBoundsEnumsAndNesting() throws {
        #expect(try violations("1.0", #"{"type":"integer"}"#).isEmpty)
        #expect(try violations("1.5", #"{"type":"integer"}"#) == ["$: expected integer, got number"])
        #expect(try violations(#""b""#, #"{"enum":["a","c"]}"#).count == 1)
        #expect(try violations("[1, -2]", #"{"type":"array","items":{"type":"number","minimum":0},"maxItems":1}"#).count == 2)
        #expect(try violations(#"{"a":{"b":"x"}}"#, #"{"properties":{"a":{"properties":{"b":{"type":"number"}}}}}"#) == ["$.a.b: expected number, got string"])
        #expect(try violations(#""hi""#, #"{"type":["string","null"],"minLength":3}"#) == ["$: shorter than 3 characters"])
        #expect(try violations("3", #"{"anyOf":[{"type":"string"},{"minimum":5}]}"#).count == 1)
        #expect(try violations("true", "true").isEmpty)
    }

    /// What Pydantic emits for a nested model: the bug was that `$ref` went unchecked, so anything passed.
    @Test func localReferencesAreFollowed() throws {
        let schema = ##"""
            {"$defs":{"Address":{"type":"object","properties":{"zip":{"type":"string","pattern":"^[0-9]{5}$"}},"required":["zip"]}},
             "type":"object","properties":{"home":{"$ref":"#/$defs/Address"},"work":{"$ref":"#/$defs/Address"}},"required":["home"]}
            """##
        #expect(try violations(#"{"home":{"zip":"12345"}}"#, schema).isEmpty)
        #expect(try violations(#"{"home":{"zip":"1234x"}}"#, schema) == ["$.home.zip: does not match the pattern ^[0-9]{5}$"])
        #expect(try violations(#"{"home":{}}"#, schema) == ["$.home: missing required property 'zip'"])
        #expect(try violations(#"{"home":{"zip":"12345"},"work":7}"#, schema) == ["$.work: expected object, got integer"])
        // Draft-07 definitions, and a recursive tree.
        let tree = ##"{"definitions":{"node":{"type":"object","properties":{"children":{"type":"array","items":{"$ref":"#/definitions/node"}}},"additionalProperties":false}},"$ref":"#/definitions/node"}"##
        #expect(try violations(#"{"children":[{"children":[]},{}]}"#, tree).isEmpty)
        #expect(try violations(#"{"children":[{"children":[{"x":1}]}]}"#, tree) == ["$.children[0].children[0]: property 'x' is not allowed"])
        // A reference to itself without descending ends, as a violation.
        #expect(try violations("1", ##"{"$defs":{"a":{"$ref":"#/$defs/a"}},"$ref":"#/$defs/a"}"##).first?.contains("refers to itself") == true)
    }

    @Test func keywordsItCannotCheckAreRefusedNotIgnored() throws {
        #expect(try refusal(#"{"type":"object","properties":{"a":{"if":{"type":"string"}}}}"#)?.path == "$.properties.a")
        #expect(try refusal(#"{"type":"object","dependentRequired":{"a":["b"]}}"#)?.message.contains("dependentRequired") == true)
        #expect(try refusal(##"{"$ref":"https://example.com/schema.json"}"##)?.path == "$.$ref")
        #expect(try refusal(##"{"$ref":"#/$defs/missing"}"##) != nil)
        #expect(try refusal(#"{"type":"string","pattern":"(unclosed"}"#) != nil)
        #expect(try refusal(#"{"type":"strin"}"#) != nil)
        // Annotations are fine.
        #expect(try refusal(#"{"title":"T","description":"d","type":"string","format":"email","default":"x","$schema":"https://json-schema.org/draft/2020-12/schema"}"#) == nil)
    }

    @Test func moreKeywords() throws {
        #expect(try violations("[1,1]", #"{"uniqueItems":true}"#).count == 1)
        #expect(try violations("[1,\"a\"]", #"{"prefixItems":[{"type":"integer"},{"type":"integer"}]}"#) == ["$[1]: expected integer, got string"])
        #expect(try violations("7", #"{"multipleOf":2}"#).count == 1)
        #expect(try violations("7", #"{"not":{"type":"integer"}}"#).count == 1)
        #expect(try violations(#"{"x-1":"a"}"#, #"{"patternProperties":{"^x-":{"type":"integer"}},"additionalProperties":false}"#) == ["$.x-1: expected integer, got string"])
        #expect(try violations("null", #"{"type":"string","nullable":true}"#).isEmpty)
    }
}
