import Crypto
public import FrontierCore

/// Tenants' API key secrets: 256 random bits behind a recognisable prefix
/// (`fk_`, so a leaked one is easy to grep for and to report), kept only as
/// their SHA-256. A secret is shown once, when it is made.
public enum KeySecret {
    public static let prefix = "fk_"

    /// A new secret: `fk_` and 64 hex digits from the system's CSPRNG.
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return prefix + ChainHash.hex(bytes)
    }

    /// What the store keeps: the hex SHA-256 of the secret.
    public static func hash(_ secret: some StringProtocol) -> String {
        ChainHash.hex(SHA256.hash(data: Array(secret.utf8)))
    }

    /// Whether `presented` is `expected`, in time that does not depend on where they differ.
    public static func matches(_ presented: some StringProtocol, _ expected: some StringProtocol) -> Bool {
        // Comparing digests of both keeps the comparison's length fixed too.
        let a = Array(SHA256.hash(data: Array(presented.utf8))), b = Array(SHA256.hash(data: Array(expected.utf8)))
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }

    /// A new key's record, with its secret.
    public static func record(name: String, policy: KeyPolicy, nowMs: Int64) -> (APIKeyRecord, secret: String) {
        let secret = make()
        let record = APIKeyRecord(id: ChainHash.keyID(secret), name: name, secretSHA256: hash(secret), policy: policy, createdMs: nowMs, updatedMs: nowMs)
        return (record, secret)
    }
}
