import QuarryCollection
import QuarryCore
import QuarryDocument
import QuarryIndex
import QuarryIngest
import Testing

@testable import QuarrySearch

/// The library examples of README.md and docs/QUERY.md, on Corpus/: a query tree built in
/// code answers exactly as the same query typed in the language.
@Suite("query trees in the library API")
struct QueryLibraryTests {
    static var corpus: String {
        var parts = #filePath.split(separator: "/").map(String.init)
        parts.removeLast(3)
        return "/" + parts.joined(separator: "/") + "/Corpus"
    }

    @Test("a built tree equals the parsed text, prints back to it, and ranks the same")
    func builtTree() throws {
        let dir = try temporaryDirectory("library")
        defer { try? FileSystem.removeTree(dir) }
        let writer = try IndexWriter(directory: dir)
        let sync = try CollectionSync(writer: writer)
        _ = try sync.sync(paths: [Self.corpus], format: .auto)
        try sync.commit()
        writer.close()
        let searcher = try Searcher(directory: dir)

        let built = Query.boolean([
            .init(.must, .phrase("fight or flight", slop: 0, field: nil)),
            .init(.should, .term("stress", field: nil)),
            .init(.mustNot, .term("dopamine", field: nil)),
        ])
        let parsed = try Query.parse("+\"fight or flight\" stress -dopamine")
        #expect(built == parsed)
        #expect(built.description == "+\"fight or flight\" stress -dopamine")

        let options = SearchOptions(limit: 10, explain: true)
        let fromTree = try searcher.search(try searcher.prepare(built), options: options)
        let fromText = try searcher.search("+\"fight or flight\" stress -dopamine", options: options)
        #expect(fromTree.map(\.id) == ["norepinephrine-ptsd.txt"])
        #expect(fromTree.map(\.id) == fromText.map(\.id))
        #expect(fromTree.map(\.score) == fromText.map(\.score))
        #expect(fromTree.first?.explanation?.parts.map(\.clause).contains("\"fight or flight\"") == true)

        // A stopword-only clause is ignored with a notice, not silently.
        let prepared = try searcher.prepare(
            .boolean([.init(.should, .term("the", field: nil)), .init(.should, .term("stress", field: nil))]))
        #expect(prepared.notices.map(\.code) == ["ignored-word"])
    }
}
