public import Crypto
import Foundation

/// The hash chain: each record's hash is SHA-256 over the previous record's
/// hash (hex) and the record's canonical bytes; the first links to 64 zeros.
/// Checkpoints every N records carry an HMAC (keyed) of their position and
/// hash, so a rewrite of the whole chain by someone without the key shows.
public enum ChainHash {
    public static let genesis = String(repeating: "0", count: 64)

    public static func hash(_ body: [UInt8], previous: String) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(previous.utf8))
        hasher.update(data: body)
        return hex(hasher.finalize())
    }

    public static func checkpointMAC(seq: Int64, hash: String, key: SymmetricKey) -> String {
        hex(HMAC<SHA256>.authenticationCode(for: Array("frontier-checkpoint:\(seq):\(hash)".utf8), using: key))
    }

    /// A keyed HMAC of a prompt: equal prompts match, the text cannot be recovered.
    public static func promptHMAC(_ prompt: String, key: SymmetricKey) -> String {
        hex(HMAC<SHA256>.authenticationCode(for: Array(prompt.utf8), using: key))
    }

    /// A short, stable id of an API key (never the key itself).
    public static func keyID(_ apiKey: String) -> String {
        "key_" + String(hex(SHA256.hash(data: Array(apiKey.utf8))).prefix(12))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Lower-case hex, by table (String(format:) per byte was a tenth of a request's CPU).
    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in digest {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// One stored record with its place in the chain.
public struct StoredRecord: Sendable, Equatable {
    public var seq: Int64
    public var requestID: String
    public var timeMs: Int64
    /// The canonical JSON bytes that were hashed.
    public var body: [UInt8]
    public var previousHash: String
    public var hash: String

    public init(seq: Int64, requestID: String, timeMs: Int64, body: [UInt8], previousHash: String, hash: String) {
        self.seq = seq
        self.requestID = requestID
        self.timeMs = timeMs
        self.body = body
        self.previousHash = previousHash
        self.hash = hash
    }
}

public struct Checkpoint: Sendable, Equatable {
    public var seq: Int64
    public var hash: String
    public var mac: String

    public init(seq: Int64, hash: String, mac: String) {
        self.seq = seq
        self.hash = hash
        self.mac = mac
    }
}
