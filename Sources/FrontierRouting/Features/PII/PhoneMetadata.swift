/// What libphonenumber's metadata says about the length of a country's numbers
/// (the tables in PhoneMetadata+Data.swift are generated from it), so a number
/// written "+46 8 135 952" or "+468135952" is told from digits that only look
/// like one without a regex per country.
enum PhoneMetadata {
    /// `nationalLengths` by calling code, for a lookup without hashing.
    private static let lengthsByCode: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 1000)
        for (code, lengths) in nationalLengths where code < 1000 { table[code] = lengths }
        return table
    }()

    /// Whether `digits` (a number written after "+") are a calling code and a national number
    /// of a length that code's numbers have. Calling codes are prefix-free, so the first code
    /// that matches is the only one. A trunk 0 kept in brackets ("+44 (0)20 ...") is not dialled
    /// and does not count.
    static func isInternational(_ digits: [UInt8], trunkInBrackets: Bool) -> Bool {
        var code = 0
        for k in 0..<min(3, digits.count) {
            code = code * 10 + Int(digits[k])
            let lengths = lengthsByCode[code]
            guard lengths != 0 else { continue }
            var rest = digits.count - k - 1
            if trunkInBrackets, rest > 0, digits[k + 1] == 0 { rest -= 1 }
            return rest > 0 && rest < 32 && lengths & (1 << UInt32(rest)) != 0
        }
        return false
    }

    /// Whether `digits` starting with a trunk 0 have a national number's length in a country that dials 0 first.
    static func isNationalWithTrunkZero(_ digits: [UInt8]) -> Bool {
        guard digits.first == 0, digits.count > 1, digits.count < 33 else { return false }
        return trunkZeroLengths & (1 << UInt32(digits.count - 1)) != 0
    }
}
