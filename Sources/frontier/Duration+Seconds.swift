extension Duration {
    /// The duration in seconds, for the timings the offline commands print.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
