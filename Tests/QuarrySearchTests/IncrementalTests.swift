import QuarryCore
import QuarryDocument
import QuarryIndex
import QuarryIngest
import Testing

@testable import QuarrySearch

/// Updates keep BM25 exact: after any sequence of adds, replacements, deletions and
/// merges, searches score exactly (bit for bit) like a fresh build of the same documents.
@Suite("Incremental updates equal a fresh build")
struct IncrementalTests {
    func ranking(_ dir: String, _ queries: [String], _ p: BM25Parameters) throws -> [[String]] {
        let s = try Searcher(directory: dir)
        return try queries.map { q in
            try s.rank(q, query: QueryOptions(scoring: p), options: SearchOptions(limit: 15)).map { "\($0.id) \($0.score.bitPattern)" }
                + s.passages(q, query: QueryOptions(scoring: p), options: SearchOptions(limit: 5)).map {
                    "\($0.id)#\($0.passage.index) \($0.passage.score.bitPattern)"
                }
        }
    }

    @Test("random batches of adds, changes and deletes", arguments: [UInt64(11), 12, 13])
    func batches(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let dir = try temporaryDirectory("inc\(seed)")
        let fresh = try temporaryDirectory("fresh\(seed)")
        defer {
            try? FileSystem.removeTree(dir)
            try? FileSystem.removeTree(fresh)
        }
        // A small merge floor so that merges happen in these small indexes.
        let policy = MergePolicy(mergeFactor: 3, floorDocuments: 20, maxDeletedFraction: 0.25)
        let settings = IndexSettings(analyzer: .default, passages: PassageSettings(targetWords: 10))
        var live: [String: Article] = [:]
        let queries = (0..<12).map { _ in randomWords(1 + Int(rng.next() % 4), &rng) }
        for batch in 0..<8 {
            let writer = try IndexWriter(
                directory: dir, settings: batch == 0 ? settings : nil,
                options: WriterOptions(threads: 1 + batch % 2).with(mergePolicy: policy))
            var adds: [Article] = []
            for _ in 0..<(5 + Int(rng.next() % 25)) {
                // New ids and changes of existing ones.
                let id =
                    !live.isEmpty && rng.next() % 3 == 0
                    ? live.keys.sorted()[Int(rng.next() % UInt64(live.count))] : "d\(batch)-\(rng.next() % 100_000)"
                adds.append(randomArticle(id: id, &rng))
            }
            _ = try writer.add(adds)
            for a in adds { live[a.id] = a }
            let victims = live.keys.sorted().filter { _ in rng.next() % 6 == 0 }
            #expect(try writer.delete(ids: victims).isEmpty)
            for v in victims { live[v] = nil }
            try writer.commit()
            if batch == 5 { try writer.forceMerge(maxSegments: 2) }
            writer.close()
            #expect(IndexChecker(directory: dir).check().problems == [])

            try? FileSystem.removeTree(fresh)
            let f = try IndexWriter(directory: fresh, settings: settings, options: WriterOptions(threads: 2))
            _ = try f.add(live.keys.sorted().compactMap { live[$0] })
            try f.commit()
            f.close()
            for p in [BM25Parameters(), BM25Parameters(mode: .flat), BM25Parameters(mode: .fields, titleWeight: 2)] {
                let a = try ranking(dir, queries, p), b = try ranking(fresh, queries, p)
                #expect(a == b, "seed \(seed) batch \(batch) \(p.mode): results differ from a fresh build")
            }
            let snapshot = try IndexSnapshot.open(dir)
            #expect(snapshot.stats == (try IndexSnapshot.open(fresh)).stats)
            #expect(snapshot.stats.documents == live.count)
        }
    }
}
