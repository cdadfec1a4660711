import QuarryCore
import Testing

@testable import QuarryEval

#if canImport(Glibc)
import Glibc
#endif

/// Reads a run written inline: "qid docid score" per line (rank and tag filled in).
func run(_ lines: String) throws -> Run {
    var text = ""
    for (i, line) in lines.split(separator: "\n").enumerated() {
        let f = line.split(separator: " ")
        text += "\(f[0]) Q0 \(f[1]) \(i + 1) \(f[2]) test\n"
    }
    return try Run(parsing: Array(text.utf8), file: "run")
}

func near(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-12) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= tolerance
}

@Suite("Measures on hand-made cases")
struct MeasureTests {
    let all: [Measure] = Measure.standard + [.precision(cutoff: 1), .precision(cutoff: 2), .recall(cutoff: 1), .precision(cutoff: 3)]

    @Test("binary judgments: P, R, RR, AP and nDCG by hand")
    func binary() throws {
        let qrels = Qrels(["q": ["a": 1, "b": 1, "c": 0]])
        let e = Evaluation(run: try run("q a 3\nq x 2\nq b 1"), qrels: qrels, measures: all)
        #expect(near(e.mean(.precision(cutoff: 10)), 0.2))
        #expect(near(e.mean(.precision(cutoff: 1)), 1))
        #expect(near(e.mean(.precision(cutoff: 2)), 0.5))
        #expect(near(e.mean(.recall(cutoff: 100)), 1))
        #expect(near(e.mean(.recall(cutoff: 1)), 0.5))
        #expect(near(e.mean(.reciprocalRank(cutoff: 10)), 1))
        #expect(near(e.mean(.averagePrecision(cutoff: 1000)), (1 + 2.0 / 3) / 2))
        #expect(near(e.mean(.nDCG(cutoff: 10)), (1 + 1 / log2(4.0)) / (1 + 1 / log2(3.0))))
    }

    @Test("graded judgments: the grade is the gain; 0 and negative grades are not relevant and gain nothing")
    func gradedAndNegative() throws {
        // Relevant: b (2), d (3, not retrieved), e (1). a is -1, c is 0.
        let qrels = Qrels(["q": ["a": -1, "b": 2, "c": 0, "d": 3, "e": 1]])
        let r = try run("q a 5\nq b 4\nq c 3\nq e 2")
        let e = Evaluation(run: r, qrels: qrels, measures: all)
        #expect(near(e.mean(.precision(cutoff: 3)), 1.0 / 3))
        #expect(near(e.mean(.precision(cutoff: 10)), 0.2))
        #expect(near(e.mean(.reciprocalRank(cutoff: 10)), 0.5))
        #expect(near(e.mean(.averagePrecision(cutoff: 1000)), (1.0 / 2 + 2.0 / 4) / 3))
        #expect(near(e.mean(.recall(cutoff: 100)), 2.0 / 3))
        let dcg = 2 / log2(3.0) + 1 / log2(5.0)
        let ideal = 3 + 2 / log2(3.0) + 1 / log2(4.0)
        #expect(near(e.mean(.nDCG(cutoff: 10)), dcg / ideal))
        // A negative grade scores exactly like no judgment at all (no negative gain).
        let unjudged = Evaluation(run: r, qrels: Qrels(["q": ["b": 2, "c": 0, "d": 3, "e": 1]]), measures: all)
        #expect(unjudged.values == e.values)
    }

    @Test("a query whose judgments are all 0 or negative scores 0 everywhere and still counts in the mean")
    func noRelevant() throws {
        let qrels = Qrels(["q1": ["a": 1], "q2": ["a": 0, "b": -2]])
        let e = Evaluation(run: try run("q1 a 1\nq2 a 2\nq2 b 1"), qrels: qrels)
        for m in Measure.standard {
            #expect(e.value(m, query: "q2") == 0)
        }
        #expect(near(e.mean(.reciprocalRank(cutoff: 10)), 0.5))
        #expect(near(e.mean(.nDCG(cutoff: 10)), 0.5))
    }

    @Test("equal scores are ordered by document id, higher bytes first (trec_eval); the rank column is ignored")
    func ties() throws {
        let r = try run("q a 1.0\nq b 1.0\nq c 1.0")
        #expect(r.rankings["q"]?.map(\.id) == ["c", "b", "a"])
        #expect(near(Evaluation(run: r, qrels: Qrels(["q": ["a": 1]])).mean(.reciprocalRank(cutoff: 10)), 1.0 / 3))
        #expect(near(Evaluation(run: r, qrels: Qrels(["q": ["c": 1]])).mean(.reciprocalRank(cutoff: 10)), 1))
        // Bytes, not numbers or letters: "9" > "10", "a" > "B"; the rank column says otherwise.
        let mixed = try Run(parsing: Array("q Q0 10 1 2.5 t\nq Q0 9 2 2.50 t\nq Q0 B 3 1 t\nq Q0 a 4 1e0 t\n".utf8), file: "run")
        #expect(mixed.rankings["q"]?.map(\.id) == ["9", "10", "a", "B"])
        // A higher score wins whatever the rank column says.
        let ranks = try Run(parsing: Array("q Q0 x 1 0.5 t\nq Q0 y 2 0.75 t\n".utf8), file: "run")
        #expect(ranks.rankings["q"]?.map(\.id) == ["y", "x"])
    }

    @Test("the cutoffs: a relevant document at rank 11 counts for R@100 and AP@1000 only")
    func cutoffs() throws {
        var lines: [String] = []
        for i in 1...11 { lines.append("q d\(i) \(100 - i)") }
        let r = try run(lines.joined(separator: "\n"))
        let e = Evaluation(run: r, qrels: Qrels(["q": ["d11": 1]]))
        #expect(e.mean(.reciprocalRank(cutoff: 10)) == 0)
        #expect(e.mean(.precision(cutoff: 10)) == 0)
        #expect(e.mean(.nDCG(cutoff: 10)) == 0)
        #expect(near(e.mean(.recall(cutoff: 100)), 1))
        #expect(near(e.mean(.averagePrecision(cutoff: 1000)), 1.0 / 11))
        #expect(near(Measure.reciprocalRank(cutoff: 11).value(ranking: r.rankings["q"] ?? [], judgments: ["d11": 1]), 1.0 / 11))
    }

    @Test("queries of the qrels without results score 0; queries of the run without judgments are left out")
    func queriesAveraged() throws {
        let qrels = Qrels(["1": ["a": 1], "2": ["b": 1], "10": ["c": 1]])
        let e = Evaluation(run: try run("1 a 1\nextra a 1"), qrels: qrels)
        #expect(e.queryIDs == ["1", "2", "10"])
        #expect(e.unrankedQueries == ["2", "10"])
        #expect(e.ignoredQueries == ["extra"])
        #expect(near(e.mean(.reciprocalRank(cutoff: 10)), 1.0 / 3))
        #expect(near(e.mean(.nDCG(cutoff: 10)), 1.0 / 3))
        #expect(e.value(.nDCG(cutoff: 10), query: "2") == 0)
        #expect(e.value(.nDCG(cutoff: 10), query: "extra") == nil)
    }

    @Test("a document listed twice counts once, with its last line's score")
    func duplicates() throws {
        let r = try Run(parsing: Array("q Q0 a 1 5.0 t\nq Q0 b 2 4.0 t\nq Q0 a 3 3.0 t\n".utf8), file: "run")
        #expect(r.duplicateLines == 1)
        #expect(r.lines == 3)
        #expect(r.rankings["q"] == [Run.Entry(id: "b", score: 4), Run.Entry(id: "a", score: 3)])
        let e = Evaluation(run: r, qrels: Qrels(["q": ["a": 1]]))
        #expect(near(e.mean(.reciprocalRank(cutoff: 10)), 0.5))
        #expect(near(e.mean(.precision(cutoff: 10)), 0.1))
    }

    @Test("no qrels: means are 0; an empty ranking is no results")
    func empty() throws {
        let e = Evaluation(run: Run([:]), qrels: Qrels([:]))
        #expect(e.mean(.nDCG(cutoff: 10)) == 0)
        #expect(e.mean(.precision(cutoff: 3)) == nil)
        let f = Evaluation(run: Run(["q": []]), qrels: Qrels(["q": ["a": 1]]))
        #expect(f.unrankedQueries == ["q"])
        #expect(f.mean(.recall(cutoff: 100)) == 0)
    }

    @Test("measure names: ir_measures' names and the usual aliases, any case")
    func names() throws {
        #expect(try Measure(parsing: "nDCG@10") == .nDCG(cutoff: 10))
        #expect(try Measure(parsing: "ndcg@5") == .nDCG(cutoff: 5))
        #expect(try Measure(parsing: "MRR@10") == .reciprocalRank(cutoff: 10))
        #expect(try Measure(parsing: "RR@10") == .reciprocalRank(cutoff: 10))
        #expect(try Measure(parsing: "MAP@1000") == .averagePrecision(cutoff: 1000))
        #expect(try Measure(parsing: "Recall@100") == .recall(cutoff: 100))
        #expect(try Measure(parsing: "P@10") == .precision(cutoff: 10))
        #expect(Measure.standard.map(\.description) == ["nDCG@10", "R@100", "RR@10", "AP@1000", "P@10"])
        for bad in ["nDCG", "P@0", "P@-1", "foo@3", "P@x", "@3", "P@3@4"] {
            #expect(
                throws: QuarryError.invalidArgument(
                    "unknown measure '\(bad)': use nDCG@k, R@k, RR@k (MRR@k), AP@k (MAP@k) or P@k, with a cutoff k of 1 or more")
            ) { try Measure(parsing: bad) }
        }
    }
}
