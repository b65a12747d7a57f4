/// Conversions that never trap, for numbers that came from a client or an
/// upstream: `Int(someDouble)` traps on NaN, infinity and anything past
/// ±9.2e18, and `a + b` traps on overflow.
extension Double {
    /// The nearest Int: NaN is 0, values past Int's range are its bounds.
    public var saturatingInt: Int {
        guard !isNaN else { return 0 }
        if self >= 9.2e18 { return Int.max }
        if self <= -9.2e18 { return Int.min }
        return Int(self)
    }

    /// Milliseconds as a whole number for messages (`\(ms.wholeMilliseconds) ms`), never trapping.
    public var wholeMilliseconds: Int { rounded().saturatingInt }
}

extension Int {
    /// The sum, held at Int's bounds instead of trapping.
    public func saturatingAdd(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? Int.max : Int.min
    }

    /// The product, held at Int's bounds instead of trapping.
    public func saturatingMultiply(_ other: Int) -> Int {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        guard overflow else { return product }
        return (self < 0) == (other < 0) ? Int.max : Int.min
    }

    /// The value held within `range`.
    public func clamped(to range: ClosedRange<Int>) -> Int {
        Swift.min(Swift.max(self, range.lowerBound), range.upperBound)
    }
}
