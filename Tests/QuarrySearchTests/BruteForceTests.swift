import Glibc
import QuarryAnalysis
import QuarryCore
import QuarryDocument
import QuarryIndex
import QuarryIngest
import Testing

@testable import QuarrySearch

/// An independent BM25: term frequencies, lengths and document frequencies counted from
/// the analysed text of each live document, scored with the textbook formula.
struct BruteForce {
    struct Doc {
        var id: String
        var title: [String: Int]
        var body: [String: Int]
        var titleLength: Int
        var bodyLength: Int
        /// Per passage: term counts and length.
        var passages: [([String: Int], Int)]
    }
    var docs: [Doc] = []
    /// Document frequencies: any field, title, body; passage frequency.
    var dfAny: [String: Int] = [:]
    var dfTitle: [String: Int] = [:]
    var dfBody: [String: Int] = [:]
    var dfPassage: [String: Int] = [:]

    init(_ articles: [StoredDocument], analyzer: Analyzer) {
        for a in articles {
            let t = analyzer.tokens(a.title), bt = analyzer.tokens(a.body)
            var passages: [([String: Int], Int)] = []
            for span in a.passages {
                let inside = bt.filter { $0.start >= span.start && $0.start < span.end }
                passages.append((Dictionary(inside.map { ($0.term, 1) }, uniquingKeysWith: +), inside.count))
            }
            docs.append(
                Doc(
                    id: a.id, title: Dictionary(t.map { ($0.term, 1) }, uniquingKeysWith: +),
                    body: Dictionary(bt.map { ($0.term, 1) }, uniquingKeysWith: +),
                    titleLength: t.count, bodyLength: bt.count, passages: passages))
        }
        for d in docs {
            for term in Set(d.title.keys).union(d.body.keys) { dfAny[term, default: 0] += 1 }
            for term in d.title.keys { dfTitle[term, default: 0] += 1 }
            for term in d.body.keys { dfBody[term, default: 0] += 1 }
            for (tf, _) in d.passages { for term in tf.keys { dfPassage[term, default: 0] += 1 } }
        }
    }

    static func idf(_ n: Int, _ df: Int) -> Double { log(1 + (Double(n) - Double(df) + 0.5) / (Double(df) + 0.5)) }

    static func tfPart(_ tf: Int, _ dl: Int, _ avg: Double, _ p: BM25Parameters) -> Double {
        Double(tf) / (Double(tf) + p.k1 * (1 - p.b + p.b * Double(dl) / avg))
    }

    func rank(_ query: [WeightedTerm], _ p: BM25Parameters) -> [(String, Double)] {
        var results: [(String, Double)] = []
        switch p.mode {
        case .flat:
            let withAny = docs.filter { $0.titleLength + $0.bodyLength > 0 }
            let n = withAny.count
            let avg = Double(withAny.reduce(0) { $0 + $1.titleLength + $1.bodyLength }) / Double(max(n, 1))
            for d in docs {
                var s = 0.0
                for q in query {
                    let tf = (d.title[q.term] ?? 0) + (d.body[q.term] ?? 0)
                    if tf == 0 { continue }
                    let df = dfAny[q.term] ?? 0
                    s += q.boost * BruteForce.idf(n, df) * BruteForce.tfPart(tf, d.titleLength + d.bodyLength, avg, p)
                }
                if s > 0 { results.append((d.id, s)) }
            }
        case .fields:
            let nt = docs.filter { $0.titleLength > 0 }.count, nb = docs.filter { $0.bodyLength > 0 }.count
            let at = Double(docs.reduce(0) { $0 + $1.titleLength }) / Double(max(nt, 1))
            let ab = Double(docs.reduce(0) { $0 + $1.bodyLength }) / Double(max(nb, 1))
            var pt = p, pb = p
            pt.b = p.titleB
            pb.b = p.bodyB
            for d in docs {
                var s = 0.0
                for q in query {
                    if let tf = d.title[q.term] {
                        let df = dfTitle[q.term] ?? 0
                        s += q.boost * p.titleWeight * BruteForce.idf(nt, df) * BruteForce.tfPart(tf, d.titleLength, at, pt)
                    }
                    if let tf = d.body[q.term] {
                        let df = dfBody[q.term] ?? 0
                        s += q.boost * p.bodyWeight * BruteForce.idf(nb, df) * BruteForce.tfPart(tf, d.bodyLength, ab, pb)
                    }
                }
                if s > 0 { results.append((d.id, s)) }
            }
        case .bm25f:
            // BM25F: weighted, per-field normalised frequencies added, then saturated once;
            // idf over the documents having the term in any field.
            let n = docs.filter { $0.titleLength + $0.bodyLength > 0 }.count
            let nt = docs.filter { $0.titleLength > 0 }.count, nb = docs.filter { $0.bodyLength > 0 }.count
            let at = Double(docs.reduce(0) { $0 + $1.titleLength }) / Double(max(nt, 1))
            let ab = Double(docs.reduce(0) { $0 + $1.bodyLength }) / Double(max(nb, 1))
            // The title weight is relative to the fields' average lengths.
            let titleWeight = p.titleWeight * (at > 0 && ab > 0 ? ab / at : 1)
            for d in docs {
                var s = 0.0
                for q in query {
                    let ft = d.title[q.term] ?? 0, fb = d.body[q.term] ?? 0
                    if ft + fb == 0 { continue }
                    var pseudo = 0.0
                    if ft > 0 { pseudo += titleWeight * Double(ft) / (1 - p.titleB + p.titleB * Double(d.titleLength) / at) }
                    if fb > 0 { pseudo += p.bodyWeight * Double(fb) / (1 - p.bodyB + p.bodyB * Double(d.bodyLength) / ab) }
                    if pseudo == 0 { continue }
                    s += q.boost * BruteForce.idf(n, dfAny[q.term] ?? 0) * pseudo / (pseudo + p.k1)
                }
                if s > 0 { results.append((d.id, s)) }
            }
        }
        return results.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
    }

    func rankPassages(_ query: [WeightedTerm], _ p: BM25Parameters) -> [(String, Int, Double)] {
        let all = docs.flatMap { d in d.passages.enumerated().map { (d.id, $0.offset, $0.element) } }
        let n = all.count
        let avg = Double(all.reduce(0) { $0 + $1.2.1 }) / Double(max(n, 1))
        var results: [(String, Int, Double)] = []
        for (id, index, (tf, length)) in all {
            var s = 0.0
            for q in query {
                guard let f = tf[q.term] else { continue }
                let df = dfPassage[q.term] ?? 0
                s += q.boost * BruteForce.idf(n, df) * BruteForce.tfPart(f, length, avg, p)
            }
            if s > 0 { results.append((id, index, s)) }
        }
        return results.sorted {
            if $0.2 != $1.2 { return $0.2 > $1.2 }
            if $0.0 != $1.0 { return $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            return $0.1 < $1.1
        }
    }
}

/// Compares ranked lists whose scores must agree to 1e-5 relative; documents with equal
/// scores (to that precision) may come in either order, and the last group may be cut.
func expectSameRanking(_ got: [(String, Double)], _ expected: [(String, Double)], k: Int, _ context: String) {
    let want = Array(expected.prefix(k))
    #expect(got.count == want.count, "\(context): \(got.count) results, expected \(want.count)")
    guard got.count == want.count else { return }
    for i in 0..<got.count {
        let (g, e) = (got[i].1, want[i].1)
        #expect(abs(g - e) <= 1e-5 * max(abs(e), 1e-9), "\(context): rank \(i + 1) score \(g), expected \(e)")
    }
    func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(abs(a), abs(b)) }
    var i = 0
    while i < got.count {
        var j = i
        while j < got.count && close(got[j].1, got[i].1) { j += 1 }
        let groupGot = Set(got[i..<j].map(\.0))
        // All expected documents with this score (the list may cut the group).
        let groupAll = Set(expected.filter { close($0.1, got[i].1) }.map(\.0))
        #expect(groupGot.isSubset(of: groupAll), "\(context): ranks \(i + 1)–\(j): \(groupGot.sorted()) vs \(groupAll.sorted())")
        if j < got.count || expected.count <= k {
            #expect(groupGot == Set(want[i..<j].map(\.0)) || groupGot.count < groupAll.count, "\(context): tie group differs")
        }
        i = j
    }
}

@Suite("Ranking equals brute-force BM25")
struct BruteForceTests {
    /// Builds an index from random articles in several commits (so several segments), with
    /// some documents replaced, and returns the searcher and the live stored documents.
    func build(seed: UInt64, threads: Int) throws -> (Searcher, [StoredDocument], String) {
        var rng = SeededGenerator(seed: seed)
        let dir = try temporaryDirectory("bf\(seed)")
        let settings = IndexSettings(analyzer: .default, passages: PassageSettings(targetWords: 12, overlapWords: seed % 2 == 0 ? 0 : 4))
        var live: [String: Article] = [:]
        for round in 0..<3 {
            let writer = try IndexWriter(directory: dir, settings: round == 0 ? settings : nil, options: WriterOptions(threads: threads))
            var batch: [Article] = []
            for i in 0..<(40 + Int(rng.next() % 40)) {
                // Later rounds reuse some ids: replacements.
                let id = round > 0 && rng.next() % 3 == 0 ? "doc\(rng.next() % 60)" : "doc\(round)-\(i)"
                batch.append(randomArticle(id: id, &rng))
            }
            _ = try writer.add(batch)
            for a in batch { live[a.id] = a }
            if round == 2 {
                let victims = live.keys.sorted().filter { _ in rng.next() % 7 == 0 }
                _ = try writer.delete(ids: victims)
                for v in victims { live[v] = nil }
            }
            try writer.commit()
            writer.close()
        }
        let searcher = try Searcher(directory: dir)
        let stored = try live.keys.sorted().map { try searcher.document(id: $0) }
        #expect(searcher.snapshot.stats.documents == live.count)
        return (searcher, stored, dir)
    }

    @Test("top-k documents equal brute-force BM25 (flat, fields and BM25F, pruned and exhaustive)", arguments: [UInt64(1), 2, 3, 4])
    func documents(seed: UInt64) throws {
        let (searcher, stored, dir) = try build(seed: seed, threads: Int(seed % 2) + 1)
        defer { try? FileSystem.removeTree(dir) }
        let analyzer = try Analyzer(settings: searcher.snapshot.settings.analyzer)
        let brute = BruteForce(stored, analyzer: analyzer)
        var rng = SeededGenerator(seed: seed * 1000)
        let modes = [
            BM25Parameters(mode: .flat), BM25Parameters(k1: 1.2, b: 0.75, mode: .flat),
            BM25Parameters(mode: .fields, titleWeight: 2, bodyWeight: 0.5, titleB: 0.9),
            BM25Parameters(), BM25Parameters(k1: 0.5, mode: .bm25f, titleWeight: 0.1, bodyWeight: 0.7, titleB: 0.2, bodyB: 1),
            BM25Parameters(k1: 2, mode: .bm25f, titleWeight: 0.5, titleB: 1, bodyB: 0),
        ]
        for q in 0..<25 {
            let text = randomWords(1 + Int(rng.next() % 6), &rng)
            let terms = try searcher.terms(text)
            for p in modes {
                let expected = brute.rank(terms, p)
                for k in [1, 7, 1000] {
                    for pruning in [true, false] {
                        let prepared = try searcher.prepare(terms, options: QueryOptions(scoring: p))
                        let got = try searcher.rank(prepared, options: SearchOptions(limit: k, exhaustive: !pruning)).map {
                            ($0.id, $0.score)
                        }
                        expectSameRanking(
                            got, expected, k: k, "seed \(seed) query \(q) '\(text)' \(p.mode) k1=\(p.k1) k=\(k) pruning=\(pruning)")
                    }
                }
            }
        }
    }

    @Test("top-k passages equal brute-force passage BM25; highlights are query words", arguments: [UInt64(5), 6, 7])
    func passages(seed: UInt64) throws {
        let (searcher, stored, dir) = try build(seed: seed, threads: 2)
        defer { try? FileSystem.removeTree(dir) }
        let analyzer = try Analyzer(settings: searcher.snapshot.settings.analyzer)
        let brute = BruteForce(stored, analyzer: analyzer)
        var rng = SeededGenerator(seed: seed * 77)
        for q in 0..<30 {
            let text = randomWords(1 + Int(rng.next() % 5), &rng)
            let terms = try searcher.terms(text)
            let termSet = Set(terms.map(\.term))
            // Passages are BM25 over passage statistics whatever the document scoring mode.
            let expected = brute.rankPassages(terms, BM25Parameters())
            for k in [3, 20] {
                let hits = try searcher.passages(try searcher.prepare(terms), options: SearchOptions(limit: k))
                expectSameRanking(
                    hits.map { ("\($0.id)#\($0.passage.index)", $0.passage.score) },
                    expected.map { ("\($0.0)#\($0.1)", $0.2) }, k: k, "seed \(seed) query \(q) '\(text)' k=\(k)")
                for h in hits {
                    let doc = try searcher.document(id: h.id)
                    let body = Array(doc.body.utf8)
                    #expect(h.passage.start >= 0 && h.passage.end <= body.count)
                    #expect(String(decoding: body[h.passage.start..<h.passage.end], as: UTF8.self) == h.passage.text)
                    #expect(!h.passage.highlights.isEmpty)
                    for hl in h.passage.highlights {
                        let word = String(decoding: body[hl.start..<hl.end], as: UTF8.self)
                        #expect(termSet.contains(hl.term))
                        #expect(analyzer.terms(word) == [hl.term], "highlight '\(word)' does not analyse to \(hl.term)")
                        #expect(hl.start >= h.passage.start && hl.end <= h.passage.end)
                        #expect(Array(doc.body.unicodeScalars).count >= hl.charEnd)
                        #expect(String(String.UnicodeScalarView(Array(doc.body.unicodeScalars)[hl.charStart..<hl.charEnd])) == word)
                    }
                }
            }
        }
    }
}
