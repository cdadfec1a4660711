import Foundation
import Testing

/// The shared SciFact data and the ir_measures reference script of QuarryEvalTests.
enum SciFactEval {
    static let data = CLI.packageRoot + "/../shared/data/scifact"
    static let script = CLI.packageRoot + "/Tests/QuarryEvalTests/Reference/ir_measures_reference.py"

    static var hasData: Bool {
        ["/corpus.jsonl", "/queries.jsonl", "/qrels/test.tsv"].allSatisfy { FileManager.default.fileExists(atPath: data + $0) }
    }

    static let hasIRMeasures: Bool = {
        (try? python(["-c", "import ir_measures"]).status) == 0
    }()

    static func python(_ arguments: [String]) throws -> (status: Int32, stdout: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3"] + arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

@Suite(
    "quarry eval on SciFact, against ir_measures",
    .enabled(if: SciFactEval.hasData, "needs ../shared/data/scifact (the shared evaluation data); skipped without it"),
    .enabled(if: SciFactEval.hasIRMeasures, "needs python3 with ir_measures (scripts/setup installs it: pip install ir-measures)"))
struct EvalSciFactTests {
    /// Top 100 keeps the test short; AP@1000 is then AP over those 100, on both sides.
    @Test("a run quarry makes on SciFact: every measure, per query and mean, equals ir_measures' to 1e-4")
    func sciFact() throws {
        let dir = try CLI.temporaryDirectory("eval-scifact")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let data = SciFactEval.data
        let index = try CLI.run(["index", "--index", dir + "/idx", "--format", "beir", data + "/corpus.jsonl"])
        #expect(index.status == 0, "\(index.stderr)")
        let r = try CLI.run([
            "eval", "--index", dir + "/idx", "--queries", data + "/queries.jsonl", "--qrels", data + "/qrels/test.tsv",
            "--save-run", dir + "/run.trec", "--per-query", "--json", "--limit", "100",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let run = try #require((try CLI.json(r.stdout)["runs"] as? [[String: Any]])?.first)
        let perQuery = try #require(run["per_query"] as? [[String: Any]])
        let means = try #require(run["means"] as? [String: Double])
        #expect(perQuery.count == 300)

        let ref = try SciFactEval.python([SciFactEval.script, data + "/qrels/test.tsv", dir + "/run.trec"])
        #expect(ref.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(ref.stdout.utf8)) as? [String: Any])
        let refPerQuery = try #require(object["per_query"] as? [String: [String: Double]])
        let refMeans = try #require(object["mean"] as? [String: Double])
        for name in ["nDCG@10", "R@100", "RR@10", "AP@1000", "P@10"] {
            let expected = try #require(refPerQuery[name])
            #expect(expected.count == 300, "\(name)")
            var off = 0
            for q in perQuery {
                let qid = try #require(q["qid"] as? String)
                let value = try #require(q[name] as? Double)
                if abs(value - (expected[qid] ?? -1)) > 1e-4 { off += 1 }
            }
            #expect(off == 0, "\(name): \(off) queries differ from ir_measures")
            #expect(abs((means[name] ?? -1) - (refMeans[name] ?? -2)) <= 1e-4, "\(name): \(means[name] ?? -1) vs \(refMeans[name] ?? -2)")
        }
        // A sanity bound: BM25 on SciFact is far from random (nDCG@10 ≈ 0.68 at the defaults).
        #expect((means["nDCG@10"] ?? 0) > 0.5)
    }
}
