/// A document as Ingest hands it to the indexer: extracted, decoded to UTF-8, normalised.
public struct Article: Sendable, Equatable {
    /// External id: the path relative to the indexed root, or a BEIR `_id`.
    public var id: String
    /// Where it came from (the source file's path as the user named it).
    public var path: String
    public var title: String
    /// The body text: blocks separated by "\n", whitespace inside a block collapsed to single
    /// spaces (except in preformatted blocks). Highlights and passages are byte ranges into it.
    public var body: String
    /// The block structure of `body`.
    public var blocks: [TextBlock]
    /// When it was written or published, if the source says: whole seconds since
    /// 1970-01-01T00:00:00Z (UTC). Extractors read it from HTML `<meta>` dates, Markdown front
    /// matter and a JSON Lines `date` member (`ISODate` parses the text). Searches can be
    /// limited to a date range (`SearchOptions.after`, `.before`).
    public var date: Int64?

    public init(id: String, path: String, title: String, body: String, blocks: [TextBlock], date: Int64? = nil) {
        self.id = id
        self.path = path
        self.title = title
        self.body = body
        self.blocks = blocks
        self.date = date
    }
}
