import QuarryAnalysis
import QuarryCore
import QuarryDocument
import QuarryIndex

/// Answers queries over one snapshot of an index. Thread-safe: any number of searches may
/// run on one searcher at once (each borrows an analyzer from a pool).
///
///     let searcher = try Searcher(directory: "Index")
///     let prepared = try searcher.prepare("\"grace period\" title:rcu -deprecated")
///     let results = try searcher.search(prepared, options: SearchOptions(limit: 5))
///
/// Text queries use the query language of docs/QUERY.md (or a bag of words, by
/// `QueryOptions.syntax`); `Query` trees can be prepared directly.
package final class Searcher: Sendable {
    package let snapshot: IndexSnapshot
    let analyzers: AnalyzerPool
    let scratches = ScratchPool()

    package init(snapshot: IndexSnapshot) throws {
        self.snapshot = snapshot
        analyzers = try AnalyzerPool(settings: snapshot.settings.analyzer)
    }

    /// Opens the current commit of the index at `directory`.
    package convenience init(directory: String, verifyChecksums: Bool = true) throws {
        try self.init(snapshot: try IndexSnapshot.open(directory, verifyChecksums: verifyChecksums))
    }

    /// The query's weighted terms (free text: every analysed word, OR).
    package func terms(_ text: String) throws -> [WeightedTerm] {
        try analyzers.with { bagOfWords(text, analyzer: $0) }
    }

    /// A prepared query can only run on the snapshot it was prepared against.
    private func check(_ prepared: PreparedQuery) throws {
        guard prepared.snapshot == ObjectIdentifier(snapshot) else {
            throw SearchError.invalidParameter(
                "the query was prepared by another searcher (another snapshot of the index); prepare it with this one")
        }
    }

    /// Verifies (once per process) what scoring reads in every segment without a reader
    /// that verifies it (lengths, id ranks); everything else is verified as it is read.
    private func prepareForScoring() throws {
        for s in snapshot.segments { try s.prepareForScoring() }
    }

    /// What collecting in a segment sees of its documents: lengths, and which are excluded
    /// (deleted, or outside the options' date range); nil when the range excludes them all.
    /// What the collectors of segment `si` read per document, with the search's filters (nil
    /// when no document of the segment can pass them).
    private func view(of segment: SegmentReader, _ si: Int, _ options: SearchOptions, _ filter: IDFilter) throws -> DocumentView? {
        var view = segment.documentView
        if filter.excludes(segment: si) { return nil }
        if let ranks = filter.admitted(segment: si) { view = view.limited(toIDRanks: ranks) }
        guard options.after != nil || options.before != nil else { return view }
        guard let dates = try segment.dateColumn() else { return nil }
        return view.limited(to: dates, after: options.after, before: options.before)
    }

    // MARK: Preparing queries

    /// Resolves a query tree: analyses its words, expands prefixes and fuzzy words, weighs
    /// every term with the snapshot's statistics.
    package func prepare(_ query: Query, options: QueryOptions = QueryOptions()) throws -> PreparedQuery {
        try options.validate()
        return try analyzers.with { analyzer in
            var planner = QueryPlanner(
                snapshot: snapshot, analyzer: analyzer, parameters: options.scoring, maxExpansions: options.maxExpansions,
                maxQueryExpansions: options.maxQueryExpansions, deadline: options.deadline)
            let plan = try planner.plan(query)
            return PreparedQuery(query: query, notices: planner.notices, plan: plan, parameters: options.scoring, snapshot: snapshot)
        }
    }

    /// Prepares query text: parsed in the query language (free words joined by
    /// `options.defaultOperator`; a malformed query throws a `QueryError` with its column),
    /// or read as a bag of words (`options.syntax`).
    package func prepare(_ text: String, options: QueryOptions = QueryOptions()) throws -> PreparedQuery {
        switch options.syntax {
        case .query: return try prepare(try Query.parse(text, defaultOperator: options.defaultOperator), options: options)
        case .words: return try prepare(try terms(text), options: options)
        }
    }

    /// Prepares weighted terms (OR).
    package func prepare(_ terms: [WeightedTerm], options: QueryOptions = QueryOptions()) throws -> PreparedQuery {
        try options.validate()
        var leaves: [PlanNode] = []
        let deadline = DeadlineCheck(options.deadline, interval: 64)
        for t in terms {
            try deadline.tick("preparing the query")
            let w = try TermWeights(t, snapshot: snapshot, parameters: options.scoring)
            if w.stats.df > 0 { leaves.append(.term(TermLeaf(weights: w, field: nil, label: t.term))) }
        }
        let plan: PlanNode? =
            terms.isEmpty ? nil : leaves.isEmpty ? .nothing : leaves.count == 1 ? leaves[0] : .boolean(must: [], should: leaves, not: [])
        return PreparedQuery(query: nil, notices: [], plan: plan, parameters: options.scoring, snapshot: snapshot)
    }

    // MARK: Documents

    /// Top documents, ids and scores only (the fast form, for TREC runs and evaluation).
    package func rank(_ prepared: PreparedQuery, options: SearchOptions = SearchOptions()) throws -> [ScoredID] {
        try check(prepared)
        try options.validate()
        try prepareForScoring()
        let deadline = DeadlineCheck(options.deadline)
        return try page(try topDocuments(prepared, options, deadline: deadline), options).map {
            ScoredID(id: try snapshot.segments[Int($0.segment)].externalID(Int($0.doc)), score: $0.score)
        }
    }

    /// The requested page of a ranking.
    private func page<T>(_ ranked: [T], _ options: SearchOptions) -> ArraySlice<T> {
        ranked.dropFirst(options.offset).prefix(options.limit)
    }

    private func topDocuments(_ prepared: PreparedQuery, _ options: SearchOptions, deadline: DeadlineCheck) throws -> [ScoredDocument] {
        var top = TopDocuments(k: options.depth, segments: snapshot.segments)
        guard options.limit > 0, let plan = prepared.plan else { return [] }
        try deadline.now("starting the search")
        let filter = try IDFilter(prefix: options.idPrefix, segments: snapshot.segments)
        try scratches.with { scratch in
            for (si, segment) in snapshot.segments.enumerated() {
                guard let view = try view(of: segment, si, options, filter) else { continue }
                if let weights = prepared.disjunction {
                    try collectDisjunction(
                        weights, segment: segment, si: si, view: view, prepared: prepared, options: options, scratch: scratch,
                        into: &top, deadline: deadline)
                } else {
                    try collect(
                        plan, segment: segment, si: si, view: view, prepared: prepared, options: options, into: &top, deadline: deadline)
                }
            }
        }
        return top.sorted()
    }

    /// A disjunction of unscoped terms: block-max MaxScore over the postings.
    private func collectDisjunction(
        _ weights: [TermWeights], segment: SegmentReader, si: Int, view: DocumentView, prepared: PreparedQuery,
        options: SearchOptions, scratch: CollectorScratch, into top: inout TopDocuments, deadline: DeadlineCheck
    ) throws {
        var scorers: [TermScorer] = []
        let form = ScoreForm(mode: prepared.parameters.mode, field: nil)
        for (i, w) in weights.enumerated() {
            guard let info = w.infos[si] else { continue }
            scorers.append(try TermScorer(index: i, cursor: try segment.postings(info), segment: segment, weights: w, form: form))
        }
        if scorers.isEmpty { return }
        let collector = DocumentCollector(
            segmentIndex: si, segment: segment, view: view, scorers: scorers, scratch: scratch, deadline: deadline)
        if options.exhaustive {
            try collector.collectExhaustive(into: &top)
        } else {
            try collector.collectBlockMaxScore(into: &top)
        }
    }

    /// Any other query: its matcher tree, document at a time; a conjunction at the top skips
    /// blocks that cannot reach the k-th best score.
    private func collect(
        _ plan: PlanNode, segment: SegmentReader, si: Int, view: DocumentView, prepared: PreparedQuery, options: SearchOptions,
        into top: inout TopDocuments, deadline: DeadlineCheck
    ) throws {
        let root = try makeMatcher(plan, segment: segment, si: si, parameters: prepared.parameters, deadline: deadline)
        var minimum = -Double.infinity
        var d = try root.advance(to: 0)
        while d != PostingsCursor.end {
            try deadline.tick("scoring documents")
            if !view.isExcluded(Int(d)) {
                top.offer(ScoredDocument(score: try root.score(), segment: Int32(si), doc: d))
                if !options.exhaustive && top.isFull && top.threshold > minimum {
                    minimum = top.threshold
                    root.setMinimumScore(minimum)
                }
            }
            d = try root.advance(to: d + 1)
        }
    }

    /// How a document's score is made up (the plan's matchers positioned on it).
    private func explanation(_ plan: PlanNode, segment si: Int, doc: Int32, score: Double, parameters: BM25Parameters) throws
        -> ScoreExplanation
    {
        let root = try makeMatcher(plan, segment: snapshot.segments[si], si: si, parameters: parameters)
        var parts: [ScorePart] = []
        if try root.advance(to: doc) == doc { try root.explain(into: &parts) }
        return ScoreExplanation(score: score, parts: parts)
    }

    /// Top documents with titles, highlights and best passages.
    package func search(_ prepared: PreparedQuery, options: SearchOptions = SearchOptions()) throws -> [DocumentResult] {
        try check(prepared)
        try options.validate()
        try prepareForScoring()
        let deadline = DeadlineCheck(options.deadline)
        let top = try topDocuments(prepared, options, deadline: deadline)
        return try analyzers.with { analyzer in
            let highlighter = Highlighter(analyzer: analyzer, plan: prepared.plan)
            var scorer = PassageScorer(units: PassageUnit.units(of: prepared.plan))
            var occurrences: [[Occurrence]] = []
            var results: [DocumentResult] = []
            for (rank, hit) in zip(options.offset..., page(top, options)) {
                try deadline.now("building results")
                let si = Int(hit.segment)
                let segment = snapshot.segments[si]
                let doc = Int(hit.doc)
                // Title, path and date from the summaries; the stored text only for snippets.
                let (title, path) = try segment.summary(doc)
                var passages: [PassageResult] = []
                if options.snippets > 0 {
                    let stored = try segment.storedDocument(doc)
                    let reader = try OccurrenceReader(units: scorer.units, segment: segment, segmentIndex: si)
                    try reader.load(hit.doc)
                    try reader.occurrences(into: &occurrences)
                    var scored = try scorer.score(segment: segment, doc: doc, occurrences: occurrences)
                    scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.passage < $1.passage }
                    var chosen = Array(scored.prefix(options.snippets).filter { $0.score > 0 })
                    if chosen.isEmpty, let first = scored.min(by: { $0.passage < $1.passage }) { chosen = [first] }
                    if options.snippetOrder == .document { chosen.sort { $0.passage < $1.passage } }
                    passages = chosen.compactMap {
                        passageResult(stored, index: $0.passage, score: $0.score, highlighter: highlighter, cropWords: options.snippetWords)
                    }
                }
                var explained: ScoreExplanation? = nil
                if options.explain, let plan = prepared.plan {
                    explained = try explanation(plan, segment: si, doc: hit.doc, score: hit.score, parameters: prepared.parameters)
                }
                results.append(
                    DocumentResult(
                        rank: rank + 1, id: try segment.externalID(doc), title: title, path: path, score: hit.score,
                        titleHighlights: highlighter.highlights(in: title, range: 0..<title.utf8.count, field: .title), passages: passages,
                        explanation: explained, date: try segment.date(doc)))
            }
            return results
        }
    }

    private func passageResult(
        _ stored: StoredDocument, index: Int, score: Double, highlighter: Highlighter,
        cropWords: Int? = nil
    ) -> PassageResult? {
        guard index < stored.passages.count else { return nil }
        let span = stored.passages[index]
        var body = stored.body
        let (charStart, charEnd) = body.withUTF8 { u -> (Int, Int) in
            var counter = ScalarCounter(UnsafeRawBufferPointer(u))
            return (counter.scalars(upTo: span.start), counter.scalars(upTo: span.end))
        }
        let highlights = highlighter.highlights(in: stored.body, range: span.start..<span.end, field: .body)
        return PassageResult(
            index: index, start: span.start, end: span.end, charStart: charStart, charEnd: charEnd, score: score,
            text: slice(stored.body, span.start..<span.end), heading: heading(at: span.start, in: stored),
            highlights: highlights,
            crop: cropWords.flatMap { crop(stored.body, passage: span.start..<span.end, highlights: highlights, words: $0) })
    }

    // MARK: Passages

    /// The best passages of the whole index. Every passage of every document that matches
    /// the query is a candidate, scored with passage BM25 over the query's positive terms and
    /// phrases. Documents whose best possible passage score cannot reach the current k-th
    /// best are skipped without reading their positions.
    package func passages(_ prepared: PreparedQuery, options: SearchOptions = SearchOptions()) throws -> [PassageHit] {
        try check(prepared)
        try options.validate()
        try prepareForScoring()
        var top = TopPassages(k: options.depth, segments: snapshot.segments)
        guard options.limit > 0, let plan = prepared.plan else { return [] }
        var scorer = PassageScorer(units: PassageUnit.units(of: plan))
        var occurrences: [[Occurrence]] = []
        let deadline = DeadlineCheck(options.deadline, interval: 64)
        try deadline.now("starting the search")
        let filter = try IDFilter(prefix: options.idPrefix, segments: snapshot.segments)
        for (si, segment) in snapshot.segments.enumerated() {
            guard let view = try view(of: segment, si, options, filter) else { continue }
            let root = try makeMatcher(plan, segment: segment, si: si, parameters: prepared.parameters, deadline: deadline)
            let reader = try OccurrenceReader(units: scorer.units, segment: segment, segmentIndex: si)
            var d = try root.advance(to: 0)
            while d != PostingsCursor.end {
                try deadline.tick("scoring passages")
                if !view.isExcluded(Int(d)) {
                    try reader.load(d)
                    if options.exhaustive || !top.isFull || reader.bound() >= top.threshold {
                        try reader.occurrences(into: &occurrences)
                        for p in try scorer.score(segment: segment, doc: Int(d), occurrences: occurrences) where p.score > 0 {
                            top.offer(ScoredPassage(score: p.score, segment: Int32(si), doc: d, passage: Int32(p.passage)))
                        }
                    }
                }
                d = try root.advance(to: d + 1)
            }
        }
        return try analyzers.with { analyzer in
            let highlighter = Highlighter(analyzer: analyzer, plan: plan)
            var hits: [PassageHit] = []
            for (rank, p) in zip(options.offset..., page(top.sorted(), options)) {
                try deadline.now("building results")
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
                    explained = ScoreExplanation(
                        score: p.score, parts: scorer.explain(passage: Int(p.passage), parameters: prepared.parameters))
                }
                hits.append(
                    PassageHit(
                        rank: rank + 1, id: stored.id, title: stored.title, path: stored.path, passage: result,
                        explanation: explained, date: stored.date))
            }
            return hits
        }
    }

    // MARK: Documents by id

    /// The stored document with an external id.
    package func document(id: String) throws -> StoredDocument {
        guard let (s, d) = try snapshot.locate(id: id) else { throw SearchError.unknownDocument(id) }
        return try snapshot.segments[s].storedDocument(d)
    }

    /// How the score of the document with an external id is made up for a query (nil when
    /// the document does not match it).
    package func explain(_ prepared: PreparedQuery, id: String) throws -> ScoreExplanation? {
        try check(prepared)
        try prepareForScoring()
        guard let plan = prepared.plan, let (s, d) = try snapshot.locate(id: id) else { return nil }
        let root = try makeMatcher(plan, segment: snapshot.segments[s], si: s, parameters: prepared.parameters)
        guard try root.advance(to: Int32(d)) == Int32(d) else { return nil }
        var parts: [ScorePart] = []
        try root.explain(into: &parts)
        return ScoreExplanation(score: try root.score(), parts: parts)
    }
}
