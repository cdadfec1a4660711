import QuarryCore
import QuarryDocument

/// Reads BEIR-style JSON Lines: one object per line with `_id`, `title` and `text`, and
/// optionally `date` (an ISO 8601 string, see `ISODate`; one that is not a date is
/// ignored); other members, such as `metadata`, are skipped. Blank lines are ignored.
package struct BEIRReader: Sendable {
    package init() {}

    /// Parses one line into an article whose path is `path`. Text is split into blocks at
    /// newlines.
    package func parse(line: UnsafeRawBufferPointer, path: String) throws(JSONLineError) -> Article? {
        var isBlank = true
        for b in line where !(b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A) {
            isBlank = false
            break
        }
        if isBlank { return nil }
        var parser = JSONLineParser(line)
        var id: [UInt8]? = nil
        var title: [UInt8] = []
        var date: Int64? = nil
        var builder = TextBuilder(capacity: line.count)
        try parser.parseObject(
            keep: { name in
                if name.elementsEqual("_id".utf8) { return 0 }
                if name.elementsEqual("title".utf8) { return 1 }
                if name.elementsEqual("text".utf8) { return 2 }
                if name.elementsEqual("date".utf8) { return 3 }
                return nil
            },
            value: { slot, value in
                switch slot {
                case 0: id = Array(value)
                case 1: title = Array(value)
                case 3: date = ISODate.parse(String(decoding: value, as: UTF8.self))
                default:
                    appendLines(value, to: &builder)
                }
            })
        guard let id else {
            throw JSONLineError(column: 0, message: "the object has no \"_id\" string")
        }
        guard !id.isEmpty else {
            throw JSONLineError(column: 0, message: "\"_id\" is an empty string; a document needs an id")
        }
        var titleBuilder = TextBuilder(capacity: title.count)
        title.withUnsafeBytes { titleBuilder.append($0) }
        let (body, blocks) = builder.finish()
        return Article(
            id: String(decoding: id, as: UTF8.self), path: path,
            title: titleBuilder.finish().body, body: body, blocks: blocks, date: date)
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
