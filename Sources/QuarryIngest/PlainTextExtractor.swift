import QuarryDocument
/// Turns a plain-text or Markdown file (already decoded to UTF-8) into an article.
///
/// - The first non-empty line is the title (Markdown `#` marks removed); it is not repeated
///   in the body.
/// - Blank lines separate paragraphs; the lines of a paragraph are joined with spaces.
/// - A line that starts with a bullet ("•", "-", "*", "+", "–", "·", "▪", "◦") or a number and
///   "." or ")" starts a list item block.
/// - A paragraph of one short line (at most 12 words) that does not end with punctuation and
///   is followed by more text is a heading. In Markdown, `#` lines are headings and ```
///   fences are preformatted blocks.
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
        func isBlank(_ l: Line) -> Bool {
            for b in slice(l) where !(b == 0x20 || b == 0x09 || b == 0x0C) { return false }
            return true
        }

        var builder = TextBuilder(capacity: n)
        var title = ""
        var index = 0
        // Title: the first non-empty line.
        while index < lines.count && isBlank(lines[index]) { index += 1 }
        if index < lines.count {
            var t = TextBuilder()
            let (_, content) = markdown ? headingLevel(slice(lines[index])) : (0, slice(lines[index]))
            t.append(content)
            title = t.finish().body
            index += 1
        }
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
        var inFence = false
        while index < lines.count {
            let line = lines[index]
            let content = slice(line)
            index += 1
            if markdown && isFence(content) {
                flushParagraph(nextIsText: true)
                if inFence {
                    builder.endBlock()
                } else {
                    builder.startBlock(.preformatted)
                }
                inFence.toggle()
                continue
            }
            if inFence {
                builder.append(content)
                builder.append("\n")
                continue
            }
            if markdown {
                let (level, rest) = headingLevel(content)
                if level > 0 {
                    flushParagraph(nextIsText: true)
                    builder.startBlock(.heading, level: UInt8(level))
                    builder.append(rest)
                    builder.endBlock()
                    continue
                }
            }
            if isBlank(line) {
                // Look ahead: is more text coming?
                var k = index
                while k < lines.count && isBlank(lines[k]) { k += 1 }
                flushParagraph(nextIsText: k < lines.count)
            } else {
                paragraphLines.append(line)
            }
        }
        flushParagraph(nextIsText: false)
        let (body, blocks) = builder.finish()
        return Article(id: id, path: path, title: title, body: body, blocks: blocks)
    }

    /// Markdown heading level of a line ("## x" → 2) and the text after the marks.
    private func headingLevel(_ line: UnsafeRawBufferPointer) -> (Int, UnsafeRawBufferPointer) {
        var i = 0
        while i < line.count && line[i] == UInt8(ascii: "#") { i += 1 }
        guard i >= 1 && i <= 6 && i < line.count && line[i] == 0x20 else { return (0, line) }
        var end = line.count
        while end > i && (line[end - 1] == UInt8(ascii: "#") || line[end - 1] == 0x20) { end -= 1 }
        return (i, UnsafeRawBufferPointer(rebasing: line[(i + 1)..<max(i + 1, end)]))
    }

    private func isFence(_ line: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        while i < line.count && line[i] == 0x20 { i += 1 }
        return line.count - i >= 3 && line[i] == UInt8(ascii: "`") && line[i + 1] == UInt8(ascii: "`")
            && line[i + 2] == UInt8(ascii: "`")
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
        if [UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "!"),
            UInt8(ascii: "?")].contains(last) { return false }
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
