import QuarryCore
import QuarryDocument

// The title of a plain-text file (docs/TEXT.md, "Titles"). Designed on READMEs and text files
// under /usr/share/doc; the measurement is in docs/TEXT.md.
//
// Only the first `window` non-blank lines are looked at.
// 1. An underlined line wins: a line of text followed by a rule line (one punctuation character
//    repeated, at least 3 times, as reStructuredText, Setext and AsciiDoc underline titles),
//    optionally with the same kind of rule above it.
// 2. Otherwise the first heading-like line: a line with letters or digits, at most
//    `maxHeadingCharacters` characters, not ending with . , ; : ! or ?, not a list item, not a
//    navigation line (three or more short parts between separators such as | » > /), and
//    either a paragraph of its own or a short first line (at most 8 words and 60 characters)
//    of a paragraph whose other lines are short too, as in "Name\nVersion 1.2\nRelease Notes".
//    A wrapped paragraph of prose never gives a title.
// 3. Among the heading-like lines, one that holds a word of the file's name (split at - _ .
//    and spaces; words of 3 letters or more other than generic names such as README) is
//    preferred to the ones before it: a scraped page often starts with a breadcrumb or a
//    section label, and the file is named after the real title.
// No heading-like line: no title ("").

struct PlainTextTitle {
    static let window = 10
    static let maxHeadingCharacters = 150

    struct Found {
        var title: String
        /// Lines that make up the title (the text, its underline and overline), not repeated in the body.
        var lines: [Int]
    }

    /// `lines[i]` is the text of line i (without the newline).
    static func find(_ lines: [Substring], fileName: String) -> Found? {
        var nonBlank: [Int] = []
        for (i, line) in lines.enumerated() where !isBlank(line) {
            nonBlank.append(i)
            if nonBlank.count == window { break }
        }
        // In file order, up to the first paragraph of body text: an underlined line is the
        // title; heading-like lines are candidates.
        var candidates: [Int] = []
        var k = 0
        while k < nonBlank.count {
            let i = nonBlank[k]
            k += 1
            let line = lines[i]
            if isRule(line) || isMarkupComment(line) || !hasWordCharacters(line) { continue }
            let cleaned = clean(line)
            if isNavigation(cleaned) || startsListItem(cleaned) { continue }  // breadcrumbs and lists are skipped
            if i + 1 < lines.count && isRule(lines[i + 1]) {
                let text = clean(line)
                guard text.count <= TitleRules.maxCharacters else { break }
                if candidates.isEmpty {
                    var used = [i, i + 1]
                    if i > 0 && isRule(lines[i - 1]) { used.insert(i - 1, at: 0) }
                    return Found(title: text, lines: used)
                }
                break
            }
            let startsParagraph = i == 0 || isBlank(lines[i - 1]) || isRule(lines[i - 1])
            let endsParagraph = i + 1 >= lines.count || isBlank(lines[i + 1]) || isRule(lines[i + 1])
            guard startsParagraph, isHeadingLike(line) else { break }  // body text starts here
            if !endsParagraph {
                // The first line of a paragraph of short lines (a title block), never a line of wrapped prose.
                guard isShortHeading(line), paragraphLinesAreShort(lines, from: i) else { break }
                while k < nonBlank.count && nonBlank[k] == nonBlank[k - 1] + 1 { k += 1 }
            }
            candidates.append(i)
        }
        guard let first = candidates.first else { return nil }
        let words = nameWords(fileName)
        var chosen = first
        if !words.isEmpty,
            let named = candidates.first(where: { i in
                let lower = lines[i].lowercased()
                return words.contains { lower.contains($0) }
            })
        {
            chosen = named
        }
        return Found(title: clean(lines[chosen]), lines: [chosen])
    }

    // MARK: - Line classes

    static func isBlank(_ line: Substring) -> Bool {
        line.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0C || $0 == 0x0D }
    }

    /// One ASCII punctuation character repeated (spaces allowed between runs), at least 3 times.
    static func isRule(_ line: Substring) -> Bool {
        var mark: UInt8 = 0
        var count = 0
        for b in line.utf8 {
            if b == 0x20 || b == 0x09 { continue }
            if mark == 0 {
                guard
                    [
                        UInt8(ascii: "="), UInt8(ascii: "-"), UInt8(ascii: "~"), UInt8(ascii: "*"), UInt8(ascii: "#"),
                        UInt8(ascii: "^"), UInt8(ascii: "+"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "`"),
                        UInt8(ascii: ":"), UInt8(ascii: "'"), UInt8(ascii: "\""),
                    ].contains(b)
                else { return false }
                mark = b
            } else if b != mark {
                return false
            }
            count += 1
        }
        return count >= 3
    }

    /// At least half of the visible characters are letters or digits.
    static func hasWordCharacters(_ line: Substring) -> Bool {
        var word = 0
        var visible = 0
        for c in line.unicodeScalars where !c.properties.isWhitespace {
            visible += 1
            if c.properties.isAlphabetic || c.properties.numericType != nil { word += 1 }
        }
        return word > 0 && word * 2 >= visible
    }

    static func isHeadingLike(_ line: Substring) -> Bool {
        let text = clean(line)
        guard !text.isEmpty, text.count <= maxHeadingCharacters, hasWordCharacters(line[...]) else { return false }
        if let last = text.last, ".,;:!?".contains(last) { return false }
        if startsListItem(text) || isNavigation(text) { return false }
        return true
    }

    /// A reStructuredText comment or directive (".. x"), or a field line (":orphan:").
    static func isMarkupComment(_ line: Substring) -> Bool {
        let t = line.drop { $0 == " " || $0 == "\t" }
        if t == ".." || t.hasPrefix(".. ") { return true }
        return t.hasPrefix(":") && t.dropFirst().contains(":") && !t.dropFirst().hasPrefix(" ")
    }

    static func isShortHeading(_ line: Substring) -> Bool {
        let text = clean(line)
        return text.count <= 60 && text.split(separator: " ").count <= 8
    }

    /// The lines of the paragraph starting at `i` are all at most 60 characters (a title block,
    /// not wrapped prose).
    static func paragraphLinesAreShort(_ lines: [Substring], from i: Int) -> Bool {
        var k = i
        while k < lines.count && !isBlank(lines[k]) {
            if clean(lines[k]).count > 60 { return false }
            k += 1
        }
        return true
    }

    static func startsListItem(_ text: String) -> Bool {
        for bullet in ["• ", "- ", "* ", "+ ", "– ", "· ", "▪ ", "◦ "] where text.hasPrefix(bullet) { return true }
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 3 else { return false }
        let rest = text.dropFirst(digits.count)
        return rest.hasPrefix(". ") || rest.hasPrefix(") ")
    }

    /// A breadcrumb or navigation bar: three or more short parts (at most 3 words each)
    /// between separators.
    static func isNavigation(_ text: String) -> Bool {
        let separators: Set<Character> = ["|", "»", "«", "›", "‹", ">", "<", "/", "·", "•", "→", "←"]
        var parts = 1
        var wordsInPart = 0
        var inWord = false
        for c in text {
            if separators.contains(c) {
                parts += 1
                wordsInPart = 0
                inWord = false
            } else if c == " " {
                inWord = false
            } else if !inWord {
                inWord = true
                wordsInPart += 1
                if wordsInPart > 3 { return false }
            }
        }
        return parts >= 3
    }

    /// The line without surrounding spaces, leading Markdown-style "#" marks and runs of spaces.
    static func clean(_ line: Substring) -> String {
        var s = line[...]
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        if s.hasPrefix("#") {
            let marks = s.prefix { $0 == "#" }
            if marks.count <= 6 && s.dropFirst(marks.count).first == " " { s = s.dropFirst(marks.count) }
        }
        return s.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    static let genericNames: Set<String> = [
        "readme", "index", "notes", "news", "changes", "changelog", "license",
        "copying", "copyright", "install", "todo", "authors", "debian", "txt",
        "text", "doc", "docs", "the", "and", "for",
    ]

    /// Words of the file's base name (without extension) that can identify a title.
    static func nameWords(_ path: String) -> [String] {
        var name = path.split(separator: "/").last.map(String.init) ?? path
        if let dot = name.lastIndex(of: "."), dot != name.startIndex { name = String(name[..<dot]) }
        return name.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == "." || $0 == " " })
            .map(String.init)
            .filter { $0.count >= 3 && !genericNames.contains($0) && !$0.allSatisfy(\.isNumber) }
    }
}
