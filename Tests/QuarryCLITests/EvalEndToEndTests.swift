import Foundation
import Testing

/// `quarry eval` through the real binary, on judgments, runs and documents written here.
@Suite("quarry eval")
struct EvalEndToEndTests {
    /// q1: a (2), b (1), c (−1); q2: d (1); q3: e (1), which the run misses; q9 is not judged.
    static let qrels = "q1 0 a 2\nq1 0 b 1\nq1 0 c -1\nq2 0 d 1\nq3 0 e 1\n"
    /// c (negative) first in q1; in q2 x and d tie, and x > d puts d second (trec_eval's order).
    static let run = "q1 Q0 c 1 3.0 r\nq1 Q0 a 2 2.0 r\nq1 Q0 b 3 1.0 r\nq2 Q0 d 1 1.0 r\nq2 Q0 x 2 1.0 r\nq9 Q0 a 1 1.0 r\n"
    /// Finds every relevant document at rank 1 or 2.
    static let better = "q1 Q0 a 1 3.0 r\nq1 Q0 b 2 2.0 r\nq2 Q0 d 1 1.0 r\nq3 Q0 e 1 1.0 r\n"

    static let expected: [String: Double] = {
        let q1 = (2 / log2(3.0) + 1 / log2(4.0)) / (2 + 1 / log2(3.0))
        return [
            "nDCG@10": (q1 + 1 / log2(3.0)) / 3, "R@100": (1 + 1 + 0) / 3, "RR@10": (0.5 + 0.5) / 3,
            "AP@1000": ((1.0 / 2 + 2.0 / 3) / 2 + 0.5) / 3, "P@10": (0.2 + 0.1) / 3,
        ]
    }()

    static let files: String = {
        let dir = CLI.suiteDirectory("eval")
        try? write(dir + "/qrels.txt", qrels)
        try? write(dir + "/run.trec", run)
        try? write(dir + "/better.trec", better)
        return dir
    }()

    @Test("one run: the five measures in an aligned table, with notes on what was ignored")
    func oneRun() throws {
        let dir = Self.files
        let r = try CLI.run(["eval", "--qrels", dir + "/qrels.txt", "--run", dir + "/run.trec"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.lines
        #expect(lines.contains("measure    mean"))
        for (name, value) in Self.expected {
            let line = try #require(lines.first { $0.hasPrefix(name + " ") }, "\(name) missing: \(r.stdout)")
            #expect(line.hasSuffix(String(format: "%.4f", value)), "\(line)")
        }
        #expect(r.stdout.contains("qrels.txt: 3 queries, 5 judgments (TREC)"))
        #expect(r.stdout.contains("Means over the 3 queries of the qrels"))
        #expect(r.stderr.contains("1 query not in the qrels, ignored"))
        #expect(r.stderr.contains("no results for 1 query of the qrels (scored 0)"))
    }

    @Test("--json: schema quarry.eval/1 with means and, with --per-query, each query's figures")
    func json() throws {
        let dir = Self.files
        let r = try CLI.run(["eval", "--qrels", dir + "/qrels.txt", "--run", dir + "/run.trec", "--json", "--per-query"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty)
        let o = try CLI.json(r.stdout)
        #expect(o["schema"] as? String == "quarry.eval/1")
        #expect(o["measures"] as? [String] == ["nDCG@10", "R@100", "RR@10", "AP@1000", "P@10"])
        #expect(o["queries"] as? Int == 3)
        let qrels = try #require(o["qrels"] as? [String: Any])
        #expect(qrels["format"] as? String == "trec" && qrels["judgments"] as? Int == 5)
        let runs = try #require(o["runs"] as? [[String: Any]])
        #expect(runs.count == 1 && o["comparison"] == nil)
        let run = runs[0]
        #expect(run["ignored_queries"] as? Int == 1 && run["unranked_queries"] as? Int == 1 && run["lines"] as? Int == 6)
        let means = try #require(run["means"] as? [String: Double])
        for (name, value) in Self.expected { #expect(abs((means[name] ?? -1) - value) < 1e-12, "\(name)") }
        let perQuery = try #require(run["per_query"] as? [[String: Any]])
        #expect(perQuery.map { $0["qid"] as? String } == ["q1", "q2", "q3"])
        #expect(perQuery[1]["RR@10"] as? Double == 0.5)
        #expect(perQuery[2]["nDCG@10"] as? Double == 0)
    }

    @Test("two runs: means, B − A and a p-value per measure; --per-query shows both")
    func comparison() throws {
        let dir = Self.files
        let r = try CLI.run([
            "eval", "--qrels", dir + "/qrels.txt", "--run", dir + "/run.trec", "--run", dir + "/better.trec", "--per-query",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let header = try #require(r.lines.first { $0.hasPrefix("measure ") })
        #expect(header.split(separator: " ").map(String.init) == ["measure", "A", "B", "B", "−", "A", "p"])
        // RR@10: A = 1/3, B = 1; three queries → all 8 sign assignments, exact p = 2/8.
        let rr = try #require(r.lines.first { $0.hasPrefix("RR@10 ") })
        #expect(rr.split(separator: " ").map(String.init) == ["RR@10", "0.3333", "1.0000", "+0.6667", "0.2500"])
        #expect(r.stdout.contains("all 8 sign assignments of the 3 queries (exact)"))
        #expect(r.lines.contains { $0.hasPrefix("query ") && $0.contains("RR@10 A") && $0.contains("RR@10 B") })
        let j = try CLI.json(
            try CLI.run([
                "eval", "--qrels", dir + "/qrels.txt", "--run", dir + "/run.trec", "--run", dir + "/better.trec", "--json", "--measures",
                "MRR@10,P@1",
            ]).stdout)
        let c = try #require(j["comparison"] as? [String: Any])
        #expect(c["test"] as? String == "paired-randomisation" && c["exact"] as? Bool == true && c["permutations"] as? Int == 8)
        let rows = try #require(c["measures"] as? [[String: Any]])
        #expect(rows.map { $0["measure"] as? String } == ["RR@10", "P@1"])
        #expect(rows[0]["p_value"] as? Double == 0.25)
        #expect(abs((rows[0]["difference"] as? Double ?? 0) - 2.0 / 3) < 1e-12)
    }

    @Test("--index: searches the qrels' queries (TSV or BEIR JSON Lines), scores them, saves the run")
    func searchAndScore() throws {
        let dir = try CLI.temporaryDirectory("eval-index")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write(dir + "/docs/vacuum.txt", "Vacuum\n\nVACUUM reclaims storage occupied by dead tuples in PostgreSQL tables.")
        try write(dir + "/docs/index.txt", "Indexes\n\nA B-tree index speeds up lookups of rows by key.")
        try write(dir + "/docs/wal.txt", "Write-ahead log\n\nThe write-ahead log records every change before the data files are written.")
        try write(dir + "/qrels.tsv", "query-id\tcorpus-id\tscore\r\n1\tvacuum.txt\t1\r\n2\twal.txt\t2\r\n3\tindex.txt\t1\r\n")
        try write(dir + "/queries.tsv", "1\tdead tuples storage\n2\twrite-ahead log records\n3\tnothing matches this\n4\tnot judged\n")
        try write(
            dir + "/queries.jsonl",
            "{\"_id\": \"1\", \"text\": \"dead tuples storage\"}\n{\"_id\": \"2\", \"text\": \"write-ahead log records\", \"metadata\": {}}\n"
        )
        #expect(try CLI.run(["index", "--index", dir + "/idx", dir + "/docs"]).status == 0)
        let r = try CLI.run([
            "eval", "--index", dir + "/idx", "--queries", dir + "/queries.tsv", "--qrels", dir + "/qrels.tsv",
            "--save-run", dir + "/saved.trec", "--json", "--limit", "5",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try CLI.json(r.stdout)
        let run = try #require((o["runs"] as? [[String: Any]])?.first)
        #expect(run["source"] as? String == "index" && run["path"] as? String == dir + "/saved.trec" && run["limit"] as? Int == 5)
        // Queries 1 and 2 find their page first; 3 has no results.
        #expect(run["unranked_queries"] as? Int == 1 && run["queries_with_results"] as? Int == 2)
        let means = try #require(run["means"] as? [String: Double])
        #expect(abs((means["RR@10"] ?? 0) - 2.0 / 3) < 1e-12)
        let saved = try String(contentsOfFile: dir + "/saved.trec", encoding: .utf8)
        #expect(saved.hasPrefix("1 Q0 vacuum.txt 1 "))
        #expect(saved.split(separator: "\n").allSatisfy { $0.split(separator: " ").count == 6 && $0.hasSuffix(" quarry") })
        // The saved run scores the same from the file.
        let again = try CLI.json(try CLI.run(["eval", "--qrels", dir + "/qrels.tsv", "--run", dir + "/saved.trec", "--json"]).stdout)
        #expect((again["runs"] as? [[String: Any]])?.first?["means"] as? [String: Double] == means)
        // BEIR queries.jsonl; a run file and the index compared (A = the file, B = the index).
        let c = try CLI.run([
            "eval", "--index", dir + "/idx", "--queries", dir + "/queries.jsonl", "--qrels", dir + "/qrels.tsv",
            "--run", dir + "/saved.trec",
        ])
        #expect(c.status == 0, "\(c.stderr)")
        #expect(c.lines.contains { $0.hasPrefix("RR@10 ") && $0.contains("+0.0000") && $0.hasSuffix("1.0000") })
        #expect(c.stdout.contains("B      index \(dir)/idx"))
        #expect(c.stderr.contains("1 query of the qrels not in \(dir)/queries.jsonl (scored 0)"))
    }

    @Test("usage errors and bad files exit 2 and say what was wrong; a missing index exits 3")
    func errors() throws {
        let dir = Self.files
        try write(dir + "/bad.qrels", "q1 0 a 1\nq1 0 b x\n")
        try write(dir + "/bad.jsonl", "{\"_id\": \"1\", \"text\": \"a\"}\n{\"_id\": \"2\" \"text\": \"b\"}\n")
        let qrels = dir + "/qrels.txt", run = dir + "/run.trec"
        let cases: [([String], String)] = [
            (["eval", "--qrels", qrels], "give --run FILE"),
            (["eval", "--qrels", qrels, "--run", run, "--run", run, "--run", run], "at most two runs"),
            (["eval", "--qrels", qrels, "--run", run, "--queries", run], "--queries is for searching an index"),
            (["eval", "--qrels", qrels, "--index", dir], "--index needs --queries"),
            (["eval", "--qrels", qrels, "--run", run, "--save-run", dir + "/x"], "--save-run writes the run made with --index"),
            (["eval", "--qrels", qrels, "--run", run, "--measures", "nDCG@10,F1@3"], "unknown measure 'F1@3'"),
            (["eval", "--qrels", qrels, "--run", run, "--permutations", "0"], "--permutations must be 1 or more"),
            (["eval", "--qrels", dir + "/bad.qrels", "--run", run], "bad.qrels:2: the grade 'x' is not a whole number"),
            (["eval", "--qrels", qrels, "--run", dir + "/qrels.txt"], "qrels.txt:1: expected a TREC run line"),
            (["eval", "--qrels", dir + "/missing", "--run", run], "cannot read the qrels file"),
            (
                ["eval", "--qrels", qrels, "--index", dir, "--queries", dir + "/bad.jsonl"],
                "bad.jsonl:2: byte 13 of the line: expected ',' or"
            ),
            (["eval", "--qrels", qrels, "--index", dir, "--queries", run], "run.trec:1: expected 'qid<TAB>query text'"),
        ]
        for (arguments, message) in cases {
            let r = try CLI.run(arguments)
            #expect(r.status == 2, "\(arguments): status \(r.status)")
            #expect(r.stderr.contains(message), "\(arguments): \(r.stderr)")
            #expect(r.stdout.isEmpty, "\(arguments)")
        }
        try write(dir + "/q.tsv", "q1\ta\n")
        let missing = try CLI.run(["eval", "--qrels", qrels, "--index", dir + "/no-index", "--queries", dir + "/q.tsv"])
        #expect(missing.status == 3, "\(missing.stderr)")
        let help = try CLI.run(["eval", "--help"])
        #expect(help.status == 0 && help.stdout.contains("quarry eval --index scifact --queries queries.jsonl --qrels qrels/test.tsv"))
    }
}
