import QuarryAnalysis
import QuarryCore
import QuarryDocument
import Testing

@testable import QuarryIndex
@testable import QuarrySearch

@Suite("BM25F: block bounds and pruning over long postings")
struct BM25FTests {
    /// Random parameters, including the extremes (k1 = 0, b = 0 or 1).
    static func randomParameters(_ rng: inout SeededGenerator) -> BM25Parameters {
        func pick(_ values: [Double]) -> Double { values[Int(rng.next() % UInt64(values.count))] }
        return BM25Parameters(
            k1: pick([0, 0.3, 0.9, 1.2, 3]), mode: .bm25f, titleWeight: pick([0.02, 0.2, 1, 5]),
            bodyWeight: pick([0.3, 1, 2]), titleB: pick([0, 0.4, 0.9, 1]), bodyB: pick([0, 0.5, 0.8, 1]))
    }

    static func collection(documents: Int, withTitle: Int, withBody: Int, averageTitle: Int, averageBody: Int) -> CollectionStats {
        var stats = CollectionStats()
        stats.documentsWithAny = documents
        stats.documentsWithTitle = withTitle
        stats.documentsWithBody = withBody
        stats.titleLengthSum = withTitle * averageTitle
        stats.bodyLengthSum = withBody * averageBody
        return stats
    }

    @Test("the bound of a group's impacts is at least the BM25F score of each of its documents")
    func boundsHold() {
        var rng = SeededGenerator(seed: 2024)
        let stats = BM25FTests.collection(documents: 1000, withTitle: 900, withBody: 990, averageTitle: 6, averageBody: 400)
        var builder = ImpactsBuilder()
        defer { builder.free() }
        var tightCount = 0
        for round in 0..<400 {
            let p = BM25FTests.randomParameters(&rng)
            let w = CombinedWeight(boost: 1 + Double(rng.next() % 3), df: 1 + Int(rng.next() % 900), collection: stats, parameters: p)
            builder.reset()
            var docs: [(UInt32, UInt32, UInt32, UInt32)] = []
            for _ in 0..<(1 + Int(rng.next() % 200)) {
                // Titles are short and rarely repeat a word; bodies vary widely.
                let tt = UInt32(rng.next() % 3), tb = tt == 0 ? UInt32(1 + rng.next() % 30) : UInt32(rng.next() % 30)
                let lt = tt + UInt32(rng.next() % 12), lb = tb + UInt32(rng.next() % (round % 2 == 0 ? 3000 : 60))
                builder.add(tfTitle: tt, tfBody: tb, lengthTitle: lt, lengthBody: lb)
                docs.append((tt, lt, tb, lb))
            }
            let impacts = builder.build()
            let bound = w.bound(impacts) * TermScorer.boundMargin
            var best = 0.0
            for (tt, lt, tb, lb) in docs {
                let s = w.score(titleTF: tt, titleLength: lt, bodyTF: tb, bodyLength: lb)
                #expect(s <= bound, "round \(round): score \(s) above bound \(bound) (\(p))")
                best = max(best, s)
            }
            // Not vacuous: the bound never exceeds the sum of the fields' own caps, and is
            // often tight.
            let capsOnly = w.score(
                pseudoFrequency: w.title.weighted(Double(impacts.titleMaxTF), length: impacts.titleMinLength)
                    + w.body.weighted(Double(impacts.bodyMaxTF), length: impacts.bodyMinLength))
            #expect(w.bound(impacts) <= capsOnly * (1 + 1e-12))
            if bound <= best * (1 + 1e-6) { tightCount += 1 }
        }
        #expect(tightCount > 40, "bounds are tight for some groups: \(tightCount) of 400")
    }

    @Test("edge parameters give finite scores equal to the formula: a zero weight, k1 = 0, b = 1")
    func edges() {
        var stats = CollectionStats()
        stats.documentsWithAny = 10
        stats.documentsWithTitle = 10
        stats.documentsWithBody = 10
        stats.titleLengthSum = 40
        stats.bodyLengthSum = 1000
        for p in [BM25Parameters(titleWeight: 0), BM25Parameters(k1: 0), BM25Parameters(bodyWeight: 0, titleB: 1, bodyB: 1)] {
            let w = CombinedWeight(boost: 1, df: 3, collection: stats, parameters: p)
            // A damaged index could pair a frequency with a length of 0: still a finite score.
            for (tt, lt, tb, lb) in [(UInt32(1), UInt32(0), UInt32(0), UInt32(0)), (0, 0, 2, 0)] {
                #expect(w.score(titleTF: tt, titleLength: lt, bodyTF: tb, bodyLength: lb).isFinite)
            }
            for (tt, lt, tb, lb) in [
                (UInt32(1), UInt32(1), UInt32(0), UInt32(0)), (0, 0, 2, 2), (1, 4, 3, 100), (0, 3, 1, 250), (2, 2, 0, 90),
            ] {
                let s = w.score(titleTF: tt, titleLength: lt, bodyTF: tb, bodyLength: lb)
                let expected = w.score(
                    pseudoFrequency: w.pseudoFrequency(titleTF: Double(tt), titleLength: lt, bodyTF: Double(tb), bodyLength: lb))
                #expect(s.isFinite && s >= 0 && abs(s - expected) <= 1e-12, "\(p) \((tt, lt, tb, lb)): \(s) vs \(expected)")
            }
        }
    }

    @Test("the division-free test rejects only postings that score below what is needed, and lets clear winners through")
    func reachTestIsSound() {
        var rng = SeededGenerator(seed: 77)
        let stats = BM25FTests.collection(documents: 5000, withTitle: 4000, withBody: 4900, averageTitle: 7, averageBody: 35)
        var rejected = 0
        for _ in 0..<20000 {
            let p = BM25FTests.randomParameters(&rng)
            let w = CombinedWeight(boost: 1, df: 1 + Int(rng.next() % 4000), collection: stats, parameters: p)
            let tt = UInt32(rng.next() % 3), tb = tt == 0 ? UInt32(1 + rng.next() % 8) : UInt32(rng.next() % 8)
            let lt = tt + UInt32(rng.next() % 10), lb = tb + UInt32(rng.next() % 120)
            let s = w.score(titleTF: tt, titleLength: lt, bodyTF: tb, bodyLength: lb)
            // Needed scores around the posting's own, exactly equal included (a tie must pass).
            let needed: Double
            switch rng.next() % 4 {
            case 0: needed = s
            case 1: needed = s * (1 + Double(rng.next() % 1000) / 1e4)
            case 2: needed = s * (1 - Double(rng.next() % 1000) / 1e4)
            default: needed = w.weight * Double(rng.next() % 1100) / 1000
            }
            let f = w.frequencyNeeded(for: needed)
            let may = w.mayReach(frequencyNeeded: f, titleTF: tt, titleLength: lt, bodyTF: tb, bodyLength: lb)
            if !may {
                rejected += 1
                #expect(s < needed, "\(p) \((tt, lt, tb, lb)): rejected a posting scoring \(s) for \(needed)")
            }
            if s >= needed * (1 + 1e-6) { #expect(may, "\(p) \((tt, lt, tb, lb)): \(s) kept out for \(needed)") }
        }
        #expect(rejected > 1000)  // the test does reject
    }

    /// One segment with long postings lists (several blocks each), so that block-max bounds
    /// decide what is skipped.
    func buildLarge() throws -> (Searcher, [StoredDocument], String) {
        var rng = SeededGenerator(seed: 99)
        let dir = try temporaryDirectory("bm25f-large")
        let writer = try IndexWriter(
            directory: dir, settings: IndexSettings(analyzer: .default, passages: PassageSettings()),
            options: WriterOptions(threads: 1))
        let articles = (0..<1200).map { randomArticle(id: "d\($0)", &rng) }
        _ = try writer.add(articles)
        try writer.commit()
        writer.close()
        let searcher = try Searcher(directory: dir)
        return (searcher, try articles.map { try searcher.document(id: $0.id) }, dir)
    }

    @Test("pruned top-k equals exhaustive top-k and brute-force BM25F over multi-block postings")
    func prunedEqualsExhaustive() throws {
        let (searcher, stored, dir) = try buildLarge()
        defer { try? FileSystem.removeTree(dir) }
        let segment = try #require(searcher.snapshot.segments.first)
        let frequent = try #require(try searcher.terms("neuron").first)
        let info = try #require(try Array(frequent.term.utf8).withUnsafeBytes { try segment.termInfo($0) })
        #expect(try segment.postings(info).blockCount > 2, "the test needs terms with several blocks")
        let analyzer = try Analyzer(settings: searcher.snapshot.settings.analyzer)
        let brute = BruteForce(stored, analyzer: analyzer)
        var rng = SeededGenerator(seed: 7)
        for q in 0..<30 {
            let p = q % 3 == 0 ? BM25Parameters() : BM25FTests.randomParameters(&rng)
            let text = randomWords(1 + Int(rng.next() % 7), &rng)
            let terms = try searcher.terms(text)
            let prepared = try searcher.prepare(terms, options: QueryOptions(scoring: p))
            let expected = brute.rank(terms, p)
            for k in [1, 10, 100] {
                let pruned = try searcher.rank(prepared, options: SearchOptions(limit: k)).map { ($0.id, $0.score) }
                let exhaustive = try searcher.rank(prepared, options: SearchOptions(limit: k, exhaustive: true)).map { ($0.id, $0.score) }
                #expect(
                    pruned.map(\.0) == exhaustive.map(\.0) && pruned.map(\.1) == exhaustive.map(\.1),
                    "query \(q) '\(text)' k=\(k) \(p)")
                expectSameRanking(pruned, expected, k: k, "query \(q) '\(text)' k=\(k) \(p)")
            }
        }
    }
}
