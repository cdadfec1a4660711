import QuarryCore
import Testing

@testable import QuarryEval

/// n queries, each with one relevant document "a"; `better` of them find it at rank 1 in
/// run B and none in run A; the others find it in both.
func pair(queries n: Int, better: Set<Int>) -> (Evaluation, Evaluation, Qrels) {
    var judgments: [String: [String: Int]] = [:]
    var a: [String: [Run.Entry]] = [:], b: [String: [Run.Entry]] = [:]
    for q in 0..<n {
        judgments["q\(q)"] = ["a": 1]
        b["q\(q)"] = [.init(id: "a", score: 1)]
        a["q\(q)"] = better.contains(q) ? [.init(id: "x", score: 1)] : [.init(id: "a", score: 1)]
    }
    let qrels = Qrels(judgments)
    return (Evaluation(run: Run(a), qrels: qrels), Evaluation(run: Run(b), qrels: qrels), qrels)
}

@Suite("Comparing two runs")
struct ComparisonTests {
    @Test("identical runs: no difference, p = 1")
    func identical() throws {
        let (a, _, _) = pair(queries: 30, better: [1, 5])
        let c = try Comparison(a, a)
        for row in c.rows {
            #expect(row.difference == 0)
            #expect(row.pValue == 1)
        }
        #expect(!c.exact)
        #expect(c.permutations == Comparison.defaultPermutations)
    }

    @Test("few queries: all 2ⁿ sign assignments, exact p")
    func exact() throws {
        // Three queries, each better by 1 in B: only ±(1,1,1) reach |3| → p = 2/8.
        let (a, b, _) = pair(queries: 3, better: [0, 1, 2])
        let c = try Comparison(a, b)
        #expect(c.exact)
        #expect(c.permutations == 8)
        let rr = try #require(c.rows.first { $0.measure == .reciprocalRank(cutoff: 10) })
        #expect(rr.meanA == 0 && rr.meanB == 1 && rr.difference == 1)
        #expect(rr.pValue == 0.25)
        // Two of four better: |sum| ≥ 2 for assignments whose two nonzero signs agree → 2 of 4 (×4 for the zeros).
        let (a4, b4, _) = pair(queries: 4, better: [0, 3])
        #expect(try Comparison(a4, b4).rows[2].pValue == 0.5)
    }

    @Test("many queries: a sampled test, reproducible with its seed, close to the exact p")
    func sampled() throws {
        let (a, b, _) = pair(queries: 40, better: Set(0..<40))
        let c = try Comparison(a, b)
        #expect(!c.exact)
        // Only the two all-same-sign assignments are as extreme: none drawn, p = 1/(N+1).
        #expect(c.rows[2].pValue == 1.0 / Double(Comparison.defaultPermutations + 1))
        // A mixed case: 12 queries, 5 better and 2 worse (B loses "a" where A found it).
        var judgments: [String: [String: Int]] = [:]
        var runA: [String: [Run.Entry]] = [:], runB: [String: [Run.Entry]] = [:]
        for q in 0..<12 {
            judgments["\(q)"] = ["a": 1, "b": 2]
            runA["\(q)"] = [.init(id: q < 5 ? "x" : "a", score: 2), .init(id: "b", score: 1)]
            runB["\(q)"] = [.init(id: q >= 10 ? "x" : "a", score: 2), .init(id: q % 3 == 0 ? "b" : "y", score: 1)]
        }
        let qrels = Qrels(judgments)
        let ea = Evaluation(run: Run(runA), qrels: qrels), eb = Evaluation(run: Run(runB), qrels: qrels)
        let exact = try Comparison(ea, eb)  // 4096 ≤ 10,000 assignments: exact
        let sampled = try Comparison(ea, eb, permutations: 4000, seed: 7)
        let again = try Comparison(ea, eb, permutations: 4000, seed: 7)
        #expect(exact.exact && !sampled.exact)
        #expect(sampled == again)
        for (x, s) in zip(exact.rows, sampled.rows) {
            #expect(abs(x.pValue - s.pValue) < 0.03, "\(x.measure): exact \(x.pValue), sampled \(s.pValue)")
            #expect(x.difference == s.difference)
        }
        #expect(exact.rows.contains { $0.pValue < 1 })
    }

    @Test("evaluations over other queries or measures cannot be compared")
    func mismatch() throws {
        let (a, _, _) = pair(queries: 3, better: [])
        let (b, _, _) = pair(queries: 4, better: [])
        #expect(throws: QuarryError.self) { try Comparison(a, b) }
        let qrels = Qrels(["q": ["a": 1]])
        let one = Evaluation(run: Run([:]), qrels: qrels, measures: [.precision(cutoff: 1)])
        let other = Evaluation(run: Run([:]), qrels: qrels, measures: [.precision(cutoff: 2)])
        #expect(throws: QuarryError.self) { try Comparison(one, other) }
        #expect(throws: QuarryError.self) { try Comparison(one, one, permutations: 0) }
    }
}
