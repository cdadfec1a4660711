import Foundation
import Testing

/// `--timings`/`--warmup` in batch mode, and `--after`/`--before` with dates read from the
/// sources (HTML meta, Markdown front matter, JSON Lines), end to end.
@Suite("batch timings and date ranges")
struct BatchTimingsAndDatesTests {
    static func index() throws -> (dir: String, index: String) {
        let dir = try CLI.temporaryDirectory("dates")
        let src = dir + "/src"
        try FileManager.default.createDirectory(atPath: src, withIntermediateDirectories: true)
        func write(_ name: String, _ text: String) throws { try Data(text.utf8).write(to: URL(fileURLWithPath: src + "/" + name)) }
        try write(
            "old.html",
            #"<html><head><title>Old notes</title><meta name="dc.created" content="2020-01-02"></head><body><p>release notes alpha</p></body></html>"#
        )
        try write(
            "new.html",
            #"<html><head><title>New notes</title><meta property="article:published_time" content="2024-05-03T10:00:00+02:00"></head><body><p>release notes beta</p></body></html>"#
        )
        try write("mid.md", "---\ntitle: Middle notes\ndate: 2023-07-01\n---\nrelease notes gamma\n")
        try write("none.txt", "Undated\n\nrelease notes delta\n")
        try write(
            "more.jsonl", #"{"_id": "j1", "title": "Json notes", "text": "release notes epsilon", "date": "2022-02-02T02:02:02Z"}"# + "\n")
        let index = dir + "/idx"
        let r = try CLI.run(["index", "--index", index, src])
        #expect(r.status == 0, "\(r.stderr)")
        return (dir, index)
    }

    @Test("--after and --before keep the documents dated in [after, before); JSON gives the dates")
    func dateRange() throws {
        let (dir, index) = try BatchTimingsAndDatesTests.index()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func ids(_ extra: [String]) throws -> [String: Any] {
            let r = try CLI.run(["search", "--index", index, "--json", "--limit", "10", "release"] + extra)
            #expect(r.status == 0, "\(r.stderr)")
            let o = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
            var out: [String: Any] = [:]
            for case let d as [String: Any] in (o?["results"] as? [Any]) ?? [] { out[d["id"] as? String ?? ""] = d["date"] }
            return out
        }
        let all = try ids([])
        #expect(Set(all.keys) == ["old.html", "new.html", "mid.md", "none.txt", "j1"])
        #expect(all["new.html"] as? String == "2024-05-03T08:00:00Z")
        #expect(all["old.html"] as? String == "2020-01-02T00:00:00Z")
        #expect(all["mid.md"] as? String == "2023-07-01T00:00:00Z")
        #expect(all["j1"] as? String == "2022-02-02T02:02:02Z")
        #expect(all["none.txt"] is NSNull)
        #expect(Set(try ids(["--after", "2022-02-02T02:02:02Z"]).keys) == ["new.html", "mid.md", "j1"])
        #expect(Set(try ids(["--after", "2022-02-02T02:02:03Z"]).keys) == ["new.html", "mid.md"])
        #expect(Set(try ids(["--before", "2023-07-01"]).keys) == ["old.html", "j1"])
        #expect(Set(try ids(["--after", "2021-01-01", "--before", "2024-05-03T10:00+02:00"]).keys) == ["mid.md", "j1"])
        let passages = try CLI.run(["search", "--index", index, "--passages", "--json", "--after", "2024-01-01", "release"])
        #expect(passages.stdout.contains("\"id\":\"new.html\"") && !passages.stdout.contains("\"id\":\"mid.md\""), "\(passages.stdout)")
        let bad = try CLI.run(["search", "--index", index, "--after", "next week", "release"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("not an ISO 8601 date"))
        let empty = try CLI.run(["search", "--index", index, "--after", "2024-01-01", "--before", "2023-01-01", "release"])
        #expect(empty.status == 2)
        let show = try CLI.run(["show", "--index", index, "--json", "new.html"])
        #expect(show.stdout.contains("\"date\":\"2024-05-03T08:00:00Z\""), "\(show.stdout)")
    }

    @Test("--timings writes one qid<TAB>microseconds line per query, in order; --warmup runs them first")
    func timings() throws {
        let (dir, index) = try BatchTimingsAndDatesTests.index()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let queries = dir + "/q.tsv"
        try Data("q1\trelease notes\nq2\tgamma\n# comment\nq3\tnothing matches this\n".utf8).write(to: URL(fileURLWithPath: queries))
        let timings = dir + "/t.tsv"
        let r = try CLI.run(["search", "--index", index, "--queries", queries, "--format", "trec", "--warmup", "2", "--timings", timings])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.lines.first?.hasPrefix("q1 Q0 ") == true)
        let lines = try String(contentsOfFile: timings, encoding: .utf8).split(separator: "\n").map { $0.split(separator: "\t") }
        #expect(lines.map { String($0[0]) } == ["q1", "q2", "q3"])
        for l in lines {
            #expect(l.count == 2)
            let micros = Double(l.last ?? "") ?? -1
            #expect(micros > 0 && micros < 10_000_000, "\(l)")
        }
        let single = try CLI.run(["search", "--index", index, "--timings", timings, "release"])
        #expect(single.status == 2)
        #expect(single.stderr.contains("batch mode"))
    }
}
