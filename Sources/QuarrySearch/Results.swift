import QuarryIndex

/// A query word as it appears in stored text: UTF-8 byte offsets and Unicode scalar
/// (code point) offsets into the field's stored text, and the query term it matched.
public struct TextHighlight: Sendable, Equatable, Codable {
    public var start: Int
    public var end: Int
    public var charStart: Int
    public var charEnd: Int
    /// The analysed query term this word matched.
    public var term: String

    public init(start: Int, end: Int, charStart: Int, charEnd: Int, term: String) {
        self.start = start
        self.end = end
        self.charStart = charStart
        self.charEnd = charEnd
        self.term = term
    }
}

/// A passage of a document's body.
public struct PassageResult: Sendable, Equatable, Codable {
    /// Passage number within its document (0-based, in document order).
    public var index: Int
    /// UTF-8 byte range in the document's stored body text.
    public var start: Int
    public var end: Int
    /// The same range in Unicode scalars.
    public var charStart: Int
    public var charEnd: Int
    /// Passage BM25 (over passage statistics); 0 when the passage matched no query term.
    public var score: Double
    public var text: String
    /// The heading the passage is under, if any.
    public var heading: String?
    /// Highlights with offsets into the stored body (not into `text`).
    public var highlights: [TextHighlight]
    /// The part of the passage shown as a cropped snippet (`SearchOptions.snippetWords`).
    public var crop: SnippetCrop? = nil
}

/// A cropped snippet: about `SearchOptions.snippetWords` words of a passage, chosen to hold
/// as many of its distinct highlighted terms (then highlights) as fit, centred on them.
public struct SnippetCrop: Sendable, Equatable, Codable {
    /// UTF-8 byte range in the stored body (within the passage's range), on word bounds.
    public var start: Int
    public var end: Int
    /// The same range in Unicode scalars.
    public var charStart: Int
    public var charEnd: Int
    /// The body's text in the range, with "…" before it when the passage was cut before
    /// `start` and after it when cut after `end`.
    public var text: String

    public init(start: Int, end: Int, charStart: Int, charEnd: Int, text: String) {
        self.start = start
        self.end = end
        self.charStart = charStart
        self.charEnd = charEnd
        self.text = text
    }
}

/// A ranked document.
public struct DocumentResult: Sendable, Equatable, Codable {
    public var rank: Int
    public var id: String
    public var title: String
    public var path: String
    public var score: Double
    public var titleHighlights: [TextHighlight]
    /// Its best passages as snippets.
    public var passages: [PassageResult]
    /// How its score was computed (with `SearchOptions.explain`).
    public var explanation: ScoreExplanation?
    /// Seconds since 1970 (UTC), if the document has a date (`Article.date`).
    public var date: Int64? = nil
}

/// A ranked passage (from a `--passages` search).
public struct PassageHit: Sendable, Equatable, Codable {
    public var rank: Int
    public var id: String
    public var title: String
    public var path: String
    public var passage: PassageResult
    /// How the passage's score was computed (with `SearchOptions.explain`).
    public var explanation: ScoreExplanation?
    /// Seconds since 1970 (UTC), if its document has a date (`Article.date`).
    public var date: Int64? = nil
}

/// A document id with its score (the fast form, for TREC runs).
public struct ScoredID: Sendable, Equatable {
    public var id: String
    public var score: Double
}
