import Crypto
import Testing
import FrontierLedger

@Suite struct BodyCipherTests {
    @Test func bodiesAreSealedAndOnlyTheKeyOpensThem() throws {
        let key = SymmetricKey(size: .bits256)
        let prompt = Array("user: my card is 4111 1111 1111 1111".utf8)
        let sealed = try #require(BodyCipher.seal(prompt, key: key))
        #expect(!sealed.contains("4111"))
        #expect(BodyCipher.open(sealed, key: key) == prompt)
        #expect(BodyCipher.open(sealed, key: SymmetricKey(size: .bits256)) == nil)
        #expect(BodyCipher.seal(prompt, key: key) != sealed)  // a fresh nonce each time
    }
}
