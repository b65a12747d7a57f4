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
