import Foundation
import FrontierCore
@testable import FrontierRouting
import Testing

/// The operator-pattern engine, against a reference that computes the same leftmost-longest matches by sets of
/// positions over the parsed pattern (another algorithm, no automaton), and on what it must refuse.
@Suite struct PatternProgramTests {
    private func matches(_ pattern: String, _ text: String) throws -> [String] {
        let bytes = Array(text.utf8)
        return try PatternProgram(pattern).matches(in: bytes).map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    @Test func findsWhatTheUsualSyntaxSays() throws {
        #expect(try matches("HSP-[0-9]{7}", "ref HSP-1234567 and HSP-7654321x") == ["HSP-1234567", "HSP-7654321"])
        #expect(try matches(#"\bMRN[:#]?\s*\d{6,12}\b"#, "MRN: 00123456, MRN#99887766 ") == ["MRN: 00123456", "MRN#99887766"])
        #expect(try matches("(?i)matter\\s+no\\.?\\s*[A-Z]{2}-\\d{4}", "Matter No. ab-1234 / MATTER no CD-9999") == ["Matter No. ab-1234", "MATTER no CD-9999"])
        #expect(try matches("a|ab|abc", "abcab") == ["abc", "ab"])  // leftmost-longest
        #expect(try matches("[^ ]+@corp", "x jane@corp y") == ["jane@corp"])
        #expect(try matches("^ID\\d+$", "ID1\nxID2\nID3") == ["ID1", "ID3"])
        #expect(try matches("(?<site>[A-Z]{3})-\\d{2}", "LON-12") == ["LON-12"])
        #expect(try matches("\\d{2,}?x", "123x") == ["123x"])  // lazy accepted, same matches
        #expect(try matches("a{,3}", "a{,3}") == ["a{,3}"])  // a brace that is no count is a literal
    }

    @Test func refusesWhatNeedsBacktrackingWithTheReason() {
        let refused: [(String, String)] = [
            ("(a+)+$", "nests one unbounded repetition inside another"),
            ("(\\w+\\s?)*x", "nests one unbounded repetition"),
            ("(x*)*", "nests one unbounded repetition"),
            ("(\\d)\\1", "backreference"),
            ("foo(?=bar)", "lookahead"),
            ("(?<!x)y", "lookbehind"),
            ("(?>ab)", "atomic group"),
            ("a++", "possessive"),
            ("a*", "matches the empty text"),
            ("\\b", "matches the empty text"),
            ("(ab", "unclosed '('"),
            ("ab)", "unmatched ')'"),
            ("[a-", "unclosed '['"),
            ("a{5,2}", "maximum below its minimum"),
            ("a{1000}", "counts above 100"),
            ("(a{1,100}){1,100}", "too large"),
            ("*a", "nothing before it to repeat"),
            ("\\p{L}+", "not supported"),
            ("x(?i)y", "only at the very start"),
            ("", "is empty"),
        ]
        for (pattern, reason) in refused {
            do {
                _ = try PatternProgram(pattern)
                Issue.record("'\(pattern)' was accepted")
            } catch {
                #expect(error.message.contains(reason), "'\(pattern)': \(error.message)")
            }
        }
    }

    @Test func agreesWithTheReferenceOnRandomPatternsAndTexts() throws {
        var rng = SeededGenerator(seed: 7)
        let atoms = ["a", "b", "[ab]", "\\d", ".", "[^a]", "\\b", "(a|bb)", "(ab|a)", "-", "(?:b|)", "[0-9]"]
        let quantifiers = ["", "", "", "*", "+", "?", "{2}", "{1,3}", "{0,2}"]
        var checked = 0
        for _ in 0..<3_000 {
            var pattern = ""
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                pattern += atoms.randomElement(using: &rng)! + quantifiers.randomElement(using: &rng)!
                if Int.random(in: 0..<6, using: &rng) == 0 { pattern += "|" }
            }
            if pattern.hasSuffix("|") { pattern += "a" }
            guard let program = try? PatternProgram(pattern) else { continue }
            var parser = PatternParser(pattern)
            let node = try parser.parse()
            let alphabet = Array("ab1- \n".utf8)
            let text = (0..<Int.random(in: 0...14, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            #expect(program.matches(in: text) == Reference.matches(node, text), "pattern \(pattern) text \(String(decoding: text, as: UTF8.self).debugDescription)")
            checked += 1
        }
        #expect(checked > 1_000)
    }

    @Test func aHostileTextCostsLinearTime() throws {
        // The classic catastrophic case for a backtracking engine, in the form this engine accepts: a+a+a+...b.
        let program = try PatternProgram(String(repeating: "a?", count: 30) + String(repeating: "a", count: 30) + "b")
        let text = [UInt8](repeating: UInt8(ascii: "a"), count: 20_000)
        #expect(program.matches(in: text).isEmpty)  // returns at all: a backtracking engine would not, this century
    }

    @Test func aMatchIsAtMostTheLongestIdentifier() throws {
        let text = [UInt8](repeating: UInt8(ascii: "7"), count: 1_000)
        let found = try PatternProgram("\\d+").matches(in: text)
        #expect(found.first == 0..<PatternProgram.maxMatchLength)
        #expect(found.allSatisfy { $0.count <= PatternProgram.maxMatchLength })
    }
}

/// Leftmost-longest matches computed from the parse tree by sets of end positions.
enum Reference {
    static func matches(_ node: PatternNode, _ text: [UInt8]) -> [Range<Int>] {
        var found: [Range<Int>] = []
        var p = 0
        outer: while p < text.count {
            for s in p..<text.count {
                let ends = self.ends(node, text, [s]).filter { $0 > s && $0 - s <= PatternProgram.maxMatchLength }
                if let end = ends.max() {
                    found.append(s..<end)
                    p = end
                    continue outer
                }
            }
            break
        }
        return found
    }

    static func ends(_ node: PatternNode, _ text: [UInt8], _ starts: Set<Int>) -> Set<Int> {
        switch node {
        case .empty:
            return starts
        case .bytes(let set):
            return Set(starts.filter { $0 < text.count && set.contains(text[$0]) }.map { $0 + 1 })
        case .assertion(let assertion):
            return starts.filter { holds(assertion, $0, text) }
        case .sequence(let items):
            return items.reduce(starts) { ends($1, text, $0) }
        case .choice(let branches):
            return branches.reduce(into: Set<Int>()) { $0.formUnion(ends($1, text, starts)) }
        case .repeated(let inner, let min, let max):
            var current = starts
            for _ in 0..<min { current = ends(inner, text, current) }
            var result = current
            var count = min
            while max.map({ count < $0 }) ?? true {
                let next = ends(inner, text, current)
                if next.isSubset(of: result), max == nil { break }
                result.formUnion(next)
                current = next
                count += 1
                if current.isEmpty { break }
            }
            return result
        }
    }

    static func holds(_ assertion: PatternAssertion, _ p: Int, _ text: [UInt8]) -> Bool {
        let word = { (i: Int) in i >= 0 && i < text.count && ByteSet.word.contains(text[i]) }
        switch assertion {
        case .lineStart: return p == 0 || text[p - 1] == 0x0A
        case .lineEnd: return p == text.count || text[p] == 0x0A
        case .wordBoundary: return word(p - 1) != word(p)
        case .notWordBoundary: return word(p - 1) == word(p)
        }
    }
}
