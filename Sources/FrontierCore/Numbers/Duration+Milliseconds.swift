extension Duration {
    /// The duration in milliseconds, fractions kept (for latencies in records and the router).
    public var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
