import Testing
@testable import FrontierRouting

/// A conversation sent again soon after its answer, on an injected clock.
@Suite struct RetryDetectorTests {
    @Test func aRepeatWithinTheWindowNamesTheAnswerItRepeatsOnce() {
        var detector = RetryDetector(windowMs: 120_000)
        #expect(detector.ended(conversation: 1, requestID: "r1", answeredBy: "m", nowMs: 1_000) == nil)
        // Another conversation is not a retry.
        #expect(detector.ended(conversation: 2, requestID: "r2", answeredBy: "m", nowMs: 2_000) == nil)
        let retry = detector.ended(conversation: 1, requestID: "r3", answeredBy: "n", nowMs: 60_000)
        #expect(retry == .init(requestID: "r1", model: "m", timeMs: 1_000))
        // A third send repeats the second answer, not the first again.
        #expect(detector.ended(conversation: 1, requestID: "r4", answeredBy: "m", nowMs: 70_000)?.requestID == "r3")
        // Past the window it is a new question.
        #expect(detector.ended(conversation: 1, requestID: "r5", answeredBy: "m", nowMs: 70_000 + 120_001) == nil)
    }

    @Test func aFailedRequestIsNotRememberedButStillCountsAsARetry() {
        var detector = RetryDetector(windowMs: 10_000)
        _ = detector.ended(conversation: 1, requestID: "r1", answeredBy: "m", nowMs: 0)
        // The retry failed (no model answered): the first answer was still not good enough.
        #expect(detector.ended(conversation: 1, requestID: "r2", answeredBy: nil, nowMs: 1_000)?.requestID == "r1")
        // Nothing answered r2, so a third send has nothing to blame.
        #expect(detector.ended(conversation: 1, requestID: "r3", answeredBy: "m", nowMs: 2_000) == nil)
    }

    @Test func memoryStaysBoundedUnderAFloodOfDistinctConversations() {
        var detector = RetryDetector(windowMs: 3_600_000, capacity: 1_000)
        for n in 0..<100_000 { _ = detector.ended(conversation: n, requestID: "r\(n)", answeredBy: "m", nowMs: Int64(n)) }
        #expect(detector.count == 1_000)
        // The newest are kept, the oldest forgotten.
        #expect(detector.ended(conversation: 99_999, requestID: "x", answeredBy: "m", nowMs: 100_000)?.requestID == "r99999")
        #expect(detector.ended(conversation: 0, requestID: "y", answeredBy: "m", nowMs: 100_001) == nil)
        // And the window forgets by itself.
        _ = detector.ended(conversation: -1, requestID: "z", answeredBy: "m", nowMs: 100_002 + 3_600_000)
        #expect(detector.count == 1)
    }

    @Test func oneConversationRepeatedForeverKeepsMemoryBounded() {
        var detector = RetryDetector(windowMs: 3_600_000, capacity: 100)
        var retries = 0
        for n in 0..<50_000 where detector.ended(conversation: 7, requestID: "r\(n)", answeredBy: "m", nowMs: Int64(n)) != nil { retries += 1 }
        #expect(retries == 49_999 && detector.count == 1)
        #expect(detector.orderCount <= 2 * 100 + 1_024 + 1, "\(detector.orderCount)")
        // Two answers in the same millisecond: forgetting the first never forgets the second.
        var same = RetryDetector(windowMs: 1_000, capacity: 1)
        _ = same.ended(conversation: 1, requestID: "a", answeredBy: "m", nowMs: 5)
        _ = same.ended(conversation: 2, requestID: "b", answeredBy: "m", nowMs: 5)
        #expect(same.ended(conversation: 2, requestID: "c", answeredBy: "m", nowMs: 6)?.requestID == "b")
    }
}
