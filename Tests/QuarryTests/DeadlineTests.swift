import Foundation
import Quarry
import Testing

/// A search given a deadline stops when it has passed and says so (`deadlineExceeded`), in
/// every phase that can take long; a deadline that has not passed changes nothing.
@Suite("search deadlines")
struct DeadlineTests {
    static let directory: String = {
        let dir = "/tmp/quarry-deadline-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        do {
            let writer = try IndexWriter(directory: dir)
            let articles = (0..<300).map { i -> Article in
                let body =
                    "Adrenaline and stress number \(i). " + (i % 2 == 0 ? "Fight or flight response. " : "Sleep and memory. ")
                    + String(repeating: "cortisol ", count: i % 7)
                return Article(
                    id: "d\(i)", path: "mem/d\(i)", title: "Note \(i)", body: body,
                    blocks: [TextBlock(start: 0, end: body.utf8.count, kind: .paragraph)])
            }
            _ = try writer.add(articles)
            try writer.commit()
            writer.close()
        } catch {
            Issue.record("cannot build the test index: \(error)")
        }
        return dir
    }()

    static let queries = ["stress sleep", "\"fight or flight\"", "+stress -sleep cortisol", "adren* strss~1", "title:note"]

    func isDeadline(_ error: QuarryError) -> Bool {
        if case .deadlineExceeded = error { return true }
        return false
    }

    /// Runs `body`, which must throw `deadlineExceeded`.
    func expectDeadline(_ what: String, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("\(what): a search past its deadline returned results")
        } catch {
            let e = error as? QuarryError
            #expect(e.map(isDeadline) == true, "\(what): \(error)")
            #expect("\(error)".contains("deadline"), "\(what): \(error)")
        }
    }

    @Test("a deadline that has passed stops preparing, ranking, searching and passages", arguments: queries)
    func passed(query: String) throws {
        let searcher = try Searcher(directory: Self.directory)
        let past = ContinuousClock.now - .seconds(1)
        // Preparing (expansions) with a deadline of its own.
        expectDeadline("prepare \(query)") { _ = try searcher.prepare(query, options: QueryOptions(deadline: past)) }
        // Running a query prepared without one.
        let prepared = try searcher.prepare(query)
        let late = SearchOptions(deadline: past)
        expectDeadline("search \(query)") { _ = try searcher.search(prepared, options: late) }
        expectDeadline("passages \(query)") { _ = try searcher.passages(prepared, options: late) }
        expectDeadline("rank \(query)") { _ = try searcher.rank(prepared, options: late) }
        // The text forms bound preparing with the search's deadline.
        expectDeadline("search text \(query)") { _ = try searcher.search(query, options: late) }
    }

    @Test("a deadline in the future gives exactly the results of no deadline", arguments: queries)
    func future(query: String) throws {
        let searcher = try Searcher(directory: Self.directory)
        let later = ContinuousClock.now + .seconds(3600)
        let free = try searcher.search(query, options: SearchOptions(limit: 20))
        let bounded = try searcher.search(query, query: QueryOptions(deadline: later), options: SearchOptions(limit: 20, deadline: later))
        #expect(free == bounded)
        #expect(!free.isEmpty)
        let p1 = try searcher.passages(query, options: SearchOptions(limit: 5))
        let p2 = try searcher.passages(query, options: SearchOptions(limit: 5, deadline: later))
        #expect(p1 == p2)
    }
}
