/// Reads BEIR-style JSON Lines: one object per line with `_id`, `title` and `text`
/// (other members, such as `metadata`, are skipped). Blank lines are ignored.
public struct BEIRReader: Sendable {
    public init() {}

    /// Parses one line into an article whose path is `path`. Text is split into blocks at
    /// newlines.
    public func parse(line: UnsafeRawBufferPointer, path: String) throws(JSONLineError) -> Article? {
        var isBlank = true
        for b in line where !(b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A) {
            isBlank = false
            break
        }
        if isBlank { return nil }
        var parser = JSONLineParser(line)
        var id: [UInt8]? = nil
        var title: [UInt8] = []
        var builder = TextBuilder(capacity: line.count)
        try parser.parseObject(
            keep: { name in
                if name.elementsEqual("_id".utf8) { return 0 }
                if name.elementsEqual("title".utf8) { return 1 }
                if name.elementsEqual("text".utf8) { return 2 }
                return nil
            },
            value: { slot, value in
                switch slot {
                case 0: id = Array(value)
                case 1: title = Array(value)
                default:
                    appendLines(value, to: &builder)
                }
            })
        guard let id, !id.isEmpty else {
            throw JSONLineError(column: 0, message: "the object has no \"_id\" string")
        }
        var titleBuilder = TextBuilder(capacity: title.count)
        title.withUnsafeBytes { titleBuilder.append($0) }
        let (body, blocks) = builder.finish()
        return Article(
            id: String(decoding: id, as: UTF8.self), path: path,
            title: titleBuilder.finish().body, body: body, blocks: blocks)
    }

    /// Appends text, one paragraph block per non-empty line.
    private func appendLines(_ text: UnsafeRawBufferPointer, to builder: inout TextBuilder) {
        var start = 0
        let n = text.count
        var i = 0
        while i <= n {
            if i == n || text[i] == 0x0A {
                if i > start {
                    builder.startBlock(.paragraph)
                    builder.append(UnsafeRawBufferPointer(rebasing: text[start..<i]))
                }
                start = i + 1
            }
            i += 1
        }
    }
}

/// Splits a JSONL buffer into chunks of whole lines of about `chunkBytes`, for parallel
/// parsing. Returns the byte ranges.
public func lineChunks(_ bytes: UnsafeRawBufferPointer, chunkBytes: Int) -> [Range<Int>] {
    var chunks: [Range<Int>] = []
    var start = 0
    let n = bytes.count
    while start < n {
        var end = min(n, start + max(1, chunkBytes))
        while end < n && bytes[end - 1] != 0x0A { end += 1 }
        chunks.append(start..<end)
        start = end
    }
    return chunks
}

/// The 1-based line number of a byte offset (counts newlines before it; used for error
/// messages only).
public func lineNumber(of offset: Int, in bytes: UnsafeRawBufferPointer) -> Int {
    var line = 1
    var i = 0
    let end = min(offset, bytes.count)
    while i < end {
        if bytes[i] == 0x0A { line += 1 }
        i += 1
    }
    return line
}
