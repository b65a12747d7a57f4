import Foundation
import Testing
@testable import FrontierRouting

/// The scan's cost grows linearly with the text, shown without asserting a speed:
/// the same worst-case text at n and 8n, compared by the scanning thread's CPU time
/// (which another process on the same cores does not inflate), never by wall time.
/// The speed itself is `scripts/bench-router`'s (README).
@Suite struct PIIScanGrowthTests {
    /// CPU seconds this thread spent in `body`, the least of three runs (a cache miss or an interrupt only adds).
    func cpuSeconds(_ body: () -> Void) -> Double {
        (0..<3).map { _ in
            var before = timespec(), after = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &before)
            body()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &after)
            return Double(after.tv_sec - before.tv_sec) + Double(after.tv_nsec - before.tv_nsec) / 1e9
        }.min() ?? 0
    }

    // The shapes `scripts/bench-router --worst-case` times at 4 MiB: a finding after a finding, prefixes that make a
    // scanner look far ahead, one token the size of the text.
    @Test(arguments: [
        "a.b@example.com ", "-----BEGIN RSA PRIVATE KEY----- ", "-----BEGIN PRIVATE KEY----- x -----END PRIVATE KEY----- ", "4 1 1 1 ",
        "4111 1111 1111 1111 ", "DE89 3704 0044 0532 0130 00 ", "fe80::1:2:3:4 ", "api_key=abcdef123456 ", "MRN-0048213 ",
        "12 Baker Street ", "born March 3, 1985 ", "call (415) 555-0132 ", "Dr. Maria Garcia, ", "a", "@",
    ])
    func eightTimesTheTextCostsAboutEightTimesTheWork(unit: String) {
        let detector = PIIDetector()
        let small = String(repeating: unit, count: (16 * 1024) / unit.utf8.count)
        let large = String(repeating: unit, count: (128 * 1024) / unit.utf8.count)
        var findings = (small: 0, large: 0)
        let smallSeconds = cpuSeconds { findings.small = detector.findings(in: small).count }
        let largeSeconds = cpuSeconds { findings.large = detector.findings(in: large).count }
        let ratio = largeSeconds / max(smallSeconds, 1e-6)
        print("\(unit.debugDescription): 16 KiB \(smallSeconds) s, 128 KiB \(largeSeconds) s CPU, ratio \(ratio)")
        // Where the unit is a finding of its own, the larger text has about eight times as many (no cap hides work).
        if findings.small > 1 { #expect(findings.large >= findings.small * 7) }
        // Linear is 8; quadratic would be 64. 24 leaves room for caches and allocation, and still tells them apart.
        #expect(ratio < 24, "8x the text cost \(ratio)x the CPU time")
    }
}
