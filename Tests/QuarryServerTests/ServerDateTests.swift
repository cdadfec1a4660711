import Foundation
import Testing

/// Documents dated one a month through 2024 (and three without a date), served.
enum DatedFixture {
    static let setup: Result<(ServerProcess, String), any Error> = Result {
        let dir = try temporaryDirectory("dated")
        var lines: [String] = []
        for i in 0..<15 {
            var o: [String: String] = [
                "_id": "notes/\(String(format: "%02d", i))", "title": "Release note \(i)",
                "text": "release notes for the kernel scheduler, month \(i)",
            ]
            if i < 12 { o["date"] = String(format: "2024-%02d-15", i + 1) }
            let data = try JSONSerialization.data(withJSONObject: o, options: [.sortedKeys])
            lines.append(String(decoding: data, as: UTF8.self))
        }
        let r = try runQuarry(["index", "--index", dir + "/index", "--stdin", "-q"], stdin: lines.joined(separator: "\n") + "\n")
        guard r.status == 0 else { throw ClientError("quarry index failed (\(r.status)): \(r.stderr)") }
        return (try ServerProcess(index: dir + "/index"), dir)
    }
}

@Suite("quarry serve: date ranges")
struct ServerDateTests {
    @Test(
        "after and before keep the documents dated in the range, as quarry search --after/--before does",
        arguments: [
            (
                "&after=2024-03-01&before=2024-06-01", ["--after", "2024-03-01", "--before", "2024-06-01"],
                ["notes/02", "notes/03", "notes/04"]
            ),
            ("&after=2024-11-01", ["--after", "2024-11-01"], ["notes/10", "notes/11"]),
            ("&before=2024-02-01", ["--before", "2024-02-01"], ["notes/00"]),
        ])
    func range(params: String, options: [String], expected: [String]) throws {
        let (s, dir) = try DatedFixture.setup.get()
        let served = try #require(try s.get("/search?q=release+scheduler&limit=20\(params)").json()["results"] as? [[String: Any]])
        #expect(Set(served.compactMap { $0["id"] as? String }) == Set(expected))
        #expect(served.allSatisfy { ($0["date"] as? String)?.hasPrefix("2024-") == true })
        let cli = try runQuarry(["search", "--index", dir + "/index", "--json", "--limit", "20"] + options + ["--", "release scheduler"])
        #expect(cli.status == 0, "\(cli.stderr)")
        let local = try #require(
            (try JSONSerialization.jsonObject(with: Data(cli.stdout.utf8)) as? [String: Any])?["results"] as? [[String: Any]])
        #expect(served.map { $0["id"] as? String } == local.map { $0["id"] as? String })
    }

    @Test("a malformed or empty date range is a 400 naming the field")
    func malformed() throws {
        let (s, _) = try DatedFixture.setup.get()
        let bad = try s.get("/search?q=release&after=last+tuesday")
        #expect(bad.status == 400)
        #expect((try bad.json()["error"] as? [String: Any])?["field"] as? String == "after")
        let empty = try s.get("/search?q=release&after=2024-06-01&before=2024-05-01")
        #expect(empty.status == 400)
        #expect((try empty.json()["error"] as? [String: Any])?["field"] as? String == "after")
        let all = try #require(try s.get("/search?q=release&limit=20").json()["results"] as? [[String: Any]])
        #expect(all.count == 15)
        #expect(all.filter { $0["date"] is NSNull }.count == 3)
    }
}
