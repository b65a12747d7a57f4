import Foundation
import FrontierCore
import FrontierRouting
import Testing
@testable import FrontierAnalysis

/// Router versions: a file's version is its content's hash, every version the
/// gateway serves is kept beside the live file, and a kept version loads back
/// only if its bytes still give its name.
@Suite struct RouterArchiveTests {
    func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("archive-\(UUID())").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func everyServedVersionIsKeptAndLoadsBackByItsVersion() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let live = dir + "/router.json"
        let archive = RouterArchive(liveFile: live)
        let first = RouterFitter().fit(RouterFitterTests.synthetic(count: 200), dataName: "a", now: Date(timeIntervalSince1970: 0)).file
        try first.save(path: live)
        let (servedFirst, keepError) = try archive.loadLive(path: live)
        #expect(keepError == nil)
        let v1 = try #require(servedFirst.digest)
        #expect(v1.count == 16)
        // Loading the same bytes again gives the same version.
        #expect(try RouterFile.load(path: live).digest == v1)
        let second = RouterFitter().fit(RouterFitterTests.synthetic(count: 300), dataName: "b", now: Date(timeIntervalSince1970: 1)).file
        try second.save(path: live)
        let v2 = try #require(try archive.loadLive(path: live).file.digest)
        #expect(v2 != v1)
        // The old version is still there, as it was served.
        let replayed = try archive.load(version: v1)
        #expect(replayed.digest == v1 && replayed.source.data == "a")
        #expect(try archive.load(version: v2).source.data == "b")
    }

    @Test func aChangedOrUnknownVersionIsRefusedWithTheReason() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let live = dir + "/router.json"
        let archive = RouterArchive(liveFile: live)
        try RouterFitter().fit(RouterFitterTests.synthetic(count: 200), dataName: "a").file.save(path: live)
        let version = try #require(try archive.loadLive(path: live).file.digest)
        #expect { try archive.load(version: "0000000000000000") } throws: { "\($0)".contains("no kept router file has version") }
        #expect { try archive.load(version: "../../etc/passwd") } throws: { "\($0)".contains("is not a router version") }
        // Someone edits the kept copy: it no longer is that version.
        let copy = archive.path(of: version)
        var text = try String(contentsOfFile: copy, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"a\"", with: "\"x\"")
        try text.write(toFile: copy, atomically: true, encoding: .utf8)
        #expect { try archive.load(version: version) } throws: { "\($0)".contains("the copy was changed") }
    }
}
