import Foundation
import Testing

/// Passages and highlights through the binary, on HTML with headings, tables, entities,
/// Cyrillic and accented text.
@Suite("passages and highlights end to end")
struct PassagesEndToEndTests {
    static let html = """
        <!DOCTYPE html><html><head><meta charset="utf-8"><title>Glandes &amp; hormones</title>
        <script>var hormone = "not content";</script></head><body>
        <h1>Les glandes surrénales</h1>
        <p>L&rsquo;adrénaline et la noradrénaline sont sécrétées par la médullosurrénale&nbsp;; le cortisol par le cortex.</p>
        <h2>Tableau des hormones</h2>
        <table><tr><th>Hormone</th><th>Effet</th></tr>
        <tr><td>Adrénaline</td><td>Accélère le cœur</td></tr>
        <tr><td>Cortisol</td><td>Mobilise le glucose</td></tr></table>
        <h2>Надпочечники</h2>
        <p>Надпочечники вырабатывают адреналин и кортизол. Кортизол — гормон стресса.</p>
        <ul><li>Adrénaline &mdash; réponse rapide</li><li>Cortisol &#8212; réponse lente</li></ul>
        </body></html>
        """

    static func index() throws -> String {
        let dir = try CLI.temporaryDirectory("passages")
        try write(dir + "/in/glandes.html", html)
        let r = try CLI.run(["index", "--index", dir + "/idx", "--language", "french", dir + "/in"])
        #expect(r.status == 0, "\(r.stderr)")
        return dir
    }

    @Test("passages stay inside blocks, headings start the passage they introduce")
    func blocks() throws {
        let dir = try PassagesEndToEndTests.index()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let doc = try CLI.json(try CLI.run(["show", "--index", dir + "/idx", "--json", "glandes.html"]).stdout)
        let body = Array(try #require(doc["body"] as? String).utf8)
        let blocks = try #require(doc["blocks"] as? [[String: Any]]).map {
            ($0["kind"] as? String ?? "", $0["start"] as? Int ?? -1, $0["end"] as? Int ?? -1)
        }
        let passages = try #require(doc["passages"] as? [[String: Any]]).map {
            ($0["start"] as? Int ?? -1, $0["end"] as? Int ?? -1, $0["text"] as? String ?? "")
        }
        #expect(!String(decoding: body, as: UTF8.self).contains("not content"))
        #expect(blocks.filter { $0.0 == "tableCell" }.count == 6)
        for (start, end, text) in passages {
            #expect(String(decoding: body[start..<end], as: UTF8.self) == text)
            // The blocks a passage touches: a heading, then at most one other block.
            let touched = blocks.filter { $0.1 < end && $0.2 > start }
            let nonHeadings = touched.filter { $0.0 != "heading" }
            #expect(nonHeadings.count <= 1, "passage '\(text)' crosses blocks \(touched)")
            if let first = touched.first, first.0 == "heading" { #expect(first.1 == start) }
        }
        #expect(passages.contains { $0.2.hasPrefix("Надпочечники\nНадпочечники вырабатывают") })
        #expect(passages.contains { $0.2 == "Accélère le cœur" })
    }

    @Test("highlights mark the surface words (accents, case, Cyrillic) at exact byte and character offsets")
    func highlights() throws {
        let dir = try PassagesEndToEndTests.index()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let doc = try CLI.json(try CLI.run(["show", "--index", dir + "/idx", "--json", "glandes.html"]).stdout)
        let bodyText = try #require(doc["body"] as? String)
        let body = Array(bodyText.utf8), scalars = Array(bodyText.unicodeScalars)
        for (query, expected) in [("adrenaline", ["adrénaline", "Adrénaline"]), ("КОРТИЗОЛ", ["кортизол", "Кортизол"]), ("coeur", [])] {
            let r = try CLI.run(["search", "--index", dir + "/idx", "--passages", "--json", "--limit", "10", query])
            #expect(r.status == 0)
            let results = try #require(try CLI.json(r.stdout)["results"] as? [[String: Any]])
            var words = Set<String>()
            for result in results {
                let p = try #require(result["passage"] as? [String: Any])
                for h in try #require(p["highlights"] as? [[String: Any]]) {
                    let s = try #require(h["start"] as? Int), e = try #require(h["end"] as? Int)
                    let cs = try #require(h["char_start"] as? Int), ce = try #require(h["char_end"] as? Int)
                    let word = String(decoding: body[s..<e], as: UTF8.self)
                    #expect(String(String.UnicodeScalarView(scalars[cs..<ce])) == word)
                    words.insert(word)
                }
            }
            #expect(words == Set(expected), "\(query): highlighted \(words)")
        }
    }

    @Test("markdown output bolds the highlights; JSON lines carry the qid")
    func formats() throws {
        let dir = try PassagesEndToEndTests.index()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let md = try CLI.run(["search", "--index", dir + "/idx", "--passages", "--format", "markdown", "--limit", "1", "cortisol"])
        #expect(md.stdout.contains("**Cortisol**") || md.stdout.contains("**cortisol**"), "\(md.stdout)")
        try write(dir + "/q.tsv", "a\tcortisol\nb\tadrénaline\n")
        let jl = try CLI.run([
            "search", "--index", dir + "/idx", "--queries", dir + "/q.tsv", "--format", "jsonl", "--passages", "--limit", "2",
        ])
        let lines = jl.lines
        #expect(lines.count == 2)
        #expect(try CLI.json(lines[0])["qid"] as? String == "a")
        #expect(try CLI.json(lines[1])["mode"] as? String == "passages")
    }
}
