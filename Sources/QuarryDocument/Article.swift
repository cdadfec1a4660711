/// What a block of text was in its source, as far as passage splitting cares.
public enum BlockKind: UInt8, Sendable, Codable, CaseIterable {
    /// Running text: a paragraph, a `div`, a line of plain text.
    case paragraph = 0
    /// A heading (`h1`…`h6`, a Markdown `#` line, a short title-like line of plain text).
    case heading = 1
    /// A list item (`li`, `dt`, `dd`, a bulleted line).
    case listItem = 2
    /// A table cell or caption.
    case tableCell = 3
    /// Preformatted text (`pre`, fenced code): line breaks are kept.
    case preformatted = 4
}

/// One block of an article's body: a range of UTF-8 byte offsets into `Article.body`.
/// Blocks never overlap, are in text order, and are separated in `body` by a newline.
public struct TextBlock: Sendable, Equatable, Codable {
    public var start: Int
    public var end: Int
    public var kind: BlockKind
    /// Heading level 1–6 for headings, 0 otherwise.
    public var level: UInt8

    public init(start: Int, end: Int, kind: BlockKind, level: UInt8 = 0) {
        self.start = start
        self.end = end
        self.kind = kind
        self.level = level
    }

    public var range: Range<Int> { start..<end }
}

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

    public init(id: String, path: String, title: String, body: String, blocks: [TextBlock]) {
        self.id = id
        self.path = path
        self.title = title
        self.body = body
        self.blocks = blocks
    }
}

/// A problem with one input (a file, a line of a JSONL file) that was reported and skipped
/// or worked around; the rest of the batch goes on.
public struct IngestIssue: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable { case warning, error }
    public var path: String
    /// 1-based line, when the input is line-oriented.
    public var line: Int?
    /// 0-based byte offset into the file, when known.
    public var byteOffset: Int?
    public var message: String
    public var severity: Severity

    public init(path: String, line: Int? = nil, byteOffset: Int? = nil, message: String, severity: Severity = .error) {
        self.path = path
        self.line = line
        self.byteOffset = byteOffset
        self.message = message
        self.severity = severity
    }

    public var description: String {
        var s = path
        if let line { s += ":\(line)" }
        if let byteOffset { s += " (byte \(byteOffset))" }
        return s + ": " + message
    }
}
