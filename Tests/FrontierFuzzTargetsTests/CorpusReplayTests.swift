import Foundation
import FrontierFuzzTargets
import Testing

/// Every committed fuzz input, seeds and past crashes alike, through its
/// target's body: a crash the fuzzer once found stays fixed.
@Suite struct CorpusReplayTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    static func inputs(_ target: FuzzTarget) -> [URL] {
        ["corpus", "regressions"].flatMap { folder -> [URL] in
            let dir = root.appendingPathComponent(folder).appendingPathComponent(target.name)
            return (try? FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)) ?? []
        }
    }

    @Test(arguments: FuzzTarget.all.map(\.name))
    func everyCommittedInputPasses(_ name: String) throws {
        let target = try #require(FuzzTarget.named(name))
        let inputs = Self.inputs(target)
        #expect(inputs.count >= 3, "the seed corpus of \(name) is missing")
        for input in inputs {
            target.run([UInt8](try Data(contentsOf: input)))
        }
    }
}
