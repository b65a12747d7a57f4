public import Crypto
import Foundation

/// Prompt and response bodies sealed with ChaCha20-Poly1305 (base64 of nonce + ciphertext + tag).
public enum BodyCipher {
    public static func seal(_ bytes: [UInt8], key: SymmetricKey) -> String? {
        (try? ChaChaPoly.seal(bytes, using: key)).map { $0.combined.base64EncodedString() }
    }

    public static func open(_ base64: String, key: SymmetricKey) -> [UInt8]? {
        guard let data = Data(base64Encoded: base64), let box = try? ChaChaPoly.SealedBox(combined: data),
              let plain = try? ChaChaPoly.open(box, using: key)
        else { return nil }
        return [UInt8](plain)
    }
}
