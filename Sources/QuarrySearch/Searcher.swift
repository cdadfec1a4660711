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

    public init(limit: Int = 10, bm25: BM25Parameters = .default, snippets: Int = 2, snippetOrder: SnippetOrder = .score, pruning: Bool = true) {
        self.limit = limit
        self.bm25 = bm25
        self.snippets = snippets
        self.snippetOrder = snippetOrder
        self.pruning = pruning
    }
}

/// Answers queries over one snapshot of an index. Not thread-safe (it holds an analyzer);
/// create one per thread from the shared `IndexSnapshot`.
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

    /// File kinds read by ranking only, and by results with text.
    static let rankingFiles: [IndexFileKind] = [.terms, .postings, .ids]
    static let textFiles: [IndexFileKind] = [.terms, .postings, .ids, .positions, .passages, .store]

    /// Verifies (once) the files an operation reads, in every segment.
    private func verify(_ kinds: [IndexFileKind]) throws {
        for s in snapshot.segments { try s.verify(kinds) }
    }

    private func weights(_ terms: [WeightedTerm], _ p: BM25Parameters) throws -> [TermWeights] {
        try terms.map { try TermWeights($0, snapshot: snapshot, parameters: p) }
    }

    // MARK: Documents

    /// Top documents for weighted terms (OR), ids and scores only.
    public func rank(_ terms: [WeightedTerm], options: SearchOptions = SearchOptions()) throws -> [ScoredID] {
        try options.bm25.validate()
        try verify(Searcher.rankingFiles)
        let w = try weights(terms, options.bm25)
        return try topDocuments(w, options).map { ScoredID(id: try snapshot.segments[Int($0.segment)].externalID(Int($0.doc)), score: $0.score) }
    }

    /// Top documents for free text (OR of its terms), ids and scores only.
    public func rank(_ text: String, options: SearchOptions = SearchOptions()) throws -> [ScoredID] {
        try rank(terms(text), options: options)
    }

    private func topDocuments(_ weights: [TermWeights], _ options: SearchOptions) throws -> [ScoredDocument] {
        var top = TopDocuments(k: max(0, options.limit), segments: snapshot.segments)
        guard options.limit > 0 else { return [] }
        for (si, segment) in snapshot.segments.enumerated() {
            var scorers: [TermScorer] = []
            for (i, w) in weights.enumerated() {
                guard let info = w.infos[si] else { continue }
                scorers.append(try TermScorer(index: i, cursor: try segment.postings(info), segment: segment, weights: w, mode: options.bm25.mode))
            }
            if scorers.isEmpty { continue }
            let collector = DocumentCollector(segmentIndex: si, segment: segment, scorers: scorers, termCount: weights.count)
            defer { collector.free() }
            if options.pruning {
                try collector.collectBlockMaxScore(into: &top)
            } else {
                try collector.collectExhaustive(into: &top)
            }
        }
        return top.sorted()
    }

    /// Top documents for free text, with titles, highlights and best passages.
    public func search(_ text: String, options: SearchOptions = SearchOptions()) throws -> [DocumentResult] {
        try search(terms(text), options: options)
    }

    /// Top documents for weighted terms, with titles, highlights and best passages.
    public func search(_ terms: [WeightedTerm], options: SearchOptions = SearchOptions()) throws -> [DocumentResult] {
        try options.bm25.validate()
        try verify(Searcher.textFiles)
        let w = try weights(terms, options.bm25)
        let top = try topDocuments(w, options)
        let highlighter = Highlighter(analyzer: analyzer, terms: Set(terms.map(\.term)))
        var scorer = PassageScorer(weights: w)
        var results: [DocumentResult] = []
        for (rank, hit) in top.enumerated() {
            let segment = snapshot.segments[Int(hit.segment)]
            let doc = Int(hit.doc)
            let stored = try segment.storedDocument(doc)
            var passages: [PassageResult] = []
            if options.snippets > 0 {
                let cursors = try positionedCursors(w, segment: segment, doc: doc)
                var scored = try scorer.score(segment: segment, doc: doc, cursors: cursors)
                scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.passage < $1.passage }
                var chosen = Array(scored.prefix(options.snippets).filter { $0.score > 0 })
                if chosen.isEmpty, let first = scored.min(by: { $0.passage < $1.passage }) { chosen = [first] }
                if options.snippetOrder == .document { chosen.sort { $0.passage < $1.passage } }
                passages = chosen.compactMap { passageResult(stored, index: $0.passage, score: $0.score, highlighter: highlighter) }
            }
            let titleRange = 0..<stored.title.utf8.count
            results.append(DocumentResult(
                rank: rank + 1, id: stored.id, title: stored.title, path: stored.path, score: hit.score,
                titleHighlights: highlighter.highlights(in: stored.title, range: titleRange), passages: passages))
        }
        return results
    }

    /// Cursors of the query terms that occur in `doc`, positioned on it, by term index.
    private func positionedCursors(_ weights: [TermWeights], segment: SegmentReader, doc: Int) throws -> [(Int, PostingsCursor)] {
        var cursors: [(Int, PostingsCursor)] = []
        for (i, w) in weights.enumerated() {
            guard let info = try w.bytes.withUnsafeBytes({ try segment.termInfo($0) }) else { continue }
            let c = try segment.postings(info)
            if try c.advance(to: Int32(doc)) == Int32(doc) { cursors.append((i, c)) }
        }
        return cursors
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
            highlights: highlighter.highlights(in: stored.body, range: span.start..<span.end))
    }

    // MARK: Passages

    /// The best passages of the whole index for free text.
    public func passages(_ text: String, options: SearchOptions = SearchOptions()) throws -> [PassageHit] {
        try passages(terms(text), options: options)
    }

    /// The best passages of the whole index: every passage of every document that has a
    /// query term in its body is a candidate, scored with passage BM25. Documents whose
    /// best possible passage score cannot reach the current k-th best are skipped without
    /// reading their positions.
    public func passages(_ terms: [WeightedTerm], options: SearchOptions = SearchOptions()) throws -> [PassageHit] {
        try options.bm25.validate()
        try verify(Searcher.textFiles)
        let w = try weights(terms, options.bm25)
        var scorer = PassageScorer(weights: w)
        var top = TopPassages(k: max(0, options.limit), segments: snapshot.segments)
        guard options.limit > 0 else { return [] }
        var bodyTF = [UInt32](repeating: 0, count: w.count)
        for (si, segment) in snapshot.segments.enumerated() {
            var cursors: [(Int, PostingsCursor)] = []
            for (i, weight) in w.enumerated() {
                guard let info = try weight.bytes.withUnsafeBytes({ try segment.termInfo($0) }), info.dfBody > 0 else { continue }
                let c = try segment.postings(info)
                _ = try c.next()
                cursors.append((i, c))
            }
            while true {
                var d = PostingsCursor.end
                for (_, c) in cursors where c.doc < d { d = c.doc }
                if d == PostingsCursor.end { break }
                var any = false
                for i in 0..<bodyTF.count { bodyTF[i] = 0 }
                for (i, c) in cursors where c.doc == d {
                    bodyTF[i] = c.tfBody
                    if c.tfBody > 0 { any = true }
                }
                if any && !segment.isDeleted(Int(d)) && (!options.pruning || !top.isFull || scorer.bound(bodyTF: bodyTF) >= top.threshold) {
                    let scored = try scorer.score(segment: segment, doc: Int(d), cursors: cursors)
                    for p in scored where p.score > 0 {
                        top.offer(ScoredPassage(score: p.score, segment: Int32(si), doc: d, passage: Int32(p.passage)))
                    }
                }
                for (_, c) in cursors where c.doc == d { _ = try c.next() }
            }
        }
        let highlighter = Highlighter(analyzer: analyzer, terms: Set(terms.map(\.term)))
        var hits: [PassageHit] = []
        for (rank, p) in top.sorted().enumerated() {
            let stored = try snapshot.segments[Int(p.segment)].storedDocument(Int(p.doc))
            guard let result = passageResult(stored, index: Int(p.passage), score: p.score, highlighter: highlighter) else { continue }
            hits.append(PassageHit(rank: rank + 1, id: stored.id, title: stored.title, path: stored.path, passage: result))
        }
        return hits
    }

    // MARK: Documents by id

    /// The stored document with an external id.
    public func document(id: String) throws -> StoredDocument {
        try verify([.ids, .store])
        guard let (s, d) = try snapshot.locate(id: id) else { throw SearchError.unknownDocument(id) }
        return try snapshot.segments[s].storedDocument(d)
    }
}
