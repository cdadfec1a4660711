import Foundation
import Quarry
import Testing

/// Relevance evaluation as a program that imports only `Quarry` uses it.
@Suite("The Quarry façade: evaluation")
struct EvaluationFacadeTests {
    @Test("qrels, runs, measures, a comparison and its JSON through the façade")
    func evaluation() throws {
        let qrels = try Qrels(parsing: Array("q1 0 a 1\nq2 0 b 2\n".utf8), file: "qrels")
        let before = Run(["q1": [Run.Entry(id: "x", score: 2), Run.Entry(id: "a", score: 1)]])
        let after = try Run(parsing: Array("q1 Q0 a 1 2 t\nq2 Q0 b 1 1 t\n".utf8), file: "run")
        let a = Evaluation(run: before, qrels: qrels, measures: [try Measure(parsing: "MRR@10"), .nDCG(cutoff: 10)])
        let b = Evaluation(run: after, qrels: qrels, measures: a.measures)
        #expect(a.mean(.reciprocalRank(cutoff: 10)) == 0.25)
        #expect(b.mean(.nDCG(cutoff: 10)) == 1)
        let c = try Comparison(a, b)
        #expect(c.exact && c.rows.map(\.difference) == [0.75, b.mean(.nDCG(cutoff: 10))! - a.mean(.nDCG(cutoff: 10))!])
        let json = JSONContract.evaluation(
            qrelsPath: "qrels", qrels: qrels,
            runs: [
                .init(source: .file(path: "before"), run: before, evaluation: a),
                .init(source: .file(path: "after"), run: after, evaluation: b),
            ],
            comparison: c, perQuery: false)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["schema"] as? String == JSONContract.evalSchema)
        #expect((object["runs"] as? [[String: Any]])?.map { $0["label"] as? String } == ["A", "B"])
        #expect(throws: QuarryError.self) { try QuerySet(contentsOf: "/nonexistent/queries.jsonl") }
    }
}
