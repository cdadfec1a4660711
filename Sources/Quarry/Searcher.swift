import Dispatch
import QuarryIndex
import QuarrySearch

/// Answers queries over one snapshot of an index (the commit current when it was made):
/// ranked documents with snippets, the best passages of the whole index, stored documents
/// and explanations. A snapshot stays valid while writers commit and merge.
///
/// Thread-safe: share one searcher between threads or tasks; searches run concurrently,
/// without a lock around them. For newer commits, make a new searcher (`refreshed()`).
///
///     let searcher = try Searcher(directory: "Index")
///     for hit in try searcher.search("norepinephrine deficiency") {
///         print(hit.rank, hit.id, hit.score, hit.passages.first?.text ?? "")
///     }
///
/// Query text is read as docs/QUERY.md says (or as a bag of words, `QueryOptions.syntax`);
/// `prepare` a query once to run it several times (a page of results, then passages).
public final class Searcher: Sendable {
    let engine: QuarrySearch.Searcher

    /// Opens the current commit of the index at `directory`.
    public init(directory: String) throws(QuarryError) {
        engine = try mapped { try QuarrySearch.Searcher(directory: directory) }
    }

    /// The index directory.
    public var directory: String { engine.snapshot.directory }
    /// The commit generation this searcher reads.
    public var generation: Int { Int(engine.snapshot.manifest.generation) }
    /// Live documents of its snapshot.
    public var documentCount: Int { engine.snapshot.stats.documents }

    private init(engine: QuarrySearch.Searcher) {
        self.engine = engine
    }

    /// A searcher over the index's current commit: this one when nothing was committed
    /// since it was made, a new one otherwise. The new one shares the segments that did not
    /// change with this one (their files stay open and verified), so following commits
    /// costs what they changed, not the size of the index.
    public func refreshed() throws(QuarryError) -> Searcher {
        let current = try mapped { Int(try Manifest.read(directory: directory).generation) }
        if current == generation { return self }
        return Searcher(
            engine: try mapped {
                try QuarrySearch.Searcher(snapshot: try IndexSnapshot.open(directory, reusing: engine.snapshot))
            })
    }

    // MARK: Preparing

    /// Prepares query text: parsed in the query language (`QuarryError.invalidQuery` with the
    /// column of a mistake) or read as a bag of words, analysed, expanded and weighed with
    /// this snapshot's statistics.
    public func prepare(_ text: String, options: QueryOptions = QueryOptions()) throws(QuarryError) -> PreparedQuery {
        try mapped { try engine.prepare(text, options: options) }
    }

    /// Prepares a query tree.
    public func prepare(_ query: Query, options: QueryOptions = QueryOptions()) throws(QuarryError) -> PreparedQuery {
        try mapped { try engine.prepare(query, options: options) }
    }

    // MARK: Searching

    /// The top documents of a prepared query (the page `options` asks for), with titles,
    /// highlights and best passages.
    public func search(_ query: PreparedQuery, options: SearchOptions = SearchOptions()) throws(QuarryError) -> [DocumentResult] {
        try mapped { try engine.search(query, options: options) }
    }

    /// The top documents for query text. `options.deadline` also bounds the preparation of
    /// the query when `query.deadline` is nil.
    public func search(_ text: String, query: QueryOptions = QueryOptions(), options: SearchOptions = SearchOptions()) throws(QuarryError)
        -> [DocumentResult]
    {
        try search(try prepare(text, options: query.bounded(by: options)), options: options)
    }

    /// The best passages of the whole index for a prepared query, each with exact offsets
    /// into its document's stored text.
    public func passages(_ query: PreparedQuery, options: SearchOptions = SearchOptions()) throws(QuarryError) -> [PassageHit] {
        try mapped { try engine.passages(query, options: options) }
    }

    /// The best passages of the whole index for query text (`options.deadline` bounds the
    /// preparation too when `query.deadline` is nil).
    public func passages(_ text: String, query: QueryOptions = QueryOptions(), options: SearchOptions = SearchOptions()) throws(QuarryError)
        -> [PassageHit]
    {
        try passages(try prepare(text, options: query.bounded(by: options)), options: options)
    }

    /// The top documents' ids and scores only: the fast form (TREC runs, evaluation).
    public func rank(_ query: PreparedQuery, options: SearchOptions = SearchOptions()) throws(QuarryError) -> [ScoredID] {
        try mapped { try engine.rank(query, options: options) }
    }

    /// The stored document with an id (`QuarryError.unknownDocument` when there is none).
    public func document(id: String) throws(QuarryError) -> StoredDocument {
        try mapped { try engine.document(id: id) }
    }

    /// How a document's score for a query is made up; nil when it does not match.
    public func explain(_ query: PreparedQuery, id: String) throws(QuarryError) -> ScoreExplanation? {
        try mapped { try engine.explain(query, id: id) }
    }

    // MARK: From async code

    /// `search` from async code: runs on a background thread, not on the caller's executor.
    public func search(_ query: PreparedQuery, options: SearchOptions = SearchOptions()) async throws(QuarryError) -> [DocumentResult] {
        try await offload { () throws(QuarryError) -> [DocumentResult] in try self.search(query, options: options) }
    }

    /// `passages` from async code: runs on a background thread, not on the caller's executor.
    public func passages(_ query: PreparedQuery, options: SearchOptions = SearchOptions()) async throws(QuarryError) -> [PassageHit] {
        try await offload { () throws(QuarryError) -> [PassageHit] in try self.passages(query, options: options) }
    }

    /// Runs CPU-bound work on a global dispatch queue, so that it does not hold one of the
    /// few threads of Swift's cooperative pool (or an event loop) for its whole duration.
    private func offload<R: Sendable>(_ body: @escaping @Sendable () throws(QuarryError) -> R) async throws(QuarryError) -> R {
        let result: Result<R, QuarryError> = await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(returning: Result(catching: body))
            }
        }
        return try result.get()
    }
}

extension QueryOptions {
    /// These options with the search's deadline when they have none of their own.
    func bounded(by options: SearchOptions) -> QueryOptions {
        var q = self
        if q.deadline == nil { q.deadline = options.deadline }
        return q
    }
}
