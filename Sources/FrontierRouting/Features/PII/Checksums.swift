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

extension Checksums {
    /// Verhoeff's dihedral check over decimal digits, as India's Aadhaar numbers use.
    static func verhoeff(_ digits: [UInt8]) -> Bool {
        let d: [[Int]] = [
            [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
            [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
            [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
            [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
        ]
        let p: [[Int]] = [
            [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
            [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
            [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
        ]
        guard !digits.isEmpty, digits.allSatisfy({ $0 <= 9 }) else { return false }
        var c = 0
        for (i, digit) in digits.reversed().enumerated() { c = d[c][p[i % 8][Int(digit)]] }
        return c == 0
    }

    /// ISO 7064 MOD 11,10, the check digit of Germany's tax identification number
    /// (11 digits), with its rule that in the first ten digits exactly one digit repeats
    /// (twice or three times) and the first digit is not 0.
    static func germanTaxID(_ digits: [UInt8]) -> Bool {
        guard digits.count == 11, digits[0] != 0, digits.allSatisfy({ $0 <= 9 }) else { return false }
        var counts = [Int](repeating: 0, count: 10)
        for digit in digits[..<10] { counts[Int(digit)] += 1 }
        guard counts.filter({ $0 >= 2 }).count == 1, let repeated = counts.max(), repeated <= 3 else { return false }
        var product = 10
        for digit in digits[..<10] {
            var sum = (Int(digit) + product) % 10
            if sum == 0 { sum = 10 }
            product = (sum * 2) % 11
        }
        let check = (11 - product) % 10
        return check == Int(digits[10])
    }
}

extension Checksums {
    /// Mod 11 with weights 2, 3, 4, ... from the digit before the check digit leftwards, the check digit
    /// (11 - sum mod 11) mod 11, and 10 never valid: the UK's NHS number and many hospitals' own numbers.
    static func mod11(_ digits: [UInt8]) -> Bool {
        guard digits.count >= 2, digits.allSatisfy({ $0 <= 9 }) else { return false }
        var sum = 0
        for (k, digit) in digits.dropLast().reversed().enumerated() { sum += Int(digit) * (k + 2) }
        let check = (11 - sum % 11) % 11
        return check != 10 && check == Int(digits[digits.count - 1])
    }
}
