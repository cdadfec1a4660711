import QuarryCore
import QuarryDocument

/// Turns a plain-text file (already decoded to UTF-8) into an article. Markdown goes to
/// `MarkdownExtractor` (with `markdown: true` this extractor hands it over).
///
/// - The title follows `PlainTextTitle` (docs/TEXT.md): an underlined line, else the first
///   heading-like line near the top, preferring one that names the file; capped by
///   `TitleRules`. The title's lines are not repeated in the body.
/// - Blank lines separate paragraphs; the lines of a paragraph are joined with spaces.
/// - A line followed by a rule line (`=====`, `-----`, `~~~~`, …) is a heading; rule lines
///   themselves are not text (they separate paragraphs).
/// - A line that starts with a bullet ("•", "-", "*", "+", "–", "·", "▪", "◦") or a number and
///   "." or ")" starts a list item block.
/// - A paragraph of one short line (at most 12 words) that does not end with punctuation and
///   is followed by more text is a heading.
package struct PlainTextExtractor: Sendable {
    package var markdown: Bool

    package init(markdown: Bool = false) {
        self.markdown = markdown
    }

    private struct Line {
        var start: Int
        var end: Int
    }

    package func extract(_ text: UnsafeRawBufferPointer, id: String, path: String) -> Article {
        if markdown {
            return MarkdownExtractor().extract(text, id: id, path: path).article
        }
        // Split into lines (without "\r\n").
        var lines: [Line] = []
        var start = 0
        let n = text.count
        for i in 0...n where i == n || text[i] == 0x0A {
            var end = i
            if end > start && text[end - 1] == 0x0D { end -= 1 }
            lines.append(Line(start: start, end: end))
            start = i + 1
        }
        func slice(_ l: Line) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: text[l.start..<l.end]) }
        let strings = lines.map { Substring(String(decoding: slice($0), as: UTF8.self)) }

        // Lines that are not body text: the title's, and rule lines; underlined lines are headings.
        var skip = [Bool](repeating: false, count: lines.count)
        var heading = [Bool](repeating: false, count: lines.count)
        var title = ""
        if let found = PlainTextTitle.find(strings, fileName: path) {
            title = TitleRules.cap(found.title)
            for i in found.lines { skip[i] = true }
        }
        for i in lines.indices where PlainTextTitle.isRule(strings[i]) {
            skip[i] = true
            if i > 0, !skip[i - 1], !PlainTextTitle.isBlank(strings[i - 1]), strings[i - 1].utf8.count <= 200,
                PlainTextTitle.hasWordCharacters(strings[i - 1])
            {
                heading[i - 1] = true
            }
        }

        var builder = TextBuilder(capacity: n)
        var paragraphLines: [Line] = []
        func flushParagraph(nextIsText: Bool) {
            defer { paragraphLines.removeAll() }
            guard !paragraphLines.isEmpty else { return }
            if paragraphLines.count == 1, nextIsText, looksLikeHeading(slice(paragraphLines[0])) {
                builder.startBlock(.heading, level: 2)
                builder.append(slice(paragraphLines[0]))
                builder.endBlock()
                return
            }
            builder.startBlock(.paragraph)
            for line in paragraphLines {
                let content = slice(line)
                if startsListItem(content) {
                    builder.startBlock(.listItem)
                } else {
                    builder.appendSpace()
                }
                builder.append(content)
            }
            builder.endBlock()
        }
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let i = index
            index += 1
            if heading[i] {
                flushParagraph(nextIsText: true)
                builder.startBlock(.heading, level: 2)
                builder.append(slice(line))
                builder.endBlock()
                continue
            }
            if skip[i] || PlainTextTitle.isBlank(strings[i]) {
                // Look ahead: is more text coming?
                var k = index
                while k < lines.count && (skip[k] || PlainTextTitle.isBlank(strings[k])) { k += 1 }
                flushParagraph(nextIsText: k < lines.count)
            } else {
                paragraphLines.append(line)
            }
        }
        flushParagraph(nextIsText: false)
        let (body, blocks) = builder.finish()
        return Article(id: id, path: path, title: title, body: body, blocks: blocks)
    }

    /// A bulleted or numbered line.
    func startsListItem(_ line: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        while i < line.count && (line[i] == 0x20 || line[i] == 0x09) { i += 1 }
        guard i < line.count else { return false }
        let rest = UnsafeRawBufferPointer(rebasing: line[i...])
        for bullet in PlainTextExtractor.bullets where rest.starts(with: bullet) {
            return rest.count > bullet.count && (rest[bullet.count] == 0x20 || rest[bullet.count] == 0x09)
        }
        var d = 0
        while d < rest.count && rest[d] >= 0x30 && rest[d] <= 0x39 { d += 1 }
        return d > 0 && d <= 3 && d + 1 < rest.count && (rest[d] == UInt8(ascii: ".") || rest[d] == UInt8(ascii: ")"))
            && rest[d + 1] == 0x20
    }

    private static let bullets: [[UInt8]] = ["•", "-", "*", "+", "–", "·", "▪", "◦"].map { Array($0.utf8) }

    /// A short line without closing punctuation.
    private func looksLikeHeading(_ line: UnsafeRawBufferPointer) -> Bool {
        if startsListItem(line) { return false }
        var end = line.count
        while end > 0 && (line[end - 1] == 0x20 || line[end - 1] == 0x09) { end -= 1 }
        guard end > 0 else { return false }
        let last = line[end - 1]
        if [
            UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "!"),
            UInt8(ascii: "?"),
        ].contains(last) {
            return false
        }
        var words = 0
        var inWord = false
        for b in line[0..<end] {
            let space = b == 0x20 || b == 0x09
            if !space && !inWord { words += 1 }
            inWord = !space
        }
        return words <= 12
    }
}
