import QuarryAnalysis
import QuarryCore
import QuarryDocument
import QuarryIndex
import Testing

@testable import QuarrySearch

/// A date range (`SearchOptions.after`, `.before`) gives exactly the top k of the documents
/// in the range, scored with the whole index's statistics: what brute-force BM25 ranks
/// first among them, pruned or not, for free text, query trees and passages.
@Suite("Date ranges")
struct DateFilterTests {
    /// Random dated documents (a fifth without a date) in three segments, some deleted.
    static func build(seed: UInt64) throws -> (Searcher, [StoredDocument], [String: Int64], String) {
        var rng = SeededGenerator(seed: seed)
        let dir = try temporaryDirectory("dates\(seed)")
        var live: [String: Article] = [:]
        for round in 0..<3 {
            let writer = try IndexWriter(directory: dir, options: WriterOptions(threads: 1))
            var batch: [Article] = []
            for i in 0..<(300 + Int(rng.next() % 200)) {
                var a = randomArticle(id: "doc\(round)-\(i)", &rng)
                if rng.next() % 5 != 0 { a.date = 1_600_000_000 + Int64(rng.next() % 100) * 86_400 }
                batch.append(a)
            }
            _ = try writer.add(batch)
            for a in batch { live[a.id] = a }
            if round == 2 {
                let victims = live.keys.sorted().filter { _ in rng.next() % 9 == 0 }
                _ = try writer.delete(ids: victims)
                for v in victims { live[v] = nil }
            }
            try writer.commit()
            writer.close()
        }
        let searcher = try Searcher(directory: dir)
        let stored = try live.keys.sorted().map { try searcher.document(id: $0) }
        var dates: [String: Int64] = [:]
        for (id, a) in live { if let d = a.date { dates[id] = d } }
        return (searcher, stored, dates, dir)
    }

    @Test("filtered top k equals brute force over the documents in the range, pruned and exhaustive", arguments: [UInt64(31), 32])
    func exactTopK(seed: UInt64) throws {
        let (searcher, stored, dates, dir) = try DateFilterTests.build(seed: seed)
        defer { try? FileSystem.removeTree(dir) }
        #expect(searcher.snapshot.segments.count >= 2)
        for s in stored { #expect(s.date == dates[s.id], "\(s.id): stored date") }
        let analyzer = try Analyzer(settings: searcher.snapshot.settings.analyzer)
        let brute = BruteForce(stored, analyzer: analyzer)
        var rng = SeededGenerator(seed: seed &* 7)
        for q in 0..<40 {
            let text = randomWords(1 + Int(rng.next() % 5), &rng)
            let terms = try searcher.terms(text)
            let lo: Int64? = rng.next() % 4 == 0 ? nil : 1_600_000_000 + Int64(rng.next() % 60) * 86_400
            let hi: Int64? = rng.next() % 4 == 0 ? nil : (lo ?? 1_600_000_000) + Int64(1 + rng.next() % 50) * 86_400
            guard lo != nil || hi != nil else { continue }
            func inRange(_ id: String) -> Bool {
                guard let d = dates[id] else { return false }
                return d >= (lo ?? Int64.min) && d < (hi ?? Int64.max)
            }
            let expected = brute.rank(terms, BM25Parameters()).filter { inRange($0.0) }
            let prepared = try searcher.prepare(terms)
            for k in [1, 10, 1000] {
                let options = SearchOptions(limit: k, after: lo, before: hi)
                let pruned = try searcher.rank(prepared, options: options)
                var exhaustiveOptions = options
                exhaustiveOptions.exhaustive = true
                let exhaustive = try searcher.rank(prepared, options: exhaustiveOptions)
                let context = "seed \(seed) query \(q) '\(text)' [\(lo.map(String.init) ?? "-"), \(hi.map(String.init) ?? "-")) k=\(k)"
                #expect(pruned == exhaustive, "\(context)")
                #expect(pruned.allSatisfy { inRange($0.id) }, "\(context)")
                expectSameRanking(pruned.map { ($0.id, $0.score) }, expected, k: k, context)
            }
            // Results with titles carry the date.
            for r in try searcher.search(prepared, options: SearchOptions(limit: 5, snippets: 0, after: lo, before: hi)) {
                #expect(r.date == dates[r.id])
            }
            // Query trees (a phrase and a required word) and passages respect the range too.
            let words = text.split(separator: " ")
            let tree = "\"\(words.prefix(2).joined(separator: " "))\" +\(words.last ?? "")"
            let treeAll = try searcher.rank(try searcher.prepare(tree), options: SearchOptions(limit: 1000))
            let treeRanged = try searcher.rank(try searcher.prepare(tree), options: SearchOptions(limit: 1000, after: lo, before: hi))
            #expect(treeRanged == treeAll.filter { inRange($0.id) }, "seed \(seed) query \(q) tree '\(tree)'")
            let passages = try searcher.passages(prepared, options: SearchOptions(limit: 20, after: lo, before: hi))
            #expect(passages.allSatisfy { inRange($0.id) && $0.date == dates[$0.id] })
            let allPassages = try searcher.passages(prepared, options: SearchOptions(limit: 100_000))
            #expect(
                passages.map(\.id) == Array(allPassages.filter { inRange($0.id) }.prefix(20)).map(\.id), "seed \(seed) query \(q) passages")
        }
    }

    @Test("an empty range is an error; a range no document is in finds nothing")
    func edges() throws {
        let (searcher, _, _, dir) = try DateFilterTests.build(seed: 33)
        defer { try? FileSystem.removeTree(dir) }
        let prepared = try searcher.prepare("neuron signal")
        #expect(throws: SearchError.self) { try searcher.rank(prepared, options: SearchOptions(after: 10, before: 10)) }
        #expect(try searcher.rank(prepared, options: SearchOptions(after: 0, before: 1_000)).isEmpty)
        #expect(try searcher.rank(prepared, options: SearchOptions(after: 2_000_000_000)).isEmpty)
        #expect(!(try searcher.rank(prepared, options: SearchOptions(before: 2_000_000_000)).isEmpty))
    }
}
