import QuarryAnalysis
import QuarryCore
import QuarryDocument
import QuarryIndex
import Testing

@testable import QuarrySearch

/// `SearchOptions.idPrefix` (`quarry search --under`, `under=` on the server): the results
/// are exactly the brute-force ranking restricted to the ids with the prefix, whether the
/// collector prunes or not, for documents and passages, and paging cuts that ranking.
@Suite("Id prefix filter equals brute force restricted to the prefix")
struct IDFilterTests {
    /// Prefixes that cut the random ids (`doc0-12`, `doc37`, …) in many ways, including
    /// none and all of them.
    static let prefixes = ["", "doc", "doc1", "doc1-", "doc0-1", "doc2-3", "doc5", "doc9", "doc0-", "d", "zzz", "doc2-79", "é"]

    @Test("top-k documents with an id prefix", arguments: [UInt64(11), 12, 13])
    func documents(seed: UInt64) throws {
        let (searcher, stored, dir) = try BruteForceTests().build(seed: seed, threads: Int(seed % 2) + 1)
        defer { try? FileSystem.removeTree(dir) }
        let analyzer = try Analyzer(settings: searcher.snapshot.settings.analyzer)
        let brute = BruteForce(stored, analyzer: analyzer)
        var rng = SeededGenerator(seed: seed * 31)
        let modes = [BM25Parameters(), BM25Parameters(mode: .fields, titleWeight: 2, bodyWeight: 0.5)]
        for q in 0..<15 {
            let text = randomWords(1 + Int(rng.next() % 6), &rng)
            let terms = try searcher.terms(text)
            for p in modes {
                let everything = brute.rank(terms, p)
                let prepared = try searcher.prepare(terms, options: QueryOptions(scoring: p))
                for prefix in IDFilterTests.prefixes {
                    let expected = everything.filter { $0.0.hasPrefix(prefix) }
                    for k in [1, 5, 1000] {
                        for pruning in [true, false] {
                            let options = SearchOptions(limit: k, exhaustive: !pruning, idPrefix: prefix)
                            let got = try searcher.rank(prepared, options: options).map { ($0.id, $0.score) }
                            #expect(got.allSatisfy { $0.0.hasPrefix(prefix) })
                            expectSameRanking(
                                got, expected, k: k, "seed \(seed) q\(q) '\(text)' prefix '\(prefix)' k=\(k) pruning=\(pruning)")
                        }
                    }
                    // A page of a filtered ranking is that ranking cut.
                    let whole = try searcher.rank(prepared, options: SearchOptions(limit: 12, idPrefix: prefix)).map(\.id)
                    let second = try searcher.rank(prepared, options: SearchOptions(limit: 4, offset: 4, idPrefix: prefix)).map(\.id)
                    #expect(second == Array(whole.dropFirst(4).prefix(4)), "page 2 of '\(prefix)'")
                }
            }
        }
    }

    @Test("a query tree (phrase, required words) with an id prefix", arguments: [UInt64(14)])
    func queryTrees(seed: UInt64) throws {
        let (searcher, _, dir) = try BruteForceTests().build(seed: seed, threads: 1)
        defer { try? FileSystem.removeTree(dir) }
        for text in ["+brain stress", "\"fight flight\" OR sleep", "neuron -the", "hormon* memory"] {
            let prepared = try searcher.prepare(text)
            let all = try searcher.rank(prepared, options: SearchOptions(limit: 1000, exhaustive: true))
            for prefix in IDFilterTests.prefixes {
                let expected = all.filter { $0.id.hasPrefix(prefix) }
                for k in [3, 1000] {
                    let got = try searcher.rank(prepared, options: SearchOptions(limit: k, idPrefix: prefix))
                    expectSameRanking(
                        got.map { ($0.id, $0.score) }, expected.map { ($0.id, $0.score) }, k: k, "'\(text)' prefix '\(prefix)' k=\(k)")
                }
            }
        }
    }

    @Test("top-k passages with an id prefix", arguments: [UInt64(15), 16])
    func passages(seed: UInt64) throws {
        let (searcher, stored, dir) = try BruteForceTests().build(seed: seed, threads: 2)
        defer { try? FileSystem.removeTree(dir) }
        let analyzer = try Analyzer(settings: searcher.snapshot.settings.analyzer)
        let brute = BruteForce(stored, analyzer: analyzer)
        var rng = SeededGenerator(seed: seed * 7)
        for q in 0..<12 {
            let text = randomWords(1 + Int(rng.next() % 5), &rng)
            let terms = try searcher.terms(text)
            let everything = brute.rankPassages(terms, BM25Parameters())
            for prefix in IDFilterTests.prefixes {
                let expected = everything.filter { $0.0.hasPrefix(prefix) }
                for k in [3, 50] {
                    let hits = try searcher.passages(try searcher.prepare(terms), options: SearchOptions(limit: k, idPrefix: prefix))
                    expectSameRanking(
                        hits.map { ("\($0.id)#\($0.passage.index)", $0.passage.score) },
                        expected.map { ("\($0.0)#\($0.1)", $0.2) }, k: k, "seed \(seed) q\(q) '\(text)' prefix '\(prefix)' k=\(k)")
                }
            }
        }
    }

    @Test("the id ranks of a prefix are exactly the sorted ids with it")
    func rankRanges() throws {
        let (searcher, _, dir) = try BruteForceTests().build(seed: 17, threads: 1)
        defer { try? FileSystem.removeTree(dir) }
        for segment in searcher.snapshot.segments {
            // Every id of the segment (deleted ones included) in rank order.
            var byRank = [String](repeating: "", count: segment.documentCount)
            for d in 0..<segment.documentCount { byRank[Int(segment.idRank(d))] = try segment.externalID(d) }
            for prefix in IDFilterTests.prefixes + ["doc0-0", "doc1-39", "doc2-", "doc59", "doc6"] {
                let r = try segment.idRanks(withPrefix: Array(prefix.utf8))
                let expected = byRank.indices.filter { byRank[$0].hasPrefix(prefix) }
                #expect(
                    Array(Int(r.lowerBound)..<Int(r.upperBound)) == expected, "prefix '\(prefix)' in a segment of \(segment.documentCount)")
            }
        }
    }
}
