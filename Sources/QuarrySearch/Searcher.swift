import QuarryAnalysis
import QuarryCore
import QuarryIndex

/// How snippets of document results are ordered.
public enum SnippetOrder: String, Sendable, Codable, CaseIterable {
    /// Best passage first.
    case score
    /// In the order they appear in the document.
    case document
}

/// Options of a search.
public struct SearchOptions: Sendable, Equatable {
    /// Results to return.
    public var limit: Int
    public var bm25: BM25Parameters
    /// Passages returned with each document result (0 for none).
    public var snippets: Int
    public var snippetOrder: SnippetOrder
    /// Skip documents that cannot reach the top (same results as exhaustive scoring).
    public var pruning: Bool
    /// The operator between free words of query text (`a b`).
    public var defaultOperator: QueryOperator
    /// The most terms a prefix or fuzzy word expands to (the most frequent, or closest).
    public var maxExpansions: Int
    /// Attach to each result how its score was computed.
    public var explain: Bool

    public init(limit: Int = 10, bm25: BM25Parameters = .default, snippets: Int = 2, snippetOrder: SnippetOrder = .score,
                pruning: Bool = true, defaultOperator: QueryOperator = .or, maxExpansions: Int = 128, explain: Bool = false) {
        self.limit = limit
        self.bm25 = bm25
        self.snippets = snippets
        self.snippetOrder = snippetOrder
        self.pruning = pruning
        self.defaultOperator = defaultOperator
        self.maxExpansions = maxExpansions
        self.explain = explain
    }
}

/// Answers queries over one snapshot of an index. Not thread-safe (it holds an analyzer);
/// create one per thread from the shared `IndexSnapshot`.
///
///     let searcher = try Searcher(directory: "Index")
///     let results = try searcher.search("\"grace period\" title:rcu -deprecated")
///
/// Text queries use the query language of docs/QUERY.md; `Query` trees can be built
/// directly; `prepare(words:)` reads text as a plain bag of words.
public final class Searcher {
    public let snapshot: IndexSnapshot
    public let analyzer: Analyzer

    public init(snapshot: IndexSnapshot) throws {
        self.snapshot = snapshot
        analyzer = try Analyzer(settings: snapshot.settings.analyzer)
    }

    /// Opens the current commit of the index at `directory`.
    public convenience init(directory: String, verifyChecksums: Bool = true) throws {
        try self.init(snapshot: try IndexSnapshot.open(directory, verifyChecksums: verifyChecksums))
    }

    /// The query's weighted terms (free text: every analysed word, OR).
    public func terms(_ text: String) -> [WeightedTerm] { bagOfWords(text, analyzer: analyzer) }

    /// File kinds read by ranking only, by phrases, and by results with text.
    static let rankingFiles: [IndexFileKind] = [.terms, .postings, .ids]
    static let phraseFiles: [IndexFileKind] = [.terms, .postings, .ids, .positions]
    static let textFiles: [IndexFileKind] = [.terms, .postings, .ids, .positions, .passages, .store]

    /// Verifies (once) the files an operation reads, in every segment.
    private func verify(_ kinds: [IndexFileKind]) throws {
        for s in snapshot.segments { try s.verify(kinds) }
    }

    // MARK: Preparing queries

    /// Resolves a query tree: analyses its words, expands prefixes and fuzzy words, weighs
    /// every term with the snapshot's statistics.
    public func prepare(_ query: Query, options: SearchOptions = SearchOptions()) throws -> PreparedQuery {
        try options.bm25.validate()
        try verify([.terms])
        var planner = QueryPlanner(snapshot: snapshot, analyzer: analyzer, parameters: options.bm25, maxExpansions: options.maxExpansions)
        let plan = try planner.plan(query)
        return PreparedQuery(query: query, notices: planner.notices, plan: plan, parameters: options.bm25)
    }

    /// Parses text in the query language (free words joined by `options.defaultOperator`)
    /// and prepares it. A malformed query throws a `QueryError` with its column.
    public func prepare(_ text: String, options: SearchOptions = SearchOptions()) throws -> PreparedQuery {
        try prepare(try Query.parse(text, defaultOperator: options.defaultOperator), options: options)
    }

    /// Prepares text as a bag of words: every analysed word is an optional term, whatever
    /// punctuation or operators the text holds (the form batch benchmarks use).
    public func prepare(words text: String, options: SearchOptions = SearchOptions()) throws -> PreparedQuery {
        try prepare(terms(text), options: options)
    }

    /// Prepares weighted terms (OR).
    public func prepare(_ terms: [WeightedTerm], options: SearchOptions = SearchOptions()) throws -> PreparedQuery {
        try options.bm25.validate()
        try verify([.terms])
        var leaves: [PlanNode] = []
        for t in terms {
            let w = try TermWeights(t, snapshot: snapshot, parameters: options.bm25)
            if w.stats.df > 0 { leaves.append(.term(TermLeaf(weights: w, field: nil, label: t.term))) }
        }
        let plan: PlanNode? = terms.isEmpty ? nil : leaves.isEmpty ? .nothing : leaves.count == 1 ? leaves[0] : .boolean(must: [], should: leaves, not: [])
        return PreparedQuery(query: nil, notices: [], plan: plan, parameters: options.bm25)
    }

    private func check(_ prepared: PreparedQuery, _ options: SearchOptions) throws {
        try options.bm25.validate()
        guard prepared.parameters == options.bm25 else {
            throw SearchError.invalidParameter("the query was prepared with other BM25 parameters")
        }
    }

    // MARK: Documents

    /// Top documents, ids and scores only (the fast form, for TREC runs).
    public func rank(_ prepared: PreparedQuery, options: SearchOptions = SearchOptions()) throws -> [ScoredID] {
        try check(prepared, options)
        try verify(prepared.plan?.readsPositions == true ? Searcher.phraseFiles : Searcher.rankingFiles)
        return try topDocuments(prepared, options).map { ScoredID(id: try snapshot.segments[Int($0.segment)].externalID(Int($0.doc)), score: $0.score) }
    }

    /// Top documents for query text (the query language), ids and scores only.
    public func rank(_ text: String, options: SearchOptions = SearchOptions()) throws -> [ScoredID] {
        try rank(try prepare(text, options: options), options: options)
    }

    /// Top documents for weighted terms (OR), ids and scores only.
    public func rank(_ terms: [WeightedTerm], options: SearchOptions = SearchOptions()) throws -> [ScoredID] {
        try rank(try prepare(terms, options: options), options: options)
    }

    private func topDocuments(_ prepared: PreparedQuery, _ options: SearchOptions) throws -> [ScoredDocument] {
        var top = TopDocuments(k: max(0, options.limit), segments: snapshot.segments)
        guard options.limit > 0, let plan = prepared.plan else { return [] }
        for (si, segment) in snapshot.segments.enumerated() {
            if let weights = prepared.disjunction {
                try collectDisjunction(weights, segment: segment, si: si, options: options, into: &top)
            } else {
                try collect(plan, segment: segment, si: si, options: options, into: &top)
            }
        }
        return top.sorted()
    }

    /// A disjunction of unscoped terms: block-max MaxScore over the postings.
    private func collectDisjunction(_ weights: [TermWeights], segment: SegmentReader, si: Int, options: SearchOptions, into top: inout TopDocuments) throws {
        var scorers: [TermScorer] = []
        let form = ScoreForm(mode: options.bm25.mode, field: nil)
        for (i, w) in weights.enumerated() {
            guard let info = w.infos[si] else { continue }
            scorers.append(try TermScorer(index: i, cursor: try segment.postings(info), segment: segment, weights: w, form: form))
        }
        if scorers.isEmpty { return }
        let collector = DocumentCollector(segmentIndex: si, segment: segment, scorers: scorers, termCount: weights.count)
        defer { collector.free() }
        if options.pruning {
            try collector.collectBlockMaxScore(into: &top)
        } else {
            try collector.collectExhaustive(into: &top)
        }
    }

    /// Any other query: its matcher tree, document at a time; a conjunction at the top skips
    /// blocks that cannot reach the k-th best score.
    private func collect(_ plan: PlanNode, segment: SegmentReader, si: Int, options: SearchOptions, into top: inout TopDocuments) throws {
        let root = try makeMatcher(plan, segment: segment, si: si, parameters: options.bm25)
        var minimum = -Double.infinity
        var d = try root.advance(to: 0)
        while d != PostingsCursor.end {
            if !segment.isDeleted(Int(d)) {
                top.offer(ScoredDocument(score: try root.score(), segment: Int32(si), doc: d))
                if options.pruning && top.isFull && top.threshold > minimum {
                    minimum = top.threshold
                    root.setMinimumScore(minimum)
                }
            }
            d = try root.advance(to: d + 1)
        }
    }

    /// How a document's score is made up (the plan's matchers positioned on it).
    private func explanation(_ plan: PlanNode, segment si: Int, doc: Int32, score: Double, options: SearchOptions) throws -> ScoreExplanation {
        let root = try makeMatcher(plan, segment: snapshot.segments[si], si: si, parameters: options.bm25)
        var parts: [ScorePart] = []
        if try root.advance(to: doc) == doc { try root.explain(into: &parts) }
        return ScoreExplanation(score: score, parts: parts)
    }

    /// Top documents with titles, highlights and best passages.
    public func search(_ prepared: PreparedQuery, options: SearchOptions = SearchOptions()) throws -> [DocumentResult] {
        try check(prepared, options)
        try verify(Searcher.textFiles)
        let top = try topDocuments(prepared, options)
        let highlighter = Highlighter(analyzer: analyzer, plan: prepared.plan)
        var scorer = PassageScorer(units: PassageUnit.units(of: prepared.plan))
        var occurrences: [[Occurrence]] = []
        var results: [DocumentResult] = []
        for (rank, hit) in top.enumerated() {
            let si = Int(hit.segment)
            let segment = snapshot.segments[si]
            let doc = Int(hit.doc)
            let stored = try segment.storedDocument(doc)
            var passages: [PassageResult] = []
            if options.snippets > 0 {
                let reader = try OccurrenceReader(units: scorer.units, segment: segment, segmentIndex: si)
                try reader.load(hit.doc)
                try reader.occurrences(into: &occurrences)
                var scored = try scorer.score(segment: segment, doc: doc, occurrences: occurrences)
                scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.passage < $1.passage }
                var chosen = Array(scored.prefix(options.snippets).filter { $0.score > 0 })
                if chosen.isEmpty, let first = scored.min(by: { $0.passage < $1.passage }) { chosen = [first] }
                if options.snippetOrder == .document { chosen.sort { $0.passage < $1.passage } }
                passages = chosen.compactMap { passageResult(stored, index: $0.passage, score: $0.score, highlighter: highlighter) }
            }
            var explained: ScoreExplanation? = nil
            if options.explain, let plan = prepared.plan {
                explained = try explanation(plan, segment: si, doc: hit.doc, score: hit.score, options: options)
            }
            let titleRange = 0..<stored.title.utf8.count
            results.append(DocumentResult(
                rank: rank + 1, id: stored.id, title: stored.title, path: stored.path, score: hit.score,
                titleHighlights: highlighter.highlights(in: stored.title, range: titleRange, field: .title), passages: passages,
                explanation: explained))
        }
        return results
    }

    /// Top documents for query text (the query language), with titles, highlights and best passages.
    public func search(_ text: String, options: SearchOptions = SearchOptions()) throws -> [DocumentResult] {
        try search(try prepare(text, options: options), options: options)
    }

    /// Top documents for weighted terms, with titles, highlights and best passages.
    public func search(_ terms: [WeightedTerm], options: SearchOptions = SearchOptions()) throws -> [DocumentResult] {
        try search(try prepare(terms, options: options), options: options)
    }

    private func passageResult(_ stored: StoredDocument, index: Int, score: Double, highlighter: Highlighter) -> PassageResult? {
        guard index < stored.passages.count else { return nil }
        let span = stored.passages[index]
        var body = stored.body
        let (charStart, charEnd) = body.withUTF8 { u -> (Int, Int) in
            var counter = ScalarCounter(UnsafeRawBufferPointer(u))
            return (counter.scalars(upTo: span.start), counter.scalars(upTo: span.end))
        }
        return PassageResult(
            index: index, start: span.start, end: span.end, charStart: charStart, charEnd: charEnd, score: score,
            text: slice(stored.body, span.start..<span.end), heading: heading(at: span.start, in: stored),
            highlights: highlighter.highlights(in: stored.body, range: span.start..<span.end, field: .body))
    }

    // MARK: Passages

    /// The best passages of the whole index. Every passage of every document that matches
    /// the query is a candidate, scored with passage BM25 over the query's positive terms and
    /// phrases. Documents whose best possible passage score cannot reach the current k-th
    /// best are skipped without reading their positions.
    public func passages(_ prepared: PreparedQuery, options: SearchOptions = SearchOptions()) throws -> [PassageHit] {
        try check(prepared, options)
        try verify(Searcher.textFiles)
        var top = TopPassages(k: max(0, options.limit), segments: snapshot.segments)
        guard options.limit > 0, let plan = prepared.plan else { return [] }
        var scorer = PassageScorer(units: PassageUnit.units(of: plan))
        var occurrences: [[Occurrence]] = []
        for (si, segment) in snapshot.segments.enumerated() {
            let root = try makeMatcher(plan, segment: segment, si: si, parameters: options.bm25)
            let reader = try OccurrenceReader(units: scorer.units, segment: segment, segmentIndex: si)
            var d = try root.advance(to: 0)
            while d != PostingsCursor.end {
                if !segment.isDeleted(Int(d)) {
                    try reader.load(d)
                    if !options.pruning || !top.isFull || reader.bound() >= top.threshold {
                        try reader.occurrences(into: &occurrences)
                        for p in try scorer.score(segment: segment, doc: Int(d), occurrences: occurrences) where p.score > 0 {
                            top.offer(ScoredPassage(score: p.score, segment: Int32(si), doc: d, passage: Int32(p.passage)))
                        }
                    }
                }
                d = try root.advance(to: d + 1)
            }
        }
        let highlighter = Highlighter(analyzer: analyzer, plan: plan)
        var hits: [PassageHit] = []
        for (rank, p) in top.sorted().enumerated() {
            let si = Int(p.segment)
            let segment = snapshot.segments[si]
            let stored = try segment.storedDocument(Int(p.doc))
            guard let result = passageResult(stored, index: Int(p.passage), score: p.score, highlighter: highlighter) else { continue }
            var explained: ScoreExplanation? = nil
            if options.explain {
                let reader = try OccurrenceReader(units: scorer.units, segment: segment, segmentIndex: si)
                try reader.load(p.doc)
                try reader.occurrences(into: &occurrences)
                _ = try scorer.score(segment: segment, doc: Int(p.doc), occurrences: occurrences)
                explained = ScoreExplanation(score: p.score, parts: scorer.explain(passage: Int(p.passage), parameters: options.bm25))
            }
            hits.append(PassageHit(rank: rank + 1, id: stored.id, title: stored.title, path: stored.path, passage: result, explanation: explained))
        }
        return hits
    }

    /// The best passages of the whole index for query text (the query language).
    public func passages(_ text: String, options: SearchOptions = SearchOptions()) throws -> [PassageHit] {
        try passages(try prepare(text, options: options), options: options)
    }

    /// The best passages of the whole index for weighted terms (OR).
    public func passages(_ terms: [WeightedTerm], options: SearchOptions = SearchOptions()) throws -> [PassageHit] {
        try passages(try prepare(terms, options: options), options: options)
    }

    // MARK: Documents by id

    /// The stored document with an external id.
    public func document(id: String) throws -> StoredDocument {
        try verify([.ids, .store])
        guard let (s, d) = try snapshot.locate(id: id) else { throw SearchError.unknownDocument(id) }
        return try snapshot.segments[s].storedDocument(d)
    }
}

/// The matcher tree of a plan in one segment.
func makeMatcher(_ node: PlanNode, segment: SegmentReader, si: Int, parameters: BM25Parameters) throws -> any Matcher {
    switch node {
    case .nothing:
        return EmptyMatcher()
    case .term(let leaf):
        guard let info = leaf.weights.infos[si] else { return EmptyMatcher() }
        return try TermMatcher(leaf: leaf, cursor: try segment.postings(info), segment: segment, parameters: parameters)
    case .phrase(let leaf):
        let infos = leaf.terms.compactMap { $0.infos[si] }
        guard infos.count == leaf.terms.count else { return EmptyMatcher() }
        return PhraseMatcher(leaf: leaf, cursors: try infos.map { try segment.postings($0) }, segment: segment, parameters: parameters)
    case .boolean(let must, let should, let not):
        var required: [any Matcher] = []
        for n in must {
            let m = try makeMatcher(n, segment: segment, si: si, parameters: parameters)
            if m is EmptyMatcher { return m }
            required.append(m)
        }
        let optional = try should.map { try makeMatcher($0, segment: segment, si: si, parameters: parameters) }.filter { !($0 is EmptyMatcher) }
        let excluded = try not.map { try makeMatcher($0, segment: segment, si: si, parameters: parameters) }.filter { !($0 is EmptyMatcher) }
        let positive: any Matcher
        if !required.isEmpty {
            positive = ConjunctionMatcher(required: required, optional: optional)
        } else if optional.isEmpty {
            return EmptyMatcher()
        } else {
            positive = optional.count == 1 ? optional[0] : DisjunctionMatcher(optional)
        }
        return excluded.isEmpty ? positive : ExclusionMatcher(positive: positive, excluded: excluded)
    }
}
