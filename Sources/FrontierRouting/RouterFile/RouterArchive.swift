import Foundation

/// Every router file version that served traffic, kept by its version beside
/// the live file (`<router.file>.versions/<version>.json`), so a ledger
/// record's `router_version` can always be replayed with the file that made
/// the decision (`frontier route --router-version`), and a promotion can be
/// undone by promoting the old version again.
public struct RouterArchive: Sendable {
    public let directory: String

    public init(liveFile: String) {
        directory = liveFile + ".versions"
    }

    public func path(of version: String) -> String {
        directory + "/" + version + ".json"
    }

    /// Reads the live file at `path` and keeps a copy of its bytes under its version (once per version).
    /// A copy that cannot be written is returned as `keepError`: the file still serves, and the caller says so.
    public func loadLive(path: String) throws(RouterFileError) -> (file: RouterFile, keepError: String?) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RouterFileError(path: path, message: "cannot read the file (run `frontier fit DATA --out \(path)` to make one)")
        }
        let bytes = [UInt8](data)
        let file = try RouterFile.decode(bytes, path: path)
        let version = file.digest ?? RouterFile.digest(of: bytes)
        let copy = self.path(of: version)
        guard !FileManager.default.fileExists(atPath: copy) else { return (file, nil) }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try data.write(to: URL(fileURLWithPath: copy), options: .atomic)
            return (file, nil)
        } catch {
            return (file, "cannot keep \(copy) for replays: \(error.localizedDescription)")
        }
    }

    /// The kept file of `version`, checked against its name.
    public func load(version: String) throws(RouterFileError) -> RouterFile {
        guard version.count == 16, version.allSatisfy(\.isHexDigit) else {
            throw RouterFileError(path: directory, message: "'\(version.prefix(40))' is not a router version (16 hex digits, as in a ledger record's router_version)")
        }
        let copy = path(of: version)
        guard FileManager.default.fileExists(atPath: copy) else {
            throw RouterFileError(path: copy, message: "no kept router file has version \(version); the gateway keeps every version it served in \(directory)")
        }
        let file = try RouterFile.load(path: copy)
        guard file.digest == version else {
            throw RouterFileError(path: copy, message: "its content's version is \(file.digest ?? "?"), not \(version): the copy was changed")
        }
        return file
    }
}
