import FrontierCore
import FrontierRouting
import Testing

/// The identity tracker on an injected wall clock: noise is not a change, a persistent new value is.
@Suite struct IdentityTrackerTests {
    static let hour: Int64 = 3_600_000
    let settings = IdentityTracker.Settings(warmup: 20, persistence: 3, windowMs: 7 * 24 * hour, maxValues: 16)

    func warmedUp(_ fingerprints: [String], model: String = "gpt-4o-2024-08-06") -> IdentityTracker {
        var tracker = IdentityTracker(settings: settings)
        for i in 0..<20 { _ = tracker.observe(ReportedIdentity(model: model, fingerprint: fingerprints[i % fingerprints.count]), nowMs: Int64(i)) }
        return tracker
    }

    @Test func severalFingerprintsFromOnePoolAreOneIdentityNotChanges() {
        var tracker = IdentityTracker(settings: settings)
        var observations: [IdentityTracker.Observation] = []
        let pool = (1...6).map { "fp_\($0)" }
        for i in 0..<200 {
            observations.append(tracker.observe(ReportedIdentity(model: "gpt-4o-2024-08-06", fingerprint: pool[(i * 7) % 6]), nowMs: Int64(i) * 1000))
        }
        #expect(observations.filter { if case .established = $0 { true } else { false } }.count == 1)
        #expect(!observations.contains { if case .changed = $0 { true } else { false } })
        #expect(tracker.identity?.fingerprints == pool)
    }

    @Test func aOneOffFingerprintIsNoChangeAPersistentOneIsAtItsThirdAnswer() {
        var tracker = warmedUp(["fp_a", "fp_b"])
        let blip = ReportedIdentity(model: "gpt-4o-2024-08-06", fingerprint: "fp_new")
        #expect(tracker.observe(blip, nowMs: 100) == .unchanged)
        #expect(tracker.observe(blip, nowMs: 101) == .unchanged)
        guard case .changed(let from, let to) = tracker.observe(blip, nowMs: 102) else { Issue.record("no change at the third answer"); return }
        #expect(from.fingerprints == ["fp_a", "fp_b"] && to.fingerprints == ["fp_a", "fp_b", "fp_new"])
        // Known now: no second change.
        #expect(tracker.observe(blip, nowMs: 103) == .unchanged)
    }

    @Test func sightingsThatDoNotPersistWithinTheWindowAreForgotten() {
        var tracker = warmedUp(["fp_a"])
        let rare = ReportedIdentity(model: "gpt-4o-2024-08-06", fingerprint: "fp_rare")
        for day in 0..<10 {
            // Two sightings a week, never three within one window.
            let now = 100 + Int64(day) * 4 * 24 * Self.hour
            #expect(tracker.observe(rare, nowMs: now) == .unchanged, "day \(day * 4)")
            _ = tracker.observe(ReportedIdentity(model: "gpt-4o-2024-08-06", fingerprint: "fp_a"), nowMs: now + 1)
        }
    }

    @Test func aNewModelNameIsAChangeAtItsFirstAnswer() {
        var tracker = warmedUp(["fp_a"])
        guard case .changed(let from, let to) = tracker.observe(ReportedIdentity(model: "gpt-4o-2024-11-20", fingerprint: "fp_a"), nowMs: 50) else {
            Issue.record("a new model name was not a change"); return
        }
        #expect(from.models == ["gpt-4o-2024-08-06"] && to.models == ["gpt-4o-2024-08-06", "gpt-4o-2024-11-20"])
    }

    @Test func aBuildNotSeenForTheWindowIsAChangeWhenItComesBack() {
        var tracker = warmedUp(["fp_a"])
        let old = ReportedIdentity(model: "gpt-4o-2024-08-06", fingerprint: "fp_a")
        let new = ReportedIdentity(model: "gpt-4o-2024-08-06", fingerprint: "fp_b")
        for i in 0..<3 { _ = tracker.observe(new, nowMs: 100 + Int64(i)) }
        // A month of fp_b only: fp_a leaves the identity.
        for day in 1...30 { _ = tracker.observe(new, nowMs: Int64(day) * 24 * Self.hour) }
        #expect(tracker.identity?.fingerprints == ["fp_b"])
        let back = (0..<3).map { tracker.observe(old, nowMs: 31 * 24 * Self.hour + Int64($0)) }
        #expect(back.last.map { if case .changed = $0 { true } else { false } } == true)
    }

    @Test func anUpstreamInventingFingerprintsCannotGrowMemory() {
        var tracker = warmedUp(["fp_a"])
        var random = SeededGenerator(seed: 7)
        for i in 0..<20_000 {
            // Each value three times in a row: every one persists and becomes known, and pending ones pile up too.
            let value = "fp_\(random.next())"
            for k in 0..<(i % 2 == 0 ? 3 : 1) { _ = tracker.observe(ReportedIdentity(model: "m", fingerprint: value), nowMs: 100 + Int64(i * 3 + k)) }
        }
        #expect((tracker.identity?.fingerprints.count ?? 0) <= 16)
        #expect((tracker.identity?.models.count ?? 0) <= 16)
        #expect(tracker.pendingCount <= 16)
    }

    @Test func aTrackerRestoredFromTheLedgersLastIdentityNeedsNoWarmUp() {
        var tracker = IdentityTracker(settings: settings, baseline: .init(models: ["m"], fingerprints: ["fp_a"]), nowMs: 0)
        #expect(tracker.isEstablished)
        #expect(tracker.observe(ReportedIdentity(model: "m", fingerprint: "fp_a"), nowMs: 1) == .unchanged)
        #expect(tracker.observe(ReportedIdentity(model: "n", fingerprint: "fp_a"), nowMs: 2) != .unchanged)
    }

    @Test func reportedTextIsBoundedAndPrintable() {
        let hostile = ReportedIdentity(model: "gpt\n\u{1b}[31mfake log line" + String(repeating: "x", count: 10_000), fingerprint: "\u{0}")
        #expect(hostile.model.count <= ReportedIdentity.maxLength)
        #expect(!hostile.model.contains("\n") && !hostile.model.contains("\u{1b}"))
        #expect(hostile.fingerprint == nil)
        #expect(hostile.matches(pinned: "gpt") == false)
        #expect(ReportedIdentity(model: "a", fingerprint: "fp_1").matches(pinned: "fp_1"))
    }
}

/// The identity read from a serialized chunk without a parse is the parser's reading, whatever the layout.
@Suite struct ReportedIdentityScanTests {
    @Test(arguments: [
        #"{"id":"x","object":"chat.completion.chunk","model":"gpt-4o-2024-08-06","system_fingerprint":"fp_abc","choices":[]}"#,
        #"{"id": "x", "model": "gpt-4o-2024-08-06", "system_fingerprint": "fp_abc", "choices": []}"#,
        #"{"model":"gpt-4o-2024-08-06","choices":[{"delta":{"content":"say \"model\":\"fake\""}}],"system_fingerprint":"fp_abc"}"#,
        #"{"model":"gpt\u002d4o-2024-08-06","system_fingerprint":"fp_abc"}"#,
        #"{"model":"gpt-4o-2024-08-06","choices":[]}"#,
        #"{"choices":[]}"#,
        #"{"model":"gpt-4o-2024-08-06","system_fingerprint": null}"#,
    ])
    func aScanAgreesWithTheParser(_ text: String) throws {
        let bytes = Array(text.utf8)
        let parsed = (try? JSONParser.parse(bytes)).flatMap(ReportedIdentity.init(answer:))
        #expect(ReportedIdentity(serialized: bytes) == parsed)
    }
}
