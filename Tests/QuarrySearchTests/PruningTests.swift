import QuarryAnalysis
import QuarryCore
import QuarryDocument
import QuarryIndex
import Testing

@testable import QuarrySearch

/// Block-max MaxScore on postings long enough to have many blocks (the small random
/// indexes of BruteForceTests have none): windows, essential and non-essential lists,
/// window slices and deletions all come into play, and the pruned top k must be exactly
/// the exhaustive one (same ids, bit-identical scores), and brute-force BM25.
@Suite("Block-max pruning on long postings")
struct PruningTests {
    /// About 5,000 short documents in two segments; frequent words have thousands of
    /// postings (dozens of blocks), rare ones a few.
    static func build(seed: UInt64) throws -> (Searcher, [StoredDocument], String) {
        var rng = SeededGenerator(seed: seed)
        let dir = try temporaryDirectory("prune\(seed)")
        var live: [String: Article] = [:]
        for round in 0..<2 {
            let writer = try IndexWriter(directory: dir, options: WriterOptions(threads: 1))
            var batch: [Article] = []
            for i in 0..<2_500 {
                let title = randomWords(Int(rng.next() % 4), &rng)
                let body = randomWords(3 + Int(rng.next() % 25), &rng)
                batch.append(Article(id: "d\(round)-\(i)", path: "p", title: title, body: body, blocks: []))
            }
            _ = try writer.add(batch)
            for a in batch { live[a.id] = a }
            if round == 1 {
                let victims = live.keys.sorted().filter { _ in rng.next() % 11 == 0 }
                _ = try writer.delete(ids: victims)
                for v in victims { live[v] = nil }
            }
            try writer.commit()
            writer.close()
        }
        let searcher = try Searcher(directory: dir)
        let stored = try live.keys.sorted().map { try searcher.document(id: $0) }
        return (searcher, stored, dir)
    }

    @Test("pruned top k equals exhaustive top k exactly, and brute-force BM25", arguments: [UInt64(21), 22])
    func prunedEqualsExhaustive(seed: UInt64) throws {
        let (searcher, stored, dir) = try PruningTests.build(seed: seed)
        defer { try? FileSystem.removeTree(dir) }
        #expect(searcher.snapshot.segments.count == 2)
        let long = try searcher.snapshot.termStats("neuron").df
        #expect(long > 1_000, "frequent words must have many blocks (df \(long))")
        let analyzer = try Analyzer(settings: searcher.snapshot.settings.analyzer)
        let brute = BruteForce(stored, analyzer: analyzer)
        var rng = SeededGenerator(seed: seed &* 31)
        let modes = [BM25Parameters(), BM25Parameters(mode: .fields, titleWeight: 3, bodyWeight: 0.5)]
        for q in 0..<40 {
            let text = randomWords(1 + Int(rng.next() % 7), &rng)
            let terms = try searcher.terms(text)
            for p in modes {
                let prepared = try searcher.prepare(terms, options: QueryOptions(scoring: p))
                let expected = brute.rank(terms, p)
                for k in [1, 10, 100] {
                    let pruned = try searcher.rank(prepared, options: SearchOptions(limit: k))
                    let exhaustive = try searcher.rank(prepared, options: SearchOptions(limit: k, exhaustive: true))
                    #expect(pruned == exhaustive, "seed \(seed) query \(q) '\(text)' \(p.mode) k=\(k)")
                    expectSameRanking(
                        pruned.map { ($0.id, $0.score) }, expected, k: k, "seed \(seed) query \(q) '\(text)' \(p.mode) k=\(k)")
                }
            }
        }
    }
}
