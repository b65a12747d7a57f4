/// A parsed pattern compiled to a Thompson automaton and run as a Pike VM: every position of the text is
/// visited once per live state, so a scan costs at most (text length) x (program size) steps, whatever the
/// pattern and the text (no backtracking, nothing exponential). Matches are leftmost-longest and do not
/// overlap; one is at most ``maxMatchLength`` bytes (no identifier is longer), which also bounds the rescan
/// after a match.
///
/// ```swift
/// let program = try PatternProgram("HSP-[0-9]{7}")
/// program.matches(in: Array("ref HSP-1234567 ok".utf8))  // [4..<15]
/// ```
struct PatternProgram: Sendable {
    enum Kind: UInt8, Sendable { case consume, split, jump, assert, match }

    struct Instruction: Sendable {
        var kind: Kind
        var x: Int32 = 0
        var y: Int32 = 0
        var set = ByteSet()
        var assertion: PatternAssertion = .wordBoundary
    }

    let instructions: [Instruction]
    /// The bytes a match can start with: positions with any other byte are skipped without running the automaton.
    let first: ByteSet
    /// `first` as a table of 256 flags: the skip over text no match can start in is one load a byte.
    let startsMatch: [Bool]
    /// The longest match reported.
    static let maxMatchLength = 256
    /// The largest program accepted, once counted repetitions are unrolled.
    static let maxInstructions = 5_000

    init(_ pattern: String) throws(PatternError) {
        var parser = PatternParser(pattern)
        let node = try parser.parse()
        guard !node.isNullable else {
            throw PatternError(message: "matches the empty text, so it would match everywhere; make at least one part required")
        }
        var compiler = Compiler()
        try compiler.emit(node)
        compiler.instructions.append(Instruction(kind: .match))
        instructions = compiler.instructions
        first = Self.firstBytes(instructions)
        startsMatch = (0...255).map { [first] in first.contains(UInt8($0)) }
    }

    private struct Compiler {
        var instructions: [Instruction] = []

        mutating func append(_ instruction: Instruction) throws(PatternError) -> Int {
            guard instructions.count < PatternProgram.maxInstructions else {
                throw PatternError(message: "is too large once its counted repetitions are unrolled (over \(PatternProgram.maxInstructions) steps); use smaller counts")
            }
            instructions.append(instruction)
            return instructions.count - 1
        }

        mutating func emit(_ node: PatternNode) throws(PatternError) {
            switch node {
            case .empty:
                break
            case .bytes(let set):
                _ = try append(Instruction(kind: .consume, set: set))
            case .assertion(let assertion):
                _ = try append(Instruction(kind: .assert, assertion: assertion))
            case .sequence(let items):
                for item in items { try emit(item) }
            case .choice(let branches):
                // split L1, next; L1: branch; jump end; next: split ... ; last branch.
                var jumps: [Int] = []
                for (n, branch) in branches.enumerated() {
                    if n == branches.count - 1 {
                        try emit(branch)
                    } else {
                        let split = try append(Instruction(kind: .split))
                        instructions[split].x = Int32(instructions.count)
                        try emit(branch)
                        jumps.append(try append(Instruction(kind: .jump)))
                        instructions[split].y = Int32(instructions.count)
                    }
                }
                for jump in jumps { instructions[jump].x = Int32(instructions.count) }
            case .repeated(let inner, let min, let max):
                for _ in 0..<min { try emit(inner) }
                if let max {
                    // Each optional copy may be skipped to the end.
                    var skips: [Int] = []
                    for _ in min..<max {
                        let split = try append(Instruction(kind: .split))
                        instructions[split].x = Int32(instructions.count)
                        skips.append(split)
                        try emit(inner)
                    }
                    for split in skips { instructions[split].y = Int32(instructions.count) }
                } else {
                    let loop = try append(Instruction(kind: .split))
                    instructions[loop].x = Int32(instructions.count)
                    try emit(inner)
                    let back = try append(Instruction(kind: .jump))
                    instructions[back].x = Int32(loop)
                    instructions[loop].y = Int32(instructions.count)
                }
            }
        }
    }

    /// Every byte a consuming step reachable from the start without consuming can take.
    private static func firstBytes(_ program: [Instruction]) -> ByteSet {
        var set = ByteSet()
        var seen = [Bool](repeating: false, count: program.count)
        var stack = [0]
        while let pc = stack.popLast() {
            guard !seen[pc] else { continue }
            seen[pc] = true
            let instruction = program[pc]
            switch instruction.kind {
            case .consume: set.formUnion(instruction.set)
            case .jump: stack.append(Int(instruction.x))
            case .split: stack.append(Int(instruction.x)); stack.append(Int(instruction.y))
            case .assert: stack.append(pc + 1)
            case .match: break
            }
        }
        return set
    }

    /// The non-overlapping leftmost-longest matches in `text`.
    func matches(in text: [UInt8]) -> [Range<Int>] {
        text.withUnsafeBufferPointer { matches(in: $0) }
    }

    func matches(in text: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var machine = Machine(program: self)
        return machine.run(text)
    }

    /// The VM's lists: two thread lists and, per instruction, the generation that last added it (dedup).
    private struct Machine {
        let program: PatternProgram
        var marks: [UInt32]
        var generation: UInt32 = 0
        var stack: [Int32] = []

        init(program: PatternProgram) {
            self.program = program
            marks = [UInt32](repeating: 0, count: program.instructions.count)
        }

        mutating func run(_ text: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
            var found: [Range<Int>] = []
            var current: [(pc: Int32, start: Int32)] = []
            var next: [(pc: Int32, start: Int32)] = []
            var pos = 0
            var best: (start: Int, end: Int)?
            generation = 1
            var currentGeneration = generation
            let n = text.count
            let startsMatch = program.startsMatch
            while pos <= n {
                if current.isEmpty, best == nil {
                    startsMatch.withUnsafeBufferPointer { starts in
                        while pos < n, !starts[Int(text[pos])] { pos += 1 }
                    }
                    guard pos < n else { break }
                }
                if best == nil { add(to: &current, generation: currentGeneration, pc: 0, start: pos, at: pos, text) }
                generation &+= 1
                if generation == 0 { resetMarks() }
                let nextGeneration = generation
                for thread in current {
                    let start = Int(thread.start)
                    let instruction = program.instructions[Int(thread.pc)]
                    switch instruction.kind {
                    case .match:
                        if best.map({ start < $0.start || (start == $0.start && pos > $0.end) }) ?? true { best = (start, pos) }
                    case .consume:
                        guard pos < n, instruction.set.contains(text[pos]), pos + 1 - start <= PatternProgram.maxMatchLength else { continue }
                        if let best, start > best.start { continue }  // a later start can no longer be leftmost
                        add(to: &next, generation: nextGeneration, pc: Int(thread.pc) + 1, start: start, at: pos + 1, text)
                    default:
                        continue
                    }
                }
                swap(&current, &next)
                next.removeAll(keepingCapacity: true)
                currentGeneration = nextGeneration
                if current.isEmpty, let match = best {
                    found.append(match.start..<match.end)
                    best = nil
                    pos = match.end
                    continue
                }
                pos += 1
            }
            return found
        }

        private mutating func resetMarks() {
            for i in marks.indices { marks[i] = 0 }
            generation = 1
        }

        /// Adds `pc` and everything it reaches without consuming a byte, at text position `at`.
        private mutating func add(to list: inout [(pc: Int32, start: Int32)], generation: UInt32, pc: Int, start: Int, at: Int, _ text: UnsafeBufferPointer<UInt8>) {
            stack.append(Int32(pc))
            while let top = stack.popLast() {
                let pc = Int(top)
                guard marks[pc] != generation else { continue }
                marks[pc] = generation
                let instruction = program.instructions[pc]
                switch instruction.kind {
                case .jump:
                    stack.append(instruction.x)
                case .split:
                    stack.append(instruction.y)
                    stack.append(instruction.x)
                case .assert:
                    if Self.holds(instruction.assertion, at: at, text) { stack.append(Int32(pc + 1)) }
                case .consume, .match:
                    list.append((Int32(pc), Int32(start)))
                }
            }
        }

        private static func holds(_ assertion: PatternAssertion, at position: Int, _ text: UnsafeBufferPointer<UInt8>) -> Bool {
            let before: UInt8? = position > 0 ? text[position - 1] : nil
            let after: UInt8? = position < text.count ? text[position] : nil
            switch assertion {
            case .lineStart: return before == nil || before == 0x0A
            case .lineEnd: return after == nil || after == 0x0A
            case .wordBoundary, .notWordBoundary:
                let boundary = (before.map(ByteSet.word.contains) ?? false) != (after.map(ByteSet.word.contains) ?? false)
                return boundary == (assertion == .wordBoundary)
            }
        }
    }
}
