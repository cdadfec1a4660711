import Dispatch
import Foundation
import Quarry
import Synchronization
import Testing

/// The library as a program that imports only `Quarry` uses it.
@Suite("The Quarry façade")
struct FacadeTests {
    static var corpus: String {
        var parts = #filePath.split(separator: "/").map(String.init)
        parts.removeLast(3)
        return "/" + parts.joined(separator: "/") + "/Corpus"
    }

    func temporaryIndex(_ name: String) -> String {
        "/tmp/quarry-facade-\(ProcessInfo.processInfo.processIdentifier)-\(name)-\(UInt32.random(in: 0...UInt32.max))"
    }

    func documents(_ n: Int) -> [Article] {
        (0..<n).map { i in
            let body =
                "Document \(i) talks about adrenaline" + (i % 3 == 0 ? " and sleep" : "") + String(repeating: " stress", count: i % 5)
            return Article(
                id: "d\(i)", path: "mem/d\(i)", title: "Title \(i)", body: body,
                blocks: [TextBlock(start: 0, end: body.utf8.count, kind: .paragraph)])
        }
    }

    @Test("index, sync, search, passages, document and stats through the façade")
    func roundTrip() throws {
        let dir = temporaryIndex("round")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let writer = try IndexWriter(directory: dir)
        let report = try writer.sync([Self.corpus])
        #expect(report.added == 6 && report.skipped == 0)
        let added = try writer.add(documents(3))
        #expect(added.added == 3)
        let commit = try writer.commit()
        #expect(commit.documents == 9)
        writer.close()

        let index = try Index.open(dir)
        let stats = try index.stats()
        #expect(stats.documents == 9 && stats.generation == commit.generation)
        #expect(index.check().ok)
        let searcher = try index.searcher()
        let hits = try searcher.search("norepinephrine deficiency", options: SearchOptions(limit: 3))
        #expect(hits.first?.id == "norepinephrine-deficiency.txt")
        #expect(hits.first?.passages.isEmpty == false)
        let passages = try searcher.passages("fight or flight", options: SearchOptions(limit: 2))
        #expect(!passages.isEmpty)
        let stored = try searcher.document(id: "d1")
        #expect(stored.title == "Title 1")
        let prepared = try searcher.prepare("adrenaline sleep")
        let explained = try #require(try searcher.explain(prepared, id: "d0"))
        #expect(abs(explained.parts.reduce(0) { $0 + $1.score } - explained.score) < 1e-9)
        let ranked = try searcher.rank(prepared, options: SearchOptions(limit: 10))
        #expect(ranked.first(where: { $0.id == "d0" }).map { abs($0.score - explained.score) < 1e-9 } == true)
    }

    @Test("offset paging is exact: page 2 of 10 is results 11 to 20 of a limit-20 search")
    func paging() throws {
        let dir = temporaryIndex("paging")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let writer = try IndexWriter(directory: dir)
        _ = try writer.add(documents(60))
        try writer.commit()
        writer.close()
        let searcher = try Searcher(directory: dir)
        let prepared = try searcher.prepare("adrenaline sleep stress")
        let twenty = try searcher.rank(prepared, options: SearchOptions(limit: 20))
        let second = try searcher.rank(prepared, options: SearchOptions(limit: 10, offset: 10))
        #expect(twenty.count == 20)
        #expect(second.map(\.id) == twenty[10..<20].map(\.id))
        let documents = try searcher.search(prepared, options: SearchOptions(limit: 10, offset: 10, snippets: 0))
        #expect(documents.map(\.id) == second.map(\.id))
        #expect(documents.map(\.rank) == Array(11...20))
        let passages20 = try searcher.passages(prepared, options: SearchOptions(limit: 20))
        let passagesPage2 = try searcher.passages(prepared, options: SearchOptions(limit: 10, offset: 10))
        #expect(passagesPage2.map(\.id) == passages20[10..<20].map(\.id))
        #expect(try searcher.rank(prepared, options: SearchOptions(limit: 10, offset: 1000)).isEmpty)
    }

    @Test("errors are QuarryError cases a caller can switch on")
    func errors() throws {
        let missing = temporaryIndex("missing")
        #expect(throws: QuarryError.noIndex(path: missing)) { _ = try Index.open(missing) }
        #expect(throws: QuarryError.noIndex(path: missing)) { _ = try Searcher(directory: missing) }
        let dir = temporaryIndex("errors")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let writer = try IndexWriter(directory: dir)
        _ = try writer.add(documents(3))
        try writer.commit()
        #expect(throws: QuarryError.self) { _ = try IndexWriter(directory: dir) }  // locked by this process's writer
        writer.close()
        let searcher = try Searcher(directory: dir)
        #expect(throws: QuarryError.invalidQuery(column: 1, message: "a query cannot only exclude; add something to search for")) {
            _ = try searcher.prepare("-adrenaline")
        }
        #expect(throws: QuarryError.unknownDocument(id: "nope")) { _ = try searcher.document(id: "nope") }
        do {
            _ = try searcher.search("adrenaline", options: SearchOptions(limit: -1))
            Issue.record("a negative limit was accepted")
        } catch .invalidArgument {
        } catch {
            Issue.record("unexpected \(error)")
        }
        // A prepared query belongs to the snapshot it was prepared against.
        let other = try Searcher(directory: dir)
        let prepared = try other.prepare("adrenaline")
        #expect(throws: QuarryError.self) { _ = try searcher.rank(prepared) }
    }

    @Test("one searcher shared by many threads gives every thread the same answers")
    func concurrentSearches() throws {
        let dir = temporaryIndex("concurrent")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let writer = try IndexWriter(directory: dir)
        _ = try writer.add(documents(200))
        try writer.commit()
        writer.close()
        let searcher = try Searcher(directory: dir)
        let queries = ["adrenaline", "sleep stress", "document talks", "stress", "title 7"]
        let expected = try queries.map { try searcher.search($0, options: SearchOptions(limit: 5)) }
        let mismatches = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 64) { i in
            let q = i % queries.count
            let got = try? searcher.search(queries[q], options: SearchOptions(limit: 5))
            if got != expected[q] { mismatches.add(1, ordering: .relaxed) }
        }
        #expect(mismatches.load(ordering: .relaxed) == 0)
    }

    @Test("async search runs off the caller's executor and answers like the synchronous one")
    func asyncSearch() async throws {
        let dir = temporaryIndex("async")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let writer = try IndexWriter(directory: dir)
        _ = try writer.add(documents(20))
        try writer.commit()
        writer.close()
        let searcher = try Searcher(directory: dir)
        let prepared = try searcher.prepare("sleep")
        let blocking = { () throws -> [DocumentResult] in try searcher.search(prepared) }
        let sync = try blocking()
        let async: [DocumentResult] = try await searcher.search(prepared)
        #expect(sync == async)
        #expect(try searcher.refreshed() === searcher)
    }
}
