import FrontierCore
import Testing
@testable import FrontierRouting

/// `router.explore`'s choice, on an injected wall clock: the sample's size,
/// the least-known model first, and the daily cap held against reservations.
@Suite struct ExplorationChooserTests {
    static let day: Int64 = 86_400_000
    static let noon: Int64 = 20_000 * day + day / 2

    static func candidates(_ costs: [String: Double]) -> [ExplorationChooser.Candidate] {
        costs.sorted { $0.key < $1.key }.map { ExplorationChooser.Candidate(model: $0.key, worstCaseUSD: $0.value) }
    }

    @Test func aSeededShareOfRequestsIsSampledTheSameWayEveryTime() {
        let chooser = ExplorationChooser(share: 0.02, maxCostUSDPerDay: 5, seed: 7)
        let sampled = (0..<50_000).filter { chooser.samples(requestID: "req-\($0)") }.count
        #expect((850...1_150).contains(sampled), "\(sampled) of 50,000 at 2 %")
        let again = ExplorationChooser(share: 0.02, maxCostUSDPerDay: 5, seed: 7)
        #expect((0..<1_000).allSatisfy { chooser.samples(requestID: "r\($0)") == again.samples(requestID: "r\($0)") })
        #expect(!ExplorationChooser(share: 0, maxCostUSDPerDay: 5).samples(requestID: "anything"))
    }

    @Test func theModelWithTheFewestOutcomesInTheDomainIsAskedCheapestFirst() {
        var chooser = ExplorationChooser(share: 1, maxCostUSDPerDay: 100)
        let all = Self.candidates(["a": 0.003, "b": 0.001, "c": 0.002])
        // Nothing known: the cheapest, then the next, round the models in turn.
        var picks: [String] = []
        for _ in 0..<6 {
            guard let r = chooser.choose(domain: "law", candidates: all, nowMs: Self.noon) else {
                Issue.record("nothing chosen")
                return
            }
            picks.append(r.model)
            chooser.settle(r, costUSD: 0.001, graded: true, nowMs: Self.noon)
        }
        #expect(picks == ["b", "c", "a", "b", "c", "a"])
        // Scores of served answers count too: 'b' served and scored often in math is not explored there.
        for _ in 0..<5 { chooser.observed(domain: "math", model: "b") }
        #expect(chooser.choose(domain: "math", candidates: all, nowMs: Self.noon)?.model == "c")
        // An ungraded answer teaches nothing: it is asked again.
        var fresh = ExplorationChooser(share: 1, maxCostUSDPerDay: 100)
        let first = fresh.choose(domain: "law", candidates: all, nowMs: Self.noon)
        if let first { fresh.settle(first, costUSD: 0.001, graded: false, nowMs: Self.noon) }
        #expect(fresh.choose(domain: "law", candidates: all, nowMs: Self.noon)?.model == first?.model)
    }

    @Test func reservationsHoldTheDailyCapAndANewDayOpensANewOne() {
        var chooser = ExplorationChooser(share: 1, maxCostUSDPerDay: 1)
        let costly = Self.candidates(["a": 0.4, "b": 0.4, "c": 0.4])
        // Two calls in flight reserve 0.8; the third would pass the cap, whatever its model.
        let one = chooser.choose(domain: nil, candidates: costly, nowMs: Self.noon)
        let two = chooser.choose(domain: nil, candidates: costly, nowMs: Self.noon)
        #expect(one != nil && two != nil)
        #expect(chooser.choose(domain: nil, candidates: costly, nowMs: Self.noon) == nil)
        // They cost less than their worst case: the difference comes back.
        if let one { chooser.settle(one, costUSD: 0.1, graded: true, nowMs: Self.noon) }
        #expect(abs(chooser.spentToday - 0.5) < 1e-12)
        #expect(chooser.choose(domain: nil, candidates: costly, nowMs: Self.noon) != nil)
        #expect(chooser.choose(domain: nil, candidates: costly, nowMs: Self.noon) == nil)
        // A cheaper model still fits what is left.
        #expect(chooser.choose(domain: nil, candidates: Self.candidates(["d": 0.05]), nowMs: Self.noon)?.model == "d")
        // The next UTC day starts from nothing; a call reserved yesterday and settled today counts today.
        let tomorrow = Self.noon + Self.day
        if let two { chooser.settle(two, costUSD: 0.3, graded: true, nowMs: tomorrow) }
        #expect(abs(chooser.spentToday - 0.3) < 1e-12)
        #expect(abs(chooser.spentTotal - 0.4) < 1e-12)
        // A clock stepped back does not reopen the day already spent.
        _ = chooser.choose(domain: nil, candidates: Self.candidates(["a": 0.7]), nowMs: tomorrow)
        #expect(chooser.choose(domain: nil, candidates: costly, nowMs: Self.noon) == nil)
    }

    @Test func hostileCostsNeverPassTheCap() {
        var chooser = ExplorationChooser(share: 1, maxCostUSDPerDay: 1)
        let hostile = [
            ExplorationChooser.Candidate(model: "nan", worstCaseUSD: .nan),
            ExplorationChooser.Candidate(model: "inf", worstCaseUSD: .infinity),
            ExplorationChooser.Candidate(model: "negative", worstCaseUSD: -5),
        ]
        #expect(chooser.choose(domain: nil, candidates: hostile, nowMs: Self.noon) == nil)
        let r = chooser.choose(domain: nil, candidates: Self.candidates(["a": 0.5]), nowMs: Self.noon)
        // A cost that cannot be read counts as the whole reservation.
        if let r { chooser.settle(r, costUSD: .nan, graded: false, nowMs: Self.noon) }
        #expect(abs(chooser.spentToday - 0.5) < 1e-12)
    }
}
