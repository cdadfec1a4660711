import Foundation
import Quarry
import Testing

/// `Searcher.refreshed()` shares the segments that did not change with the old snapshot;
/// whatever the writes in between (adds, replacements, deletions, merges), the refreshed
/// searcher answers exactly as a searcher opened afresh on the same commit.
@Suite("Refreshed searchers")
struct RefreshTests {
    func article(_ id: String, _ round: Int) -> Article {
        let words = ["adrenaline", "sleep", "stress", "cortex", "memory", "zebra", "quartz"]
        let body = (0..<(8 + round % 5)).map { words[($0 * 3 + round + id.count) % words.count] }.joined(separator: " ") + " round\(round)."
        return Article(
            id: id, path: id, title: "T \(id)", body: body, blocks: [TextBlock(start: 0, end: body.utf8.count, kind: .paragraph)])
    }

    @Test("after adds, replacements, deletions and merges, refreshed equals fresh")
    func refreshedEqualsFresh() throws {
        let dir = "/tmp/quarry-refresh-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try IndexWriter(directory: dir)
        _ = try first.add((0..<40).map { article("a\($0)", 0) })
        try first.commit()
        first.close()
        var searcher = try Searcher(directory: dir)
        let queries = ["adrenaline sleep", "zebra", "\"stress cortex\"", "round3 OR round5", "memory -quartz"]
        for round in 1...8 {
            let writer = try IndexWriter(directory: dir)
            _ = try writer.add((0..<6).map { article("r\(round)-\($0)", round) })  // new
            _ = try writer.add([article("a\(round * 3)", round)])  // replaces
            _ = try writer.delete(ids: ["a\(round * 3 + 1)", "r\(round - 1)-2"])  // deletes
            try writer.commit()
            if round % 3 == 0 { try writer.merge(maxSegments: 2) }
            writer.close()
            let old = searcher
            searcher = try searcher.refreshed()
            #expect(searcher !== old)
            #expect(try searcher.refreshed() === searcher)
            let fresh = try Searcher(directory: dir)
            #expect(searcher.generation == fresh.generation)
            #expect(searcher.documentCount == fresh.documentCount)
            for q in queries {
                let options = SearchOptions(limit: 100, snippets: 2, explain: true)
                #expect(try searcher.search(q, options: options) == fresh.search(q, options: options), "round \(round) '\(q)'")
                #expect(try searcher.passages(q, options: options) == fresh.passages(q, options: options), "round \(round) '\(q)' passages")
            }
            // The old snapshot still answers, as of its own commit.
            _ = try old.search("zebra")
        }
    }
}
