import Foundation
import QuarryAnalysis
import Testing

/// The query language through the real binary on Corpus/, each construct checked against
/// the stored text of every document: the results must be exactly the documents that the
/// construct's definition (docs/QUERY.md) selects, analysed here with the index's analyzer.
@Suite("query language on Corpus/, checked against the stored text")
struct QueryEndToEndTests {
    struct Document {
        var title: [Token]
        var body: [Token]
        var terms: Set<String> { Set((title + body).map(\.term)) }
    }

    static let index: String = {
        let dir = CLI.suiteDirectory("query")
        _ = try? CLI.run(["index", "--index", dir, CLI.corpus])
        return dir
    }()

    /// Every document of the index, analysed from its stored text as `quarry show` gives it.
    static let documents: [String: Document] = {
        guard let analyzer = try? Analyzer(settings: AnalyzerSettings()),
            let ids = try? FileManager.default.contentsOfDirectory(atPath: CLI.corpus)
        else { return [:] }
        var docs: [String: Document] = [:]
        for id in ids {
            guard let r = try? CLI.run(["show", "--index", index, "--json", id]),
                let json = try? CLI.json(r.stdout),
                let title = json["title"] as? String, let body = json["body"] as? String
            else { continue }
            docs[id] = Document(title: analyzer.tokens(title), body: analyzer.tokens(body))
        }
        return docs
    }()

    static func analysed(_ text: String) throws -> [String] {
        try Analyzer(settings: AnalyzerSettings()).tokens(text).map(\.term)
    }

    /// The ids a query returns (all of them: the corpus is smaller than the limit).
    func ids(_ query: String, _ options: [String] = []) throws -> Set<String> {
        let r = try CLI.run(["search", "--index", Self.index, "--json", "--limit", "100", "--snippets", "0"] + options + [query])
        #expect(r.status == 0, "\(query): \(r.stderr)")
        let results = try #require(try CLI.json(r.stdout)["results"] as? [[String: Any]])
        return Set(results.compactMap { $0["id"] as? String })
    }

    func expected(_ where: (Document) -> Bool) -> Set<String> {
        Set(Self.documents.filter { `where`($0.value) }.keys)
    }

    /// Whether the words occur in one field in this order, each within `slop` of where the
    /// phrase puts it (spread ≤ slop), at distinct positions.
    static func contains(_ tokens: [Token], phrase: [String], slop: Int) -> Bool {
        var positions: [String: [Int]] = [:]
        for t in tokens { positions[t.term, default: []].append(t.position) }
        func search(_ i: Int, _ used: [Int]) -> Bool {
            if i == phrase.count {
                let shifted = used.enumerated().map { $0.element - $0.offset }
                return (shifted.max() ?? 0) - (shifted.min() ?? 0) <= slop
            }
            for p in positions[phrase[i]] ?? [] where !used.contains(p) {
                if search(i + 1, used + [p]) { return true }
            }
            return false
        }
        return search(0, [])
    }

    @Test func corpusIsReadable() {
        #expect(Self.documents.count == 6, "quarry show must give every Corpus/ document")
    }

    @Test(
        "every result of a phrase contains the phrase after analysis, and every document with it is a result",
        arguments: [("\"fight or flight\"", 0), ("\"adrenal glands\"", 0), ("\"glands adrenal\"~2", 2), ("\"norepinephrine levels\"~3", 3)])
    func phrase(query: String, slop: Int) throws {
        let inner = String(query.split(separator: "\"")[0])
        let words = try Self.analysed(inner)
        let want = expected { Self.contains($0.title, phrase: words, slop: slop) || Self.contains($0.body, phrase: words, slop: slop) }
        #expect(!want.isEmpty, "\(query) must match something to be a test")
        #expect(try ids(query) == want, "\(query)")
    }

    @Test("-x: no result contains x; every document with the positive word and without x is a result")
    func exclusion() throws {
        let want = expected { $0.terms.contains("norepinephrin") && !$0.terms.contains("dopamin") }
        #expect(!want.isEmpty && want.count < expected { $0.terms.contains("norepinephrin") }.count)
        #expect(try ids("norepinephrine -dopamine") == want)
        #expect(try ids("norepinephrine NOT dopamine") == want)
    }

    @Test("+required and AND: results hold every required word", arguments: ["+sleep +dopamine", "sleep AND dopamine", "+sleep dopamine"])
    func required(query: String) throws {
        let both = expected { $0.terms.contains("sleep") && $0.terms.contains("dopamin") }
        let sleep = expected { $0.terms.contains("sleep") }
        #expect(try ids(query) == (query == "+sleep dopamine" ? sleep : both), "\(query)")
        #expect(try ids("sleep dopamine", ["--all"]) == both)
    }

    @Test("title:word matches the title only")
    func titleField() throws {
        let want = expected { $0.title.contains { $0.term == "sleep" } }
        #expect(want.count < expected { $0.terms.contains("sleep") }.count, "some body mentions sleep")
        #expect(try ids("title:sleep") == want)
    }

    @Test("a prefix returns exactly the documents holding a term it expands to", arguments: ["norepi*", "hormon*", "sero*", "glymph*"])
    func prefix(query: String) throws {
        let prefix = String(query.dropLast())
        let vocabulary = Self.documents.values.reduce(into: Set<String>()) { $0.formUnion($1.terms) }
        let expansions = vocabulary.filter { $0.hasPrefix(prefix) }
        #expect(!expansions.isEmpty)
        #expect(try ids(query) == expected { !$0.terms.isDisjoint(with: expansions) }, "\(query) → \(expansions.sorted())")
    }

    @Test(
        "a fuzzy word returns exactly the documents holding a term within its edits",
        arguments: [("dopamin~1", 1), ("serotonine~2", 2), ("norepinefrine~2", 2), ("slep~1", 1)])
    func fuzzy(query: String, edits: Int) throws {
        let word = try #require(try Self.analysed(String(query.split(separator: "~")[0])).first)
        let vocabulary = Self.documents.values.reduce(into: Set<String>()) { $0.formUnion($1.terms) }
        let expansions = vocabulary.filter { osa(Array($0.unicodeScalars), Array(word.unicodeScalars)) <= edits }
        #expect(!expansions.isEmpty, "\(query)")
        #expect(try ids(query) == expected { !$0.terms.isDisjoint(with: expansions) }, "\(query) → \(expansions.sorted())")
    }

    @Test("a capped expansion is reported as a notice, not silent")
    func cappedExpansion() throws {
        let r = try CLI.run(["search", "--index", Self.index, "--json", "--max-expansions", "1", "s*"])
        #expect(r.status == 0)
        let notices = try #require(try CLI.json(r.stdout)["notices"] as? [[String: Any]])
        #expect(notices.contains { $0["code"] as? String == "expansions-capped" }, "\(r.stdout)")
        let text = try CLI.run(["search", "--index", Self.index, "--max-expansions", "1", "s*"])
        #expect(text.stderr.contains("searched the 1 most frequent"), "\(text.stderr)")
    }

    @Test(
        "a malformed query names the column, shows where, exits 2",
        arguments: [
            ("kernel \"grace period", 8, "unclosed quote"), ("a (b c", 3, "unclosed '('"), ("-draft", 1, "a query cannot only exclude"),
            ("optim*ize", 6, "only a trailing * is supported"), ("word^0", 6, "boost must be a positive number"),
        ])
    func malformed(query: String, column: Int, message: String) throws {
        let r = try CLI.run(["search", "--index", Self.index, query])
        #expect(r.status == 2)
        #expect(r.stderr.contains("quarry: query error at column \(column): \(message)"), "\(r.stderr)")
        #expect(r.stderr.contains("\n  " + String(repeating: " ", count: column - 1) + "^"), "a caret under the column: \(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test(
        "--explain parts add up to every score to 1e-6",
        arguments: [
            "norepinephrine deficiency symptoms", "\"fight or flight\"~1 stress^2", "title:sleep OR body:dopamin~1", "+hormon* -dopamine",
        ])
    func explain(query: String) throws {
        for scoring in ["flat", "fields", "bm25f"] {
            let r = try CLI.run(["search", "--index", Self.index, "--json", "--explain", "--scoring", scoring, "--limit", "100", query])
            #expect(r.status == 0, "\(r.stderr)")
            let results = try #require(try CLI.json(r.stdout)["results"] as? [[String: Any]])
            #expect(!results.isEmpty, "\(query)")
            for result in results {
                let score = try #require(result["score"] as? Double)
                let explanation = try #require(result["explanation"] as? [String: Any])
                let parts = try #require(explanation["parts"] as? [[String: Any]])
                let sum = parts.reduce(0.0) { $0 + (($1["score"] as? Double) ?? .nan) }
                #expect(abs(sum - score) <= 1e-6, "\(query) \(scoring): parts \(sum), score \(score)")
                for part in parts {
                    let values = ["boost", "idf", "tf", "k1", "length_norm", "score"].map { part[$0] as? Double ?? .nan }
                    let recomputed = values[0] * values[1] * values[2] / (values[2] + values[3] * values[4])
                    #expect(abs(recomputed - values[5]) <= 1e-9, "\(part)")
                }
            }
        }
    }

    @Test("--explain in text shows the parts under each result")
    func explainText() throws {
        let r = try CLI.run(["search", "--index", Self.index, "--explain", "--limit", "1", "dopamine"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("idf") && r.stdout.contains("tf") && r.stdout.contains("dopamin"), "\(r.stdout)")
    }
}

/// Optimal string alignment distance, written out plainly for the test.
func osa(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
    var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { d[i][0] = i }
    for j in 0...b.count { d[0][j] = j }
    for i in 1...a.count {
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
            }
        }
    }
    return d[a.count][b.count]
}
