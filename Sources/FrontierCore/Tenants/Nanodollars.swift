/// Budgets are counted in billionths of a US dollar, as whole numbers: sums
/// and differences are exact (no drift over millions of settlements), and a
/// reservation rounds up, so rounding never lets spending past a budget.
public enum Nanodollars {
    public static let perUSD = 1_000_000_000.0
    /// The largest amount held: $9 billion, far above any budget a key may have (`budget_usd` ≤ $10^9).
    public static let maximum: Int64 = 9_000_000_000_000_000_000

    /// `usd` rounded up to a whole nanodollar (float noise a millionth of one below a whole number
    /// is not rounded up); 0 for a negative or NaN amount, ``maximum`` at most.
    public static func up(_ usd: Double) -> Int64 {
        guard usd > 0 else { return 0 }
        let n = max(1, (usd * perUSD - 1e-6).rounded(.up))
        return n >= Double(maximum) ? maximum : Int64(n)
    }

    public static func usd(_ nanos: Int64) -> Double {
        Double(nanos) / perUSD
    }
}
