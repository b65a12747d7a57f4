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
        // A model that fails (circuit open, nothing to say) takes its turn and no more: the next one is asked.
        var fresh = ExplorationChooser(share: 1, maxCostUSDPerDay: 100)
        for _ in 0..<3 {
            guard let r = fresh.choose(domain: "law", candidates: all, nowMs: Self.noon) else { break }
            fresh.settle(r, costUSD: 0, graded: r.model != "b", nowMs: Self.noon)
        }
        #expect(fresh.outcomes["law"] == ["c": 1, "a": 1])
        #expect(fresh.choose(domain: "law", candidates: all, nowMs: Self.noon)?.model == "b")
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
        // But not in place of a less-known one that does not fit: that one waits, and nothing is spent.
        chooser.observed(domain: nil, model: "d")
        #expect(chooser.choose(domain: nil, candidates: Self.candidates(["d": 0.01, "e": 0.4]), nowMs: Self.noon) == nil)
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

    @Test func aShareOfServingBoundsExplorationAsTrafficGrows() {
        var chooser = ExplorationChooser(share: 1, maxCostUSDPerDay: 100, maxShareOfServing: 0.05)
        let models = Self.candidates(["cheap": 0.001, "dear": 0.01])
        // Nothing served yet: nothing to spend.
        #expect(chooser.choose(domain: nil, candidates: models, nowMs: Self.noon) == nil)
        // $0.10 served allows $0.005: the cheap model first (cheaper of two unknowns); then the dear one is the
        // least known and does not fit, so nothing is spent on the cheap one meanwhile.
        for _ in 0..<10 { chooser.served(costUSD: 0.01) }
        chooser.served(costUSD: .nan)
        chooser.served(costUSD: -1)
        #expect(abs(chooser.servingTotal - 0.1) < 1e-12)
        let first = chooser.choose(domain: nil, candidates: models, nowMs: Self.noon)
        #expect(first?.model == "cheap")
        if let first { chooser.settle(first, costUSD: first.reservedUSD, graded: true, nowMs: Self.noon) }
        #expect(chooser.choose(domain: nil, candidates: models, nowMs: Self.noon) == nil)
        // $0.12 more served: the allowance reaches the dear one's worst case, and it is asked.
        for _ in 0..<12 { chooser.served(costUSD: 0.01) }
        #expect(chooser.choose(domain: nil, candidates: models, nowMs: Self.noon)?.model == "dear")
        // Over a long run the spend stays at the share, whatever the mix.
        for n in 0..<2_000 {
            chooser.served(costUSD: 0.002)
            if n % 3 == 0, let r = chooser.choose(domain: nil, candidates: models, nowMs: Self.noon) {
                chooser.settle(r, costUSD: r.reservedUSD * 0.8, graded: true, nowMs: Self.noon)
            }
        }
        #expect(chooser.spentTotal <= 0.05 * chooser.servingTotal + 1e-12)
        #expect(chooser.spentTotal >= 0.04 * chooser.servingTotal, "\(chooser.spentTotal) of \(chooser.servingTotal)")
    }
}
