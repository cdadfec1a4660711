import Foundation
import Testing

/// `quarry search` options for paging, folders, snippets and the terminal: -n, --offset,
/// --under, --snippet-words, --color, -q.
@Suite("search options: -n, --offset, --under, --snippet-words, --color, -q")
struct SearchOptionsEndToEndTests {
    /// An index with documents in folders (ids are paths relative to the indexed directory).
    static let index: String = {
        let dir = CLI.suiteDirectory("options")
        let src = dir + "/src"
        for i in 0..<24 {
            let folder = i % 3 == 0 ? "api" : i % 3 == 1 ? "guide" : "misc"
            let words = (0..<(40 + i)).map { "w\(($0 * 5 + i) % 30)" }.joined(separator: " ")
            try? write(
                "\(src)/\(folder)/doc\(String(format: "%02d", i)).txt",
                "Note \(i)\n\nThe csrf token check \(words). Tokens again: csrf and more \(words).\n")
        }
        _ = try? CLI.run(["index", "--index", dir + "/idx", src])
        return dir + "/idx"
    }()

    func results(_ args: [String]) throws -> [[String: Any]] {
        let r = try CLI.run(["search", "--index", Self.index, "--json"] + args)
        #expect(r.status == 0, "\(args): \(r.stderr)")
        return try #require(try CLI.json(r.stdout)["results"] as? [[String: Any]])
    }

    @Test("-n N is --limit N; the word n is no longer silently excluded")
    func shortLimit() throws {
        let short = try results(["-n", "3", "csrf"]).compactMap { $0["id"] as? String }
        let long = try results(["--limit", "3", "csrf"]).compactMap { $0["id"] as? String }
        #expect(short.count == 3)
        #expect(short == long)
        let r = try CLI.run(["search", "--index", Self.index, "--json", "-n", "3", "csrf"])
        #expect(try CLI.json(r.stdout)["query"] as? String == "csrf")
    }

    @Test("--limit 0 is a usage error")
    func zeroLimit() throws {
        let r = try CLI.run(["search", "--index", Self.index, "--limit", "0", "csrf"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--limit must be 1 or more"))
    }

    @Test("--offset pages exactly: --offset 5 -n 5 is results 6–10 of -n 10", arguments: [[], ["--passages"]])
    func offset(mode: [String]) throws {
        func key(_ r: [String: Any]) -> String { "\(r["id"] ?? "")#\((r["passage"] as? [String: Any])?["index"] ?? "")" }
        let ten = try results(mode + ["-n", "10", "csrf token w3"]).map(key)
        let page = try results(mode + ["-n", "5", "--offset", "5", "csrf token w3"])
        #expect(page.map(key) == Array(ten.dropFirst(5)))
        #expect(page.map { $0["rank"] as? Int } == [6, 7, 8, 9, 10])
    }

    @Test("--under keeps one folder: exactly its matching documents")
    func under() throws {
        let ids = try results(["-n", "100", "--under", "api/", "csrf"]).compactMap { $0["id"] as? String }
        #expect(ids.count == 8)
        #expect(ids.allSatisfy { $0.hasPrefix("api/") })
        let passages = try results(["--passages", "-n", "100", "--under", "guide/", "csrf"]).compactMap { $0["id"] as? String }
        #expect(!passages.isEmpty && passages.allSatisfy { $0.hasPrefix("guide/") })
        #expect(try results(["--under", "nowhere/", "csrf"]).isEmpty)
    }

    @Test("snippets are cropped to --snippet-words with … where cut; JSON keeps the whole passage")
    func crops() throws {
        let r = try CLI.run([
            "search", "--index", Self.index, "-n", "2", "--snippets", "1", "--snippet-words", "6", "--color", "never", "csrf",
        ])
        #expect(r.status == 0)
        let snippetLines = r.stdout.split(separator: "\n").filter { $0.hasPrefix("   ") }
        #expect(!snippetLines.isEmpty)
        for line in snippetLines {
            let words = line.split(separator: " ")
            #expect(words.count <= 6, "\(line)")
            #expect(line.contains("…"))
        }
        let json = try results(["-n", "1", "--snippets", "1", "--snippet-words", "6", "csrf"])
        let passage = try #require((json.first?["passages"] as? [[String: Any]])?.first)
        let snippet = try #require(passage["snippet"] as? [String: Any])
        #expect(
            (snippet["end"] as? Int ?? 0) - (snippet["start"] as? Int ?? 0) < (passage["end"] as? Int ?? 0)
                - (passage["start"] as? Int ?? 0))
        let whole = try results(["-n", "1", "--snippets", "1", "--snippet-words", "0", "csrf"])
        #expect(((whole.first?["passages"] as? [[String: Any]])?.first?["snippet"]) == nil)
    }

    @Test("--color always styles the highlights even in a pipe; never and auto (not a terminal) do not")
    func color() throws {
        let always = try CLI.run(["search", "--index", Self.index, "-n", "1", "--color", "always", "csrf"])
        #expect(always.stdout.contains("\u{1B}[1;33m"))
        for choice in ["never", "auto"] {
            let plain = try CLI.run(["search", "--index", Self.index, "-n", "1", "--color", choice, "csrf"])
            #expect(!plain.stdout.contains("\u{1B}["), "\(choice)")
        }
        #expect(try CLI.run(["search", "--index", Self.index, "--color", "sometimes", "csrf"]).status == 2)
    }

    @Test("-q silences the notes about ignored words")
    func quiet() throws {
        let noisy = try CLI.run(["search", "--index", Self.index, "the", "csrf"])
        #expect(noisy.stderr.contains("'the' was ignored"))
        let quiet = try CLI.run(["search", "--index", Self.index, "-q", "the", "csrf"])
        #expect(quiet.status == 0)
        #expect(quiet.stderr.isEmpty)
        #expect(quiet.stdout == noisy.stdout)
    }
}
