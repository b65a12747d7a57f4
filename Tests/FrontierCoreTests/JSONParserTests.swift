import FrontierCore
import Testing

@Suite struct JSONParserTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONParser.parse(#"{"a":[1,-2.5e3,true,false,null,"x"],"b":{"c":"d"}, "big": 9007199254740993}"#)
        #expect(value["a"] == [1, -2500.0, true, false, nil, "x"])
        #expect(value["b"]?["c"] == "d")
        #expect(value["big"] == .int(9_007_199_254_740_993))
    }

    @Test func roundTripsThroughTheSerializer() throws {
        let text = #"{"s":"quote \" backslash \\ newline \n tab \t bell \u0007 é 😀","n":[0,1.5,-3],"o":{}}"#
        let value = try JSONParser.parse(text)
        #expect(try JSONParser.parse(value.serialized()) == value)
        #expect(value["s"]?.stringValue == "quote \" backslash \\ newline \n tab \t bell \u{7} é 😀")
    }

    /// The bytes, not only the value: the ledger hashes them, so the written form of an escape must never change.
    @Test func writesEachEscapeAsBeforeAtTheStartInsideAndAtTheEnd() {
        let value = JSONValue.string("\"a\\b\nc\rd\te\u{7}é😀\u{1f}")
        #expect(String(decoding: value.serialized(), as: UTF8.self) == #""\"a\\b\nc\rd\te\u0007é😀\u001f""#)
        #expect(String(decoding: JSONValue.string("plain").serialized(), as: UTF8.self) == #""plain""#)
        #expect(String(decoding: JSONValue.string("").serialized(), as: UTF8.self) == #""""#)
    }

    /// Canonical keys sort by their UTF-8 bytes: the ledger's hashes depend on it.
    @Test func canonicalKeysSortByTheirUTF8Bytes() throws {
        let keys = ["b", "a", "aa", "é", "Z", "", "ab", "a\u{0}", "😀", "\u{301}", "z"]
        var members = JSONObject()
        for key in keys { members[key] = .int(1) }
        let object = JSONValue.object(members)
        let expected = keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let written = String(decoding: object.canonicalSerialized(), as: UTF8.self)
        #expect(written == "{" + expected.map { "\(String(decoding: JSONValue.string($0).serialized(), as: UTF8.self)):1" }.joined(separator: ",") + "}")
    }

    @Test func decodesSurrogatePairs() throws {
        #expect(try JSONParser.parse(#""\ud83d\ude00""#) == "😀")
        #expect(throws: JSONParseError.self) { try JSONParser.parse(#""\ud83d""#) }
    }

    @Test(arguments: [
        "", "{", "{\"a\"}", "{\"a\":1,}", "[1,]", "01", "1.", "-", "tru", "\"abc", "{\"a\":1}x", "[1 2]", "\"\u{01}\"", "NaN", "1e999",
    ])
    func rejectsMalformedInput(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }

    @Test func rejectsInvalidUTF8WithItsOffset() {
        let bytes: [UInt8] = Array(#"{"a":""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8)
        #expect(throws: JSONParseError(message: "invalid UTF-8 in string", offset: 6)) { try JSONParser.parse(bytes) }
    }

    @Test func stopsAtTheDepthLimitWithoutRecursingFurther() {
        let deep = String(repeating: "[", count: 1_000_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
        let ok = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: Never.self) { try JSONParser.parse(ok) }
    }
}
