/// The check-digit algorithms that tell a real card number or IBAN from a
/// number of the same shape.
enum Checksums {
    /// Luhn (mod 10) over decimal digits, as payment cards use.
    static func luhn(_ digits: [UInt8]) -> Bool {
        guard !digits.isEmpty else { return false }
        var sum = 0
        for (position, digit) in digits.reversed().enumerated() {
            var value = Int(digit)
            if position % 2 == 1 {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
        }
        return sum % 10 == 0
    }

    /// ISO 13616 mod-97 over an IBAN's characters (ASCII, upper case, no spaces).
    static func ibanIsValid(_ characters: [UInt8]) -> Bool {
        guard characters.count >= 15, characters.count <= 34 else { return false }
        let rearranged = characters[4...] + characters[..<4]
        var remainder = 0
        for c in rearranged {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                remainder = (remainder * 10 + Int(c - UInt8(ascii: "0"))) % 97
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                remainder = (remainder * 100 + Int(c - UInt8(ascii: "A")) + 10) % 97
            default:
                return false
            }
        }
        return remainder == 1
    }
}
