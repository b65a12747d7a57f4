import Foundation

/// Puts a router file in place of the live one: its bytes written beside the
/// live file and renamed over it (a running gateway reloads the new file
/// whole, never half of it), the old and new versions both kept in the
/// ``RouterArchive``, so undoing a promotion is promoting the old version again.
public enum RouterPromotion {
    /// Replaces `live` with the file at `candidate`; returns the version now live.
    public static func promote(candidate: String, over live: String) throws(RouterFileError) -> String {
        let archive = RouterArchive(liveFile: live)
        if FileManager.default.fileExists(atPath: live) { _ = try archive.loadLive(path: live) }
        let (file, keepError) = try archive.loadLive(path: candidate)
        if let keepError { throw RouterFileError(path: candidate, message: keepError) }
        guard let data = FileManager.default.contents(atPath: candidate) else {
            throw RouterFileError(path: candidate, message: "cannot read the file")
        }
        let temporary = live + ".promoting-\(getpid())"
        do {
            try data.write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, live) == 0 else {
                throw RouterFileError(path: live, message: "cannot rename the new file into place: \(String(cString: strerror(errno)))")
            }
        } catch let error as RouterFileError {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw RouterFileError(path: live, message: "cannot write the new file beside it: \(error.localizedDescription)")
        }
        return file.digest ?? ""
    }
}
