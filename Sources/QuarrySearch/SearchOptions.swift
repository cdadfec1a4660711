import QuarryDocument

/// How query text is read.
public enum QuerySyntax: String, Sendable, Codable, CaseIterable {
    /// The query language of docs/QUERY.md: phrases, `+required`, `-excluded`, fields,
    /// prefixes, fuzzy words, boosts.
    case query
    /// A bag of words: every analysed word is an optional term, whatever punctuation or
    /// operators the text holds (what benchmark harnesses expect).
    case words
}

/// How a query is read and scored. Fixed when the query is prepared: a prepared query
/// carries its weights.
public struct QueryOptions: Sendable, Equatable {
    /// BM25 parameters and the scoring of fields.
    public var scoring: BM25Parameters
    /// The operator between free words of query text (`a b`).
    public var defaultOperator: QueryOperator
    /// How text is read (the query language, or a bag of words).
    public var syntax: QuerySyntax
    /// The most terms a prefix or fuzzy word expands to (the most frequent, or closest).
    public var maxExpansions: Int
    /// The most terms all prefix and fuzzy words of the query expand to together (so that
    /// hundreds of them cannot multiply `maxExpansions`); past it, words are expanded partly
    /// or not at all, with an `expansion-budget` notice.
    public var maxQueryExpansions: Int
    /// When preparing must have finished (expanding prefix and fuzzy words is the part that
    /// can take long); nil for no deadline. See `SearchOptions.deadline`.
    public var deadline: ContinuousClock.Instant?

    public init(
        scoring: BM25Parameters = .default, defaultOperator: QueryOperator = .or, syntax: QuerySyntax = .query,
        maxExpansions: Int = 128, maxQueryExpansions: Int = 1024, deadline: ContinuousClock.Instant? = nil
    ) {
        self.maxQueryExpansions = maxQueryExpansions
        self.scoring = scoring
        self.defaultOperator = defaultOperator
        self.syntax = syntax
        self.maxExpansions = maxExpansions
        self.deadline = deadline
    }

    package func validate() throws {
        try scoring.validate()
        guard maxExpansions >= 1 else { throw SearchError.invalidParameter("maxExpansions must be 1 or more, not \(maxExpansions)") }
        guard maxQueryExpansions >= 1 else {
            throw SearchError.invalidParameter("maxQueryExpansions must be 1 or more, not \(maxQueryExpansions)")
        }
    }
}

/// How snippets of document results are ordered.
public enum SnippetOrder: String, Sendable, Codable, CaseIterable {
    /// Best passage first.
    case score
    /// In the order they appear in the document.
    case document
}

/// What a search returns: which page of results, and what each result carries.
public struct SearchOptions: Sendable, Equatable {
    /// Results to return (at most).
    public var limit: Int
    /// Results to skip first: `offset: 10, limit: 10` is the second page of ten, exactly
    /// results 11–20 of `limit: 20`.
    public var offset: Int
    /// Passages returned with each document result (0 for none).
    public var snippets: Int
    public var snippetOrder: SnippetOrder
    /// Attach to each result how its score was computed.
    public var explain: Bool
    /// Score every matching document instead of skipping those that cannot reach the top
    /// (same results; for checks).
    public var exhaustive: Bool
    /// Only documents dated at or after this moment (seconds since 1970, UTC; `ISODate`
    /// parses text). With `after` or `before`, documents without a date are left out.
    /// Applied while collecting, before scoring: the results are exactly the top of the
    /// documents in the range.
    public var after: Int64?
    /// Only documents dated before this moment (exclusive).
    public var before: Int64?
    /// When the search must have finished; nil for no deadline. It is checked as documents
    /// and passages are scored and results built; once it has passed, the search stops and
    /// throws (`QuarryError.deadlineExceeded`) instead of returning a partial ranking.
    /// For example `.now + .milliseconds(500)`.
    public var deadline: ContinuousClock.Instant?
    /// Only documents whose id starts with this prefix (a folder of the indexed tree:
    /// `docs/api/`); nil or empty for all. Applied while collecting, before scoring: the
    /// results are exactly the top of the documents with the prefix.
    public var idPrefix: String?
    /// Crop each snippet of a document result to about this many words around its
    /// highlights (`PassageResult.crop`); nil for whole passages.
    public var snippetWords: Int?

    public init(
        limit: Int = 10, offset: Int = 0, snippets: Int = 2, snippetOrder: SnippetOrder = .score, explain: Bool = false,
        exhaustive: Bool = false, deadline: ContinuousClock.Instant? = nil, idPrefix: String? = nil, snippetWords: Int? = nil,
        after: Int64? = nil, before: Int64? = nil
    ) {
        self.limit = limit
        self.offset = offset
        self.snippets = snippets
        self.snippetOrder = snippetOrder
        self.explain = explain
        self.exhaustive = exhaustive
        self.deadline = deadline
        self.idPrefix = idPrefix
        self.snippetWords = snippetWords
        self.after = after
        self.before = before
    }

    /// Results to collect before the page is cut out of them.
    /// (Saturating: `offset + limit` of two huge values does not overflow.)
    package var depth: Int {
        let (sum, overflow) = max(0, offset).addingReportingOverflow(max(0, limit))
        return overflow ? Int.max : sum
    }

    package func validate() throws {
        guard limit >= 0 else { throw SearchError.invalidParameter("limit must be 0 or more, not \(limit)") }
        guard offset >= 0 else { throw SearchError.invalidParameter("offset must be 0 or more, not \(offset)") }
        guard snippets >= 0 else { throw SearchError.invalidParameter("snippets must be 0 or more, not \(snippets)") }
        if let w = snippetWords, w < 1 { throw SearchError.invalidParameter("snippetWords must be 1 or more, not \(w)") }
        if let after, let before, after >= before {
            throw SearchError.invalidParameter(
                "the date range is empty: after (\(ISODate.format(after))) must be earlier than before (\(ISODate.format(before)))")
        }
    }
}
