#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Files only the gateway's user may read: created with mode 0600 in the
/// same call that creates them (`open(O_CREAT | O_EXCL, 0600)`), so there is
/// no moment when they exist with the umask's wider mode. SQLite gives its
/// `-wal` and `-shm` files the mode of the database file.
public enum PrivateFile {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Creates `path` with `contents`, mode 0600; fails if it already exists.
    public static func create(_ path: String, contents: [UInt8]) throws(Failure) {
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(description: "cannot create \(path): \(reason())") }
        defer { close(fd) }
        var written = 0
        while written < contents.count {
            let n = contents.withUnsafeBytes { write(fd, $0.baseAddress.map { $0 + written }, contents.count - written) }
            guard n > 0 else {
                unlink(path)
                throw Failure(description: "cannot write \(path): \(reason())")
            }
            written += n
        }
        guard fsync(fd) == 0 else { throw Failure(description: "cannot sync \(path): \(reason())") }
    }

    /// Writes `contents` to `path` (mode 0600) whole or not at all: a new file beside it, renamed over it.
    public static func replace(_ path: String, contents: [UInt8]) throws(Failure) {
        let temporary = path + ".tmp-\(getpid())"
        unlink(temporary)
        try create(temporary, contents: contents)
        guard rename(temporary, path) == 0 else {
            let why = reason()
            unlink(temporary)
            throw Failure(description: "cannot replace \(path): \(why)")
        }
    }

    /// Makes sure `path` exists; if this call creates it, it is empty with mode 0600. An existing file is left as it is.
    public static func ensureExists(_ path: String) throws(Failure) {
        let fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(description: "cannot open \(path) for writing: \(reason())") }
        close(fd)
    }

    /// The permission bits of `path`, or nil if it cannot be read.
    public static func mode(of path: String) -> UInt32? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return UInt32(info.st_mode) & 0o777
    }

    private static func reason() -> String {
        String(cString: strerror(errno))
    }
}
