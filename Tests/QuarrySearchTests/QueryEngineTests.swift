import Glibc
import QuarryAnalysis
import QuarryCore
import QuarryDocument
import QuarryIndex
import QuarryIngest
import Testing

@testable import QuarrySearch

/// An independent evaluator of query trees: every live document's analysed fields are
/// scanned, each clause decides match and score from the definitions of docs/QUERY.md.
struct ReferenceEngine {
    struct Field {
        var terms: [String]
        /// Positions of each term.
        var positions: [String: [Int]]
        var length: Int { terms.count }
    }
    struct Doc {
        var id: String
        var title: Field
        var body: Field
    }
    let docs: [Doc]
    let analyzer: Analyzer
    let p: BM25Parameters
    let maxExpansions: Int

    init(_ stored: [StoredDocument], analyzer: Analyzer, parameters: BM25Parameters, maxExpansions: Int) {
        func field(_ text: String) -> Field {
            let tokens = analyzer.tokens(text)
            var f = Field(terms: tokens.map(\.term), positions: [:])
            for t in tokens { f.positions[t.term, default: []].append(t.position) }
            return f
        }
        docs = stored.map { Doc(id: $0.id, title: field($0.title), body: field($0.body)) }
        self.analyzer = analyzer
        p = parameters
        self.maxExpansions = maxExpansions
        (counts, averages) = Self.statistics(docs)
        vocabularies = (Self.vocabulary(docs, nil), Self.vocabulary(docs, .title), Self.vocabulary(docs, .body))
    }

    enum Scope { case all, title, body }

    /// Statistics of a field scope: N, average length (computed once), df of a term.
    func n(_ s: Scope) -> Int { counts[s] ?? 0 }
    func average(_ s: Scope) -> Double { averages[s] ?? 0 }
    private let counts: [Scope: Int]
    private let averages: [Scope: Double]

    private static func statistics(_ docs: [Doc]) -> ([Scope: Int], [Scope: Double]) {
        var counts: [Scope: Int] = [:], averages: [Scope: Double] = [:]
        for s in [Scope.all, .title, .body] {
            let lengths: [Int] = docs.map {
                switch s {
                case .all: $0.title.length + $0.body.length
                case .title: $0.title.length
                case .body: $0.body.length
                }
            }.filter { $0 > 0 }
            counts[s] = lengths.count
            averages[s] = Double(lengths.reduce(0, +)) / Double(max(lengths.count, 1))
        }
        return (counts, averages)
    }
    func df(_ term: String, _ s: Scope) -> Int {
        switch s {
        case .all: vocabularies.all[term] ?? 0
        case .title: vocabularies.title[term] ?? 0
        case .body: vocabularies.body[term] ?? 0
        }
    }
    func idf(_ term: String, _ s: Scope) -> Double { BruteForce.idf(n(s), df(term, s)) }

    func bm25(weight: Double, frequency f: Double, length: Int, _ s: Scope) -> Double {
        let b = s == .title ? p.titleB : s == .body ? p.bodyB : p.b
        return f > 0 ? weight * f / (f + p.k1 * (1 - b + b * Double(length) / average(s))) : 0
    }

    /// BM25F: each field's frequency weighted and divided by its length norm, added, then
    /// saturated once.
    func bm25f(weight: Double, title ft: Double, body fb: Double, _ d: Doc) -> Double {
        var pseudo = 0.0
        // The title weight is relative to the fields' average lengths.
        let scale = average(.title) > 0 && average(.body) > 0 ? average(.body) / average(.title) : 1
        if ft > 0 { pseudo += p.titleWeight * scale * ft / (1 - p.titleB + p.titleB * Double(d.title.length) / average(.title)) }
        if fb > 0 { pseudo += p.bodyWeight * fb / (1 - p.bodyB + p.bodyB * Double(d.body.length) / average(.body)) }
        return pseudo > 0 ? weight * pseudo / (pseudo + p.k1) : 0
    }

    /// (matches, score); nil when the clause has nothing searchable (it is ignored).
    func evaluate(_ q: Query, _ d: Doc, boost: Double = 1) -> (Bool, Double)? {
        switch q {
        case .term(let text, let field), .phrase(let text, _, let field):
            var slop = 0
            if case .phrase(_, let s, _) = q { slop = s }
            let tokens = analyzer.tokens(text)
            if tokens.isEmpty { return nil }
            return words(tokens.map(\.term), tokens.map { $0.position - tokens[0].position }, slop: slop, field, d, boost)
        case .prefix(let text, let field):
            let prefix = analyzer.foldedPrefix(text)
            if prefix.isEmpty { return nil }
            let all = vocabulary(field).filter { $0.key.hasPrefix(prefix) }
            let kept = all.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                .prefix(maxExpansions)
            return disjunction(kept.map { ($0.key, boost) }, field, d)
        case .fuzzy(let text, let maxEdits, let field):
            let tokens = analyzer.tokens(text)
            if tokens.count != 1 { return evaluate(.phrase(text, slop: 0, field: field), d, boost: boost) }
            let word = Array(tokens[0].term.unicodeScalars)
            let all = vocabulary(field).compactMap { t, df -> (String, Int, Int)? in
                let e = ReferenceEngine.editDistance(word, Array(t.unicodeScalars))
                return e <= maxEdits ? (t, df, e) : nil
            }
            let kept = all.sorted {
                if $0.2 != $1.2 { return $0.2 < $1.2 }
                if $0.1 != $1.1 { return $0.1 > $1.1 }
                return $0.0.utf8.lexicographicallyPrecedes($1.0.utf8)
            }.prefix(maxExpansions)
            // Sum in term order, as the engine does.
            let terms = kept.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            return disjunction(terms.map { ($0.0, boost * (1 - Double($0.2) / Double(maxEdits + 1))) }, field, d)
        case .boosted(let inner, let factor):
            return evaluate(inner, d, boost: boost * factor)
        case .boolean(let clauses):
            var anyClause = false, mustFail = false, anyShould = false, hasMust = false, excluded = false
            var score = 0.0
            for c in clauses {
                guard let (m, s) = evaluate(c.query, d, boost: boost) else { continue }
                switch c.occur {
                case .must:
                    anyClause = true
                    hasMust = true
                    if m { score += s } else { mustFail = true }
                case .should:
                    anyClause = true
                    if m {
                        score += s
                        anyShould = true
                    }
                case .mustNot:
                    if m { excluded = true }
                }
            }
            if !anyClause { return nil }
            return (!mustFail && !excluded && (hasMust || anyShould), score)
        }
    }

    /// Terms of live documents with their df in a field scope, for expansions.
    /// Document frequency of every term in a field scope (nil: either field).
    func vocabulary(_ field: QueryField?) -> [String: Int] {
        switch field {
        case nil: vocabularies.all
        case .title: vocabularies.title
        case .body: vocabularies.body
        }
    }
    private let vocabularies: (all: [String: Int], title: [String: Int], body: [String: Int])

    private static func vocabulary(_ docs: [Doc], _ field: QueryField?) -> [String: Int] {
        var dfs: [String: Int] = [:]
        for d in docs {
            var terms = Set<String>()
            if field != .body { terms.formUnion(d.title.positions.keys) }
            if field != .title { terms.formUnion(d.body.positions.keys) }
            for t in terms { dfs[t, default: 0] += 1 }
        }
        return dfs
    }

    func disjunction(_ terms: [(String, Double)], _ field: QueryField?, _ d: Doc) -> (Bool, Double) {
        var matched = false, score = 0.0
        for (t, b) in terms {
            let (m, s) = words([t], [0], slop: 0, field, d, b)
            if m {
                matched = true
                score += s
            }
        }
        return (matched, score)
    }

    /// A term (one word) or a phrase.
    func words(_ terms: [String], _ offsets: [Int], slop: Int, _ field: QueryField?, _ d: Doc, _ boost: Double) -> (Bool, Double) {
        func frequency(_ f: Field) -> Double {
            let lists = terms.map { f.positions[$0] ?? [] }
            return terms.count == 1 ? Double(lists[0].count) : ReferenceEngine.phraseFrequency(lists, offsets, slop: slop, same: terms)
        }
        let ft = field == .body ? 0 : frequency(d.title), fb = field == .title ? 0 : frequency(d.body)
        func idfSum(_ s: Scope) -> Double { terms.reduce(0) { $0 + idf($1, s) } }
        var score = 0.0
        switch (field, p.mode) {
        case (nil, .flat):
            score = bm25(weight: boost * idfSum(.all), frequency: ft + fb, length: d.title.length + d.body.length, .all)
        case (nil, .fields):
            score =
                bm25(weight: boost * p.titleWeight * idfSum(.title), frequency: ft, length: d.title.length, .title)
                + bm25(weight: boost * p.bodyWeight * idfSum(.body), frequency: fb, length: d.body.length, .body)
        case (nil, .bm25f):
            score = bm25f(weight: boost * idfSum(.all), title: ft, body: fb, d)
        case (.title?, _):
            // Under BM25F a scoped clause is the field's BM25, unweighted.
            let w = p.mode == .bm25f ? 1 : p.titleWeight
            score = bm25(weight: boost * w * idfSum(.title), frequency: ft, length: d.title.length, .title)
        case (.body?, _):
            let w = p.mode == .bm25f ? 1 : p.bodyWeight
            score = bm25(weight: boost * w * idfSum(.body), frequency: fb, length: d.body.length, .body)
        }
        return (ft + fb > 0, score)
    }

    /// The phrase frequency of docs/QUERY.md: exact matches count 1; with a slop, the sweep
    /// that always moves the word furthest behind counts 1 / (1 + spread) per arrangement
    /// within the slop whose positions are distinct.
    static func phraseFrequency(_ lists: [[Int]], _ offsets: [Int], slop: Int, same terms: [String]) -> Double {
        if lists.contains(where: \.isEmpty) { return 0 }
        if slop == 0 {
            return Double(lists[0].filter { p in (1..<lists.count).allSatisfy { lists[$0].contains(p - offsets[0] + offsets[$0]) } }.count)
        }
        var at = Array(repeating: 0, count: lists.count)
        var f = 0.0
        while true {
            let values = (0..<lists.count).map { lists[$0][at[$0]] - offsets[$0] }
            let lo = values.min() ?? 0, hi = values.max() ?? 0
            let positions = (0..<lists.count).map { lists[$0][at[$0]] }
            var distinct = true
            for i in 0..<lists.count {
                for j in 0..<lists.count where i != j && terms[i] == terms[j] && positions[i] == positions[j] { distinct = false }
            }
            if hi - lo <= slop && distinct { f += 1 / Double(1 + hi - lo) }
            let move = values.firstIndex(of: lo) ?? 0
            at[move] += 1
            if at[move] == lists[move].count { return f }
        }
    }

    /// Optimal string alignment distance, full table.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        for i in 1...a.count {
            for j in 1...b.count {
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }

    func rank(_ q: Query) -> [(String, Double)] {
        docs.compactMap { d -> (String, Double)? in
            guard let (m, s) = evaluate(q, d), m else { return nil }
            return (d.id, s)
        }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
    }
}

/// Random query trees over the test vocabulary and the documents' own word sequences.
struct QueryGenerator {
    var rng: SeededGenerator
    let bodies: [[Substring]]

    mutating func word() -> String {
        let u = Double(rng.next() % 10_000) / 10_000
        return vocabulary[min(vocabulary.count - 1, Int(u * u * Double(vocabulary.count)))]
    }

    mutating func field() -> QueryField? {
        switch rng.next() % 6 {
        case 0: return .title
        case 1: return .body
        default: return nil
        }
    }

    /// Two or three consecutive words of a random body (so that phrases match).
    mutating func phraseText() -> String {
        let body = bodies[Int(rng.next() % UInt64(bodies.count))]
        guard body.count >= 3 else { return "\(word()) \(word())" }
        let n = 2 + Int(rng.next() % 2)
        let start = Int(rng.next() % UInt64(body.count - n + 1))
        return body[start..<(start + n)].joined(separator: " ")
    }

    mutating func leaf() -> Query {
        switch rng.next() % 10 {
        case 0, 1, 2, 3: return .term(word(), field: field())
        case 4, 5: return .phrase(phraseText(), slop: [0, 0, 1, 3][Int(rng.next() % 4)], field: field())
        case 6: return .prefix(String(word().prefix(2 + Int(rng.next() % 3))), field: field())
        case 7:
            var w = Array(word())
            if w.count > 3 { w.remove(at: Int(rng.next() % UInt64(w.count))) }
            return .fuzzy(String(w), maxEdits: 1 + Int(rng.next() % 2), field: field())
        case 8: return .boosted(.term(word(), field: field()), [0.5, 2, 3][Int(rng.next() % 3)])
        default: return .term(word())
        }
    }

    mutating func query(depth: Int = 0) -> Query {
        if depth >= 2 || rng.next() % 3 == 0 { return leaf() }
        let n = 1 + Int(rng.next() % 4)
        var clauses: [Query.Clause] = []
        for _ in 0..<n {
            let occur: Occur = [.should, .should, .must, .mustNot][Int(rng.next() % 4)]
            clauses.append(Query.Clause(occur, query(depth: depth + 1)))
        }
        if !clauses.contains(where: { $0.occur != .mustNot }) { clauses.append(Query.Clause(.should, leaf())) }
        let b = Query.boolean(clauses)
        return rng.next() % 5 == 0 ? .boosted(b, 2) : b
    }
}

@Suite("Query trees rank as an independent evaluator says")
struct QueryEngineTests {
    @Test(
        "top-k of random query trees equals the reference (flat, fields and BM25F, pruned and exhaustive); explanations add up",
        arguments: [UInt64(11), 12, 13])
    func trees(seed: UInt64) throws {
        let (searcher, stored, dir) = try BruteForceTests().build(seed: seed, threads: 2)
        defer { try? FileSystem.removeTree(dir) }
        var generator = QueryGenerator(rng: SeededGenerator(seed: seed * 31), bodies: stored.map { $0.body.split(separator: " ") })
        let modes = [
            BM25Parameters(mode: .flat), BM25Parameters(mode: .fields, titleWeight: 2, bodyWeight: 0.5, bodyB: 0.7),
            BM25Parameters(), BM25Parameters(k1: 1.5, mode: .bm25f, titleWeight: 0.2, bodyWeight: 0.8, titleB: 0.3, bodyB: 1),
        ]
        let expansions = seed == 12 ? 3 : 128
        let analyzer = try Analyzer(settings: searcher.snapshot.settings.analyzer)
        let references = modes.map { ReferenceEngine(stored, analyzer: analyzer, parameters: $0, maxExpansions: expansions) }
        var nonEmpty = 0
        for q in 0..<60 {
            let query = generator.query()
            for (p, reference) in zip(modes, references) {
                let expected = reference.rank(query)
                if !expected.isEmpty { nonEmpty += 1 }
                for k in [1, 5, 1000] {
                    for pruning in [true, false] {
                        let prepared = try searcher.prepare(query, options: QueryOptions(scoring: p, maxExpansions: expansions))
                        let got = try searcher.rank(prepared, options: SearchOptions(limit: k, exhaustive: !pruning)).map {
                            ($0.id, $0.score)
                        }
                        expectSameRanking(got, expected, k: k, "seed \(seed) query \(q) \(query) \(p.mode) k=\(k) pruning=\(pruning)")
                    }
                }
                let prepared = try searcher.prepare(query, options: QueryOptions(scoring: p, maxExpansions: expansions))
                for r in try searcher.search(prepared, options: SearchOptions(limit: 5, snippets: 1, explain: true)) {
                    let parts = r.explanation?.parts ?? []
                    #expect(!parts.isEmpty)
                    let sum = parts.reduce(0) { $0 + $1.score }
                    #expect(abs(sum - r.score) <= 1e-6, "seed \(seed) query \(q) \(query): parts add up to \(sum), score \(r.score)")
                    for part in parts {
                        let recomputed = part.boost * part.idf * part.tf / (part.tf + part.k1 * part.lengthNorm)
                        #expect(
                            abs(recomputed - part.score) <= 1e-9 * max(1, part.score), "part \(part.clause): \(recomputed) vs \(part.score)"
                        )
                        // A BM25F part: one per term or phrase, its fields' weighted tfs add up to its tf.
                        #expect(
                            (part.field == "combined")
                                == (p.mode == .bm25f && !part.clause.hasPrefix("title:") && !part.clause.hasPrefix("body:")),
                            "part \(part.clause) in \(part.field) under \(p.mode)")
                        if let fields = part.fields {
                            #expect(part.field == "combined" && !fields.isEmpty && part.lengthNorm == 1 && part.b == 0)
                            #expect(abs(fields.reduce(0) { $0 + $1.weightedTF } - part.tf) <= 1e-12 * max(1, part.tf))
                            for f in fields {
                                let norm = 1 - f.b + f.b * Double(f.length) / f.averageLength
                                #expect(
                                    abs(f.lengthNorm - norm) <= 1e-12
                                        && abs(f.weightedTF - f.weight * f.tf / norm) <= 1e-12 * max(1, f.weightedTF))
                            }
                        } else {
                            #expect(part.field != "combined")
                        }
                    }
                }
            }
        }
        #expect(nonEmpty > 40, "too few queries with results to be a test: \(nonEmpty)")
    }
}
