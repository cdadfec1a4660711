import Foundation
import Testing

/// Requests a hostile but fair user sends: huge limits, huge boosts. Each gets an answer or a
/// clear error, never a crash, and JSON scores are always numbers.
@Suite("hostile search requests")
struct HostileQueryEndToEndTests {
    static let index: String = {
        let dir = CLI.suiteDirectory("hostile-queries")
        _ = try? CLI.run(["index", "--index", dir, CLI.corpus])
        return dir
    }()

    @Test("a limit far above the document count answers with what there is", arguments: ["2147483648", "9223372036854775807"])
    func hugeLimit(limit: String) throws {
        for extra in [[], ["--passages"], ["--json"]] {
            let r = try CLI.run(["search", "--index", Self.index, "--limit", limit] + extra + ["dopamine"])
            #expect(r.status == 0, "\(extra): \(r.stderr)")
            #expect(r.stdout.contains("dopamine"))
        }
    }

    @Test("a boost that would overflow a score is an error (exit 2); the largest allowed boosts keep scores numbers")
    func hugeBoosts() throws {
        let r = try CLI.run(["search", "--index", Self.index, "--json", "abc^1e308 abc^1e308"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("at most 10000"), "\(r.stderr)")
        let max = String(repeating: "dopamine^10000 ", count: 200)
        let ok = try CLI.run([
            "search", "--index", Self.index, "--json", "--scoring", "fields", "--title-weight", "10000", "--explain", max,
        ])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(!ok.stdout.contains("null,") && !ok.stdout.contains("\"score\":null"), "\(ok.stdout.prefix(400))")
        let json = try CLI.json(ok.stdout)
        let results = try #require(json["results"] as? [[String: Any]])
        #expect(!results.isEmpty)
        for result in results { #expect((result["score"] as? Double)?.isFinite == true) }
        let nested = "((((dopamine^10000)^10000)^10000)^10000)"
        let n = try CLI.run(["search", "--index", Self.index, nested])
        #expect(n.status == 2, "\(n.stdout)")
        #expect(n.stderr.contains("10^12"), "\(n.stderr)")
    }
}

@Suite("one enormous document")
struct LargeDocumentEndToEndTests {
    @Test("a document over --max-document-mb is cut there with a warning; results stay small; passages find it")
    func cutDocument() throws {
        let dir = try CLI.temporaryDirectory("large-doc")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // 2.4 MB on one line: "needle" early, "haystackend" only past the first MiB.
        var text = "needle " + String(repeating: "alpha beta gamma delta ", count: 100_000)
        text += "haystackend"
        try write(dir + "/src/one-line.txt", text)
        let r = try CLI.run(["index", "--index", dir + "/idx", "--max-document-mb", "1", dir + "/src"])
        #expect(r.status == 0)
        #expect(r.stderr.contains("was cut to the first"), "\(r.stderr)")
        #expect(r.stderr.contains("one-line.txt"))
        let found = try CLI.run(["search", "--index", dir + "/idx", "needle"])
        #expect(found.status == 0 && found.stdout.contains("one-line.txt"))
        #expect(found.stdout.utf8.count < 8192, "\(found.stdout.utf8.count) bytes printed")
        let passages = try CLI.run(["search", "--index", dir + "/idx", "--passages", "needle"])
        #expect(passages.stdout.contains("needle"), "\(passages.stdout.prefix(300))")
        let gone = try CLI.run(["search", "--index", dir + "/idx", "haystackend"])
        #expect(gone.stdout.contains("no documents match"))
        let show = try CLI.run(["show", "--index", dir + "/idx", "--json", "one-line.txt"])
        let body = try #require(try CLI.json(show.stdout)["body"] as? String)
        #expect(body.utf8.count <= 1 << 20)
    }
}
