import Foundation
import FrontierCore
import FrontierRouting
import Testing
@testable import FrontierAnalysis

/// The promotion gate on held-out data: a candidate fitted on misleading data
/// fails in the domain it gets wrong; an equal one passes; a promotion swaps
/// the live file whole and keeps both versions.
@Suite struct PromotionGateTests {
    /// Synthetic outcomes (law and math; the specialists right in their domain, "general" right everywhere at
    /// ten times the price), with `lie` replacing the truth for the fit of a misled candidate.
    static func data(count: Int, seedOffset: Int = 0, lie: Bool = false) -> OutcomeSet {
        let truth = RouterFitterTests.synthetic(count: count)
        guard lie else { return truth }
        // The misled data: the lawyer is right about math too.
        return OutcomeSet(records: truth.records.map { record in
            var record = record
            record.results["lawyer"]?.score = 1
            record.results["mathematician"]?.score = 0
            return record
        })
    }

    static func file(_ set: OutcomeSet) throws -> RouterFile {
        try RouterFile.decode(RouterFitter().fit(set, dataName: "d").file.json.serialized(), path: "test")
    }

    @Test func aMisledCandidateFailsWhereItIsWrongAndAnEqualOnePasses() throws {
        let live = try Self.file(Self.data(count: 400))
        let misled = try Self.file(Self.data(count: 400, lie: true))
        let heldOut = OutcomeSet(records: Array(RouterFitterTests.synthetic(count: 1_000).records.suffix(300)))
        let gate = PromotionGate(threshold: 0.01, minPrompts: 30)
        let rows = gate.compare(live: live, candidate: misled, heldOut: heldOut, lambda: 50)
        let math = try #require(rows.first { $0.domain == "math" })
        #expect(math.failed && math.change < -0.3)
        #expect(rows.first { $0.domain == "law" }?.failed == false)
        #expect(rows.first { $0.domain == "all" }?.failed == true)
        // The whole curve gates too.
        #expect(rows.last?.domain == PromotionGate.curveRow && rows.last?.failed == true)
        let same = gate.compare(live: live, candidate: live, heldOut: heldOut, lambda: 50)
        #expect(same.allSatisfy { !$0.failed && $0.change == 0 })
        #expect(gate.table(rows).contains("FAIL"))
    }

    @Test func promptsWithOneResultCannotTellRoutersApartAndDoNotCount() throws {
        let live = try Self.file(Self.data(count: 400))
        let misled = try Self.file(Self.data(count: 400, lie: true))
        // Exported traffic: each prompt scored only for the model that served it.
        let single = OutcomeSet(records: RouterFitterTests.synthetic(count: 1_000).records.suffix(300).map { record in
            var record = record
            if let first = record.results.keys.sorted().first { record.results = [first: record.results[first]!] }
            return record
        })
        let rows = PromotionGate(threshold: 0.01, minPrompts: 30).compare(live: live, candidate: misled, heldOut: single, lambda: 50)
        #expect(rows.first { $0.domain == "all" }?.prompts == 0)
        #expect(rows.allSatisfy { !$0.failed } && PromotionGate.inconclusive(rows))
        #expect(!PromotionGate.inconclusive(PromotionGate().compare(live: live, candidate: misled, heldOut: OutcomeSet(records: Array(RouterFitterTests.synthetic(count: 1_000).records.suffix(300))), lambda: 50)))
    }

    @Test func promotionSwapsTheLiveFileAndKeepsBothVersions() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("promote-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let live = dir + "/router.json", candidate = dir + "/candidate.json"
        try RouterFitter().fit(Self.data(count: 200), dataName: "old").file.save(path: live)
        try RouterFitter().fit(Self.data(count: 300), dataName: "new").file.save(path: candidate)
        let old = try #require(try RouterFile.load(path: live).digest)
        let version = try RouterPromotion.promote(candidate: candidate, over: live)
        #expect(try RouterFile.load(path: live).digest == version)
        #expect(version != old)
        let archive = RouterArchive(liveFile: live)
        #expect(try archive.load(version: old).source.data == "old")
        #expect(try archive.load(version: version).source.data == "new")
        // Nothing left beside it from the swap.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["candidate.json", "router.json", "router.json.versions"])
    }
}
