import Foundation
import Testing

/// The README's searches, run with the real binary on Corpus/.
@Suite("quarry on Corpus/")
struct CorpusEndToEndTests {
    /// One index of Corpus/ for the suite.
    static let index: String = {
        let dir = CLI.suiteDirectory("corpus")
        _ = try? CLI.run(["index", "--index", dir, CLI.corpus])
        return dir
    }()

    @Test("indexing Corpus/ reports what it did and exits 0")
    func indexing() throws {
        let dir = try CLI.temporaryDirectory("index")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try CLI.run(["index", "--index", dir, CLI.corpus])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("6 added, 0 updated, 0 deleted, 0 unchanged, 0 skipped"))
        #expect(r.stdout.contains("the index holds 6 documents"))
        // Running it again changes nothing.
        let again = try CLI.run(["index", "--index", dir, CLI.corpus])
        #expect(again.stdout.contains("0 added, 0 updated, 0 deleted, 6 unchanged"), "\(again.stdout)")
    }

    @Test("\"norepinephrine deficiency symptoms\" ranks the deficiency article first")
    func deficiency() throws {
        let r = try CLI.run(["search", "--index", CorpusEndToEndTests.index, "norepinephrine", "deficiency", "symptoms"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.lines.first?.hasPrefix("1. ") == true)
        #expect(r.lines.first?.contains("norepinephrine-deficiency.txt") == true, "\(r.stdout)")
        #expect(!r.stdout.contains("\u{1B}["), "no colour when stdout is not a terminal")
    }

    @Test(
        "a Cyrillic word finds the article it is in",
        arguments: [
            ("Содержание", "norepinephrine-deficiency.txt"), ("СОДЕРЖАНИЕ", "norepinephrine-deficiency.txt"),
            ("надпочечники", "adrenal-glands-ru.html"),
        ])
    func cyrillic(word: String, id: String) throws {
        let r = try CLI.run(["search", "--index", CorpusEndToEndTests.index, "--json", word])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try CLI.json(r.stdout)
        let results = try #require(json["results"] as? [[String: Any]])
        #expect(results.first?["id"] as? String == id, "\(r.stdout)")
    }

    @Test("--json follows the documented schema and its offsets point at the highlighted words")
    func jsonContract() throws {
        let r = try CLI.run(["search", "--index", CorpusEndToEndTests.index, "--json", "--limit", "3", "norepinephrine deficiency"])
        #expect(r.status == 0)
        let json = try CLI.json(r.stdout)
        #expect(json["schema"] as? String == "quarry.search/1")
        #expect(json["mode"] as? String == "documents")
        let results = try #require(json["results"] as? [[String: Any]])
        #expect(results.count == 3)
        for (i, result) in results.enumerated() {
            #expect(result["rank"] as? Int == i + 1)
            let id = try #require(result["id"] as? String)
            let shown = try CLI.json(try CLI.run(["show", "--index", CorpusEndToEndTests.index, "--json", id]).stdout)
            let body = Array(try #require(shown["body"] as? String).utf8)
            let scalars = Array(try #require(shown["body"] as? String).unicodeScalars)
            for passage in try #require(result["passages"] as? [[String: Any]]) {
                let start = try #require(passage["start"] as? Int), end = try #require(passage["end"] as? Int)
                #expect(String(decoding: body[start..<end], as: UTF8.self) == passage["text"] as? String)
                for h in try #require(passage["highlights"] as? [[String: Any]]) {
                    let s = try #require(h["start"] as? Int), e = try #require(h["end"] as? Int)
                    let word = String(decoding: body[s..<e], as: UTF8.self).lowercased()
                    #expect(word.hasPrefix("norepinephrin") || word.hasPrefix("defici"), "highlighted '\(word)'")
                    let cs = try #require(h["char_start"] as? Int), ce = try #require(h["char_end"] as? Int)
                    #expect(String(String.UnicodeScalarView(scalars[cs..<ce])).lowercased() == word)
                }
            }
        }
    }

    @Test("batch mode prints TREC run lines: qid Q0 docid rank score tag")
    func trec() throws {
        let dir = try CLI.temporaryDirectory("trec")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write(dir + "/q.tsv", "q1\tnorepinephrine deficiency\nq2\tdopamine, (the) molecule!\n\nq3\tzzzunknownword\n")
        let r = try CLI.run([
            "search", "--index", CorpusEndToEndTests.index, "--queries", dir + "/q.tsv", "--format", "trec", "--limit", "2",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = r.lines.map { $0.split(separator: " ").map(String.init) }
        #expect(rows.count == 4)
        #expect(rows.allSatisfy { $0.count == 6 && $0[1] == "Q0" && $0[5] == "quarry" && Double($0[4]) != nil })
        #expect(rows.map { $0[0] } == ["q1", "q1", "q2", "q2"])
        #expect(rows.map { $0[3] } == ["1", "2", "1", "2"])
        #expect(rows[0][2] == "norepinephrine-deficiency.txt")
        #expect(rows[2][2] == "dopamine.html")
    }

    @Test("--passages ranks passages with offsets; show prints the stored document")
    func passagesAndShow() throws {
        let r = try CLI.run([
            "search", "--index", CorpusEndToEndTests.index, "--passages", "--json", "--limit", "5", "fight or flight response",
        ])
        let json = try CLI.json(r.stdout)
        #expect(json["mode"] as? String == "passages")
        let results = try #require(json["results"] as? [[String: Any]])
        #expect(results.count == 5)
        let scores = results.compactMap { $0["score"] as? Double }
        #expect(scores == scores.sorted(by: >))
        let show = try CLI.run(["show", "--index", CorpusEndToEndTests.index, "dopamine.html"])
        #expect(show.status == 0)
        #expect(show.stdout.contains("Dopamine"))
        #expect(!show.stdout.contains("trackPageView"), "script text is not part of the document")
    }

    @Test("stats describes the index")
    func stats() throws {
        let r = try CLI.run(["stats", "--index", CorpusEndToEndTests.index])
        #expect(r.status == 0)
        #expect(r.stdout.contains("documents   6"))
        #expect(r.stdout.contains("english stemmer"))
        let j = try CLI.json(try CLI.run(["stats", "--index", CorpusEndToEndTests.index, "--json"]).stdout)
        #expect(j["documents"] as? Int == 6)
        #expect(j["schema"] as? String == "quarry.stats/1")
    }
}
