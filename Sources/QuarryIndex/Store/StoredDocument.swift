import QuarryCore
import QuarryDocument

/// A document as the index keeps it: everything needed to show it, highlight it and
/// rebuild its passages. Its id comes from `.ids`, title, path and date from `.sum`, and
/// the rest from the store (`.sto`).
public struct StoredDocument: Sendable, Equatable {
    public var id: String
    public var path: String
    public var title: String
    public var body: String
    public var blocks: [TextBlock]
    public var passages: [PassageSpan]
    /// Seconds since 1970 (UTC), if the document has a date (`Article.date`).
    public var date: Int64?

    package init(id: String, path: String, title: String, body: String, blocks: [TextBlock], passages: [PassageSpan], date: Int64? = nil) {
        self.id = id
        self.path = path
        self.title = title
        self.body = body
        self.blocks = blocks
        self.passages = passages
        self.date = date
    }

    init(id: String, path: String, title: String, date: Int64?, text: StoredText) {
        self.init(id: id, path: path, title: title, body: text.body, blocks: text.blocks, passages: text.passages, date: date)
    }
}

/// What the store (`.sto`) keeps of a document: its body, blocks and passages.
struct StoredText: Sendable, Equatable {
    var body: String
    var blocks: [TextBlock]
    var passages: [PassageSpan]

    /// Record layout (docs/FORMAT.md, "Stored documents"): body (varint length + UTF-8) ·
    /// block count · per block: kind (u8), level (u8), start − previous end (varint), length
    /// (varint) · passage count · per passage: start − previous start (varint), length (varint).
    static func encode(body: String, blocks: [TextBlock], passages: [PassageSpan], into w: inout ByteWriter) {
        w.string(body)
        w.varint(blocks.count)
        var previousEnd = 0
        for b in blocks {
            w.u8(b.kind.rawValue)
            w.u8(b.level)
            w.varint(b.start - previousEnd)
            w.varint(b.end - b.start)
            previousEnd = b.end
        }
        w.varint(passages.count)
        var previousStart = 0
        for p in passages {
            w.varint(p.start - previousStart)
            w.varint(p.end - p.start)
            previousStart = p.start
        }
    }

    static func decode(_ r: inout ByteReader) throws(FormatError) -> StoredText {
        let bodyStart = r.position
        let body = try r.string()
        let bodyLength = body.utf8.count
        let blockCount = try r.count(limit: r.remaining, "block count")
        var blocks: [TextBlock] = []
        blocks.reserveCapacity(blockCount)
        var previousEnd = 0
        for _ in 0..<blockCount {
            guard let kind = BlockKind(rawValue: try r.u8()) else { throw r.error("unknown block kind", at: r.position - 1) }
            let level = try r.u8()
            let start = previousEnd + (try r.count(limit: bodyLength, "block start"))
            let end = start + (try r.count(limit: bodyLength, "block length"))
            guard end <= bodyLength else {
                throw r.error("block range \(start)..<\(end) is outside the body (\(bodyLength) bytes)", at: bodyStart)
            }
            blocks.append(TextBlock(start: start, end: end, kind: kind, level: level))
            previousEnd = end
        }
        let passageCount = try r.count(limit: r.remaining, "passage count")
        var passages: [PassageSpan] = []
        passages.reserveCapacity(passageCount)
        var previousStart = 0
        for _ in 0..<passageCount {
            let start = previousStart + (try r.count(limit: bodyLength, "passage start"))
            let end = start + (try r.count(limit: bodyLength, "passage length"))
            guard end <= bodyLength else { throw r.error("passage range \(start)..<\(end) is outside the body (\(bodyLength) bytes)") }
            passages.append(PassageSpan(start: start, end: end))
            previousStart = start
        }
        return StoredText(body: body, blocks: blocks, passages: passages)
    }
}
