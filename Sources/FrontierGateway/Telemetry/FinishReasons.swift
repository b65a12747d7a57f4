/// The `finish_reason` values of an OpenAI completion body, found by scanning its bytes: the span needs those few
/// words, and parsing the whole answer into a tree for them cost more than the span itself (measured with perf).
enum FinishReasons {
    private static let key = Array(#""finish_reason""#.utf8)

    /// At most 16 values of at most 32 bytes each, in order; `null` values are skipped.
    static func scan(_ body: [UInt8]) -> [String] {
        var reasons: [String] = []
        var i = 0
        let n = body.count
        while reasons.count < 16, let at = find(key, in: body, from: i) {
            i = at + key.count
            while i < n, body[i] == UInt8(ascii: " ") || body[i] == UInt8(ascii: ":") || body[i] == UInt8(ascii: "\n") { i += 1 }
            guard i < n, body[i] == UInt8(ascii: "\"") else { continue }
            let start = i + 1
            var end = start
            while end < n, body[end] != UInt8(ascii: "\""), body[end] != UInt8(ascii: "\\"), end - start < 32 { end += 1 }
            guard end < n, body[end] == UInt8(ascii: "\"") else { i = end; continue }
            reasons.append(String(decoding: body[start..<end], as: UTF8.self))
            i = end + 1
        }
        return reasons
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count, start <= haystack.count - needle.count else { return nil }
        var i = start
        while i <= haystack.count - needle.count {
            if haystack[i] == needle[0], haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
