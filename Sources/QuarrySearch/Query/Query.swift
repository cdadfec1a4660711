/// A field a query clause can be limited to.
public enum QueryField: String, Sendable, Hashable, CaseIterable, Codable {
    case title
    case body
}

/// How a clause of a boolean query takes part in matching.
public enum Occur: String, Sendable, Hashable, Codable {
    /// Optional: a document matches a boolean query without `must` clauses when it matches at
    /// least one `should` clause; a matching `should` clause always adds its score.
    case should
    /// Required (`+word`, `a AND b`).
    case must
    /// Excluded (`-word`, `NOT word`): documents matching it are dropped; it never scores.
    case mustNot
}

/// A query as a tree. Build one with `Query.parse(_:)` from the query language of
/// docs/QUERY.md, or directly:
///
///     let q: Query = .boolean([
///         .init(.must, .phrase("grace period")),
///         .init(.should, .term("rcu", field: .title)),
///         .init(.mustNot, .prefix("deprecat")),
///     ])
///
/// Words and phrases hold the text as the user typed it; the index's analyzer turns them
/// into terms at search time, exactly as it does for indexed text. `description` prints
/// the query in the query language (with the default operator OR), and parsing that text
/// gives an equal tree.
public indirect enum Query: Sendable, Hashable {
    /// One word, analysed like indexed text. A word that analysis splits into several
    /// terms (`e-mail`, `3.14`) is searched as a phrase of them; one that analyses to
    /// nothing (a stopword) matches nothing and is dropped from its boolean query.
    case term(String, field: QueryField? = nil)
    /// Words that must occur in this order, adjacent (`slop` 0), or within `slop` moves of
    /// it: the spread of their positions, less their spread in the phrase, is at most `slop`.
    case phrase(String, slop: Int = 0, field: QueryField? = nil)
    /// Every indexed term that starts with the text (case- and diacritic-folded, not
    /// stemmed); the number of terms expanded to is capped and the cap is reported.
    case prefix(String, field: QueryField? = nil)
    /// Every indexed term within `maxEdits` (0–2) insertions, deletions, substitutions or
    /// transpositions of the analysed word.
    case fuzzy(String, maxEdits: Int = 2, field: QueryField? = nil)
    /// Clauses combined by their `Occur`. Needs at least one `should` or `must` clause.
    case boolean([Clause])
    /// A query whose score is multiplied by a positive factor (`word^2`).
    case boosted(Query, Double)

    /// A clause of a boolean query.
    public struct Clause: Sendable, Hashable {
        public var occur: Occur
        public var query: Query

        public init(_ occur: Occur, _ query: Query) {
            self.occur = occur
            self.query = query
        }
    }
}

/// The operator between free words of a query (`a b`): OR (rank documents with any of
/// them) or AND (require all of them, `--all`).
public enum QueryOperator: String, Sendable, Hashable, CaseIterable, Codable {
    case or
    case and
}

/// A malformed query: the 1-based column (in characters) where the problem was found,
/// and what was expected there.
package struct QueryError: Error, Sendable, Equatable, CustomStringConvertible {
    package var column: Int
    package var message: String

    package init(column: Int, message: String) {
        self.column = column
        self.message = message
    }

    /// "query error at column 12: unclosed quote"
    package var description: String { "query error at column \(column): \(message)" }
}
