import Foundation
import QuarryCore
import Testing

@testable import QuarryEval

/// ir_measures (Python), run on the same files, as the reference for every measure.
enum IRMeasures {
    static let packageRoot: String = {
        var parts = #filePath.split(separator: "/").map(String.init)
        parts.removeLast(3)
        return "/" + parts.joined(separator: "/")
    }()

    static let script = packageRoot + "/Tests/QuarryEvalTests/Reference/ir_measures_reference.py"

    static let available: Bool = {
        (try? python(["-c", "import ir_measures"]).status) == 0
    }()

    static func python(_ arguments: [String]) throws -> (status: Int32, stdout: Data, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3"] + arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return (p.terminationStatus, data, String(decoding: errData, as: UTF8.self))
    }

    /// Per-query values and means of `measures` for the run and qrels files.
    static func reference(qrels: String, run: String, measures: [Measure]) throws -> (
        perQuery: [String: [String: Double]], mean: [String: Double], msmarco: [String: [String: Double]]
    ) {
        let r = try python([script, qrels, run] + measures.map(\.description))
        guard r.status == 0 else {
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "ir_measures_reference.py failed: \(r.stderr)"])
        }
        let object = try #require(try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any])
        let perQuery = try #require(object["per_query"] as? [String: [String: Double]])
        let mean = try #require(object["mean"] as? [String: Double])
        let msmarco = try #require(object["rr_msmarco"] as? [String: [String: Double]])
        return (perQuery, mean, msmarco)
    }

    /// Every per-query value and mean of the evaluation agrees with ir_measures to 1e-4.
    static func check(_ e: Evaluation, qrels: String, run: String) throws {
        let ref = try reference(qrels: qrels, run: run, measures: e.measures)
        for (m, measure) in e.measures.enumerated() {
            let name = measure.description
            let values = try #require(ref.perQuery[name], "\(name) missing from the reference")
            #expect(Set(values.keys) == Set(e.queryIDs), "\(name): other queries")
            var off = 0
            for (q, qid) in e.queryIDs.enumerated() {
                guard let expected = values[qid] else { continue }
                if abs(e.values[m][q] - expected) > 1e-4 {
                    off += 1
                    if off <= 3 { Issue.record("\(name) of query \(qid): quarry \(e.values[m][q]), ir_measures \(expected)") }
                }
            }
            #expect(off == 0, "\(name): \(off) queries differ")
            let mean = try #require(ref.mean[name])
            #expect(abs((e.mean(measure) ?? -1) - mean) <= 1e-4, "\(name): mean \(e.mean(measure) ?? -1) vs \(mean)")
        }
    }
}

/// A small deterministic generator for test data (a linear congruential generator).
struct TestRandom {
    var state: UInt64
    mutating func next(_ n: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(n))
    }
    mutating func pick<T>(_ xs: [T]) -> T { xs[next(xs.count)] }
}

@Suite(
    "Agreement with ir_measures",
    .enabled(if: IRMeasures.available, "needs python3 with ir_measures (scripts/setup installs it: pip install ir-measures)"))
struct IRMeasuresParityTests {
    static let measures: [Measure] =
        Measure.standard + [
            .nDCG(cutoff: 5), .precision(cutoff: 3), .recall(cutoff: 7), .reciprocalRank(cutoff: 3), .averagePrecision(cutoff: 5),
        ]

    /// Graded qrels with negative grades, runs with many tied scores, duplicate lines,
    /// queries on one side only, ids whose byte order differs from their numeric order.
    static func generate(seed: UInt64, ties: Bool) -> (qrels: String, run: String) {
        var rng = TestRandom(state: seed)
        let docs = (0..<60).map { i in ["d\(i)", "D\(i)", "doc-\(i)", "\(i)", "é\(i)"][i % 5] }
        let grades = [-2, -1, 0, 0, 0, 1, 1, 2, 3, 4]
        var qrels = "", run = ""
        for q in 0..<40 {
            var judged = 0
            for d in docs where rng.next(4) == 0 && judged < 15 {
                // Queries 0–3 have only grades ≤ 0.
                let g = q < 4 ? -rng.next(3) : rng.pick(grades)
                qrels += "q\(q) 0 \(d) \(g)\n"
                judged += 1
            }
            if judged == 0 { qrels += "q\(q) 0 \(docs[q]) 1\n" }
        }
        // Queries 35–39 of the qrels get no results; extra queries are not judged.
        let runQueries = (0..<35).map { "q\($0)" } + ["extra1", "extra2"]
        var serial = 0
        for q in runQueries {
            let n = 1 + rng.next(30)
            for r in 0..<n {
                serial += 1
                let score = ties ? Double(rng.next(6)) * 0.5 : Double(1_000_000 - serial) / 7
                run += "\(q) Q0 \(rng.pick(docs)) \(r + 1) \(score) gen\n"
            }
        }
        return (qrels, run)
    }

    @Test("generated graded qrels and tied runs: every measure, per query and mean", arguments: [UInt64(1), 2, 3])
    func generated(seed: UInt64) throws {
        let dir = NSTemporaryDirectory() + "quarry-eval-parity-\(ProcessInfo.processInfo.processIdentifier)-\(seed)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (qrelsText, runText) = IRMeasuresParityTests.generate(seed: seed, ties: true)
        try Data(qrelsText.utf8).write(to: URL(fileURLWithPath: dir + "/qrels"))
        try Data(runText.utf8).write(to: URL(fileURLWithPath: dir + "/run"))
        let run = try Run(contentsOf: dir + "/run")
        #expect(run.duplicateLines > 0)
        let e = Evaluation(run: run, qrels: try Qrels(contentsOf: dir + "/qrels"), measures: IRMeasuresParityTests.measures)
        #expect(e.unrankedQueries.count == 5 && e.ignoredQueries == ["extra1", "extra2"])
        try IRMeasures.check(e, qrels: dir + "/qrels", run: dir + "/run")
    }

    @Test("without ties, RR@k also equals ir_measures' own RR@k (MS MARCO's script)")
    func noTies() throws {
        let dir = NSTemporaryDirectory() + "quarry-eval-parity-\(ProcessInfo.processInfo.processIdentifier)-noties"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (qrelsText, runText) = IRMeasuresParityTests.generate(seed: 9, ties: false)
        try Data(qrelsText.utf8).write(to: URL(fileURLWithPath: dir + "/qrels"))
        try Data(runText.utf8).write(to: URL(fileURLWithPath: dir + "/run"))
        let e = Evaluation(
            run: try Run(contentsOf: dir + "/run"), qrels: try Qrels(contentsOf: dir + "/qrels"), measures: IRMeasuresParityTests.measures)
        try IRMeasures.check(e, qrels: dir + "/qrels", run: dir + "/run")
        let ref = try IRMeasures.reference(
            qrels: dir + "/qrels", run: dir + "/run", measures: [.reciprocalRank(cutoff: 10), .reciprocalRank(cutoff: 3)])
        for measure in [Measure.reciprocalRank(cutoff: 10), .reciprocalRank(cutoff: 3)] {
            let msmarco = try #require(ref.msmarco[measure.description])
            for qid in e.queryIDs {
                #expect(abs((e.value(measure, query: qid) ?? -1) - (msmarco[qid] ?? -2)) <= 1e-4, "\(measure) of \(qid)")
            }
        }
    }
}
