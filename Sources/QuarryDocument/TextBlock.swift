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
