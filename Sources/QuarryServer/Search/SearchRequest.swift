import Quarry

/// What a search returns: ranked documents with snippets, or ranked passages.
enum SearchMode: String, CaseIterable, Sendable {
    case documents, passages
}

/// A search as the API takes it (`GET /search?q=…` or a JSON body to `POST /search`), with
/// the names and defaults of `quarry search`'s options.
struct SearchRequest: Sendable {
    var q: String
    var mode: SearchMode = .documents
    var query = QueryOptions()
    var options = SearchOptions(snippetWords: 30)
    /// How long the request may take (the server's limit, or less if asked).
    var timeout: Duration

    static let fields = [
        "q", "limit", "offset", "mode", "snippets", "snippet_order", "snippet_words", "explain", "all",
        "syntax", "scoring", "k1", "b", "title_weight", "body_weight", "title_b", "body_b", "max_expansions",
        "max_query_expansions", "under", "after", "before", "timeout_ms",
    ]

    init(_ f: inout RequestFields, limits: ServerConfiguration) throws(APIError) {
        guard let q = try f.string("q", maxLength: limits.maxQueryLength) else {
            throw APIError.badRequest("q is missing: give the query text (q=norepinephrine+deficiency)", field: "q")
        }
        guard !q.allSatisfy(\.isWhitespace) else { throw APIError.badRequest("q is empty: give the query text", field: "q") }
        self.q = q
        timeout = limits.requestTimeout
        if let v = try f.int("limit", in: 1...limits.maxLimit) { options.limit = v }
        if let v = try f.int("offset", in: 0...limits.maxOffset) { options.offset = v }
        if let v = try f.choice("mode", SearchMode.self) { mode = v }
        if let v = try f.int("snippets", in: 0...3) { options.snippets = v }
        if let v = try f.choice("snippet_order", SnippetOrder.self) { options.snippetOrder = v }
        if let v = try f.int("snippet_words", in: 0...1000) { options.snippetWords = v == 0 ? nil : v }
        if let v = try f.bool("explain") { options.explain = v }
        if let v = try f.bool("all") { query.defaultOperator = v ? .and : .or }
        if let v = try f.choice("syntax", QuerySyntax.self) { query.syntax = v }
        // As `quarry search` builds them: field b's left out take the mode's defaults.
        let d = BM25Parameters.default
        query.scoring = BM25Parameters(
            k1: try f.double("k1", in: 0...100) ?? d.k1, b: try f.double("b", in: 0...1) ?? d.b,
            mode: try f.choice("scoring", ScoringMode.self) ?? d.mode,
            titleWeight: try f.double("title_weight", in: 0...1000) ?? d.titleWeight,
            bodyWeight: try f.double("body_weight", in: 0...1000) ?? d.bodyWeight,
            titleB: try f.double("title_b", in: 0...1), bodyB: try f.double("body_b", in: 0...1))
        if let v = try f.int("max_expansions", in: 1...1024) { query.maxExpansions = v }
        if let v = try f.int("max_query_expansions", in: 1...65536) { query.maxQueryExpansions = v }
        if let v = try f.string("under", maxLength: 1024) { options.idPrefix = v.isEmpty ? nil : v }
        options.after = try SearchRequest.date(&f, "after")
        options.before = try SearchRequest.date(&f, "before")
        if let a = options.after, let b = options.before, a >= b {
            throw APIError.badRequest("the date range is empty: after must be earlier than before", field: "after")
        }
        let most = milliseconds(limits.requestTimeout)
        if let v = try f.int("timeout_ms", in: min(100, most)...most) { timeout = .milliseconds(v) }
        if let e = f.unknownFieldsError(known: SearchRequest.fields) { throw e }
    }

    /// An ISO 8601 date or time field (seconds since 1970, UTC).
    private static func date(_ f: inout RequestFields, _ name: String) throws(APIError) -> Int64? {
        guard let text = try f.string(name, maxLength: 64) else { return nil }
        guard let seconds = ISODate.parse(text) else {
            throw APIError.badRequest(
                "\(name) is not an ISO 8601 date (2024-05-03, 2024-05-03T10:00:00Z, 2024-05-03T12:00+02:00)", field: name)
        }
        return seconds
    }

    /// Runs the search on `searcher` and renders the `quarry.search/1` JSON. The library
    /// stops at `deadline` (expanding words, scoring, building results) and throws
    /// `deadlineExceeded`, so a search past its deadline also stops using its thread.
    func run(on searcher: Searcher, deadline: ContinuousClock.Instant) throws(QuarryError) -> String {
        let started = ContinuousClock.now
        var query = query, options = options
        query.deadline = deadline
        options.deadline = deadline
        let prepared = try searcher.prepare(q, options: query)
        switch mode {
        case .documents:
            let results = try searcher.search(prepared, options: options)
            return JSONContract.documents(
                query: q, results: results, notices: prepared.notices,
                tookMilliseconds: Double(nanoseconds(ContinuousClock.now - started)) / 1e6)
        case .passages:
            let hits = try searcher.passages(prepared, options: options)
            return JSONContract.passages(
                query: q, hits: hits, notices: prepared.notices,
                tookMilliseconds: Double(nanoseconds(ContinuousClock.now - started)) / 1e6)
        }
    }
}
