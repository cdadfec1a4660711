import QuarryCore
import QuarryDocument

// Markdown source preparation before Ink (JohnSundell/Ink 0.6.0) turns it into HTML:
// front matter taken off (and its title read), and the things Ink 0.6.0 does not handle
// rewritten into forms it does. Works on lines; never changes text inside code fences.
//
// - Line ends: "\r\n" and "\r" become "\n" (Ink compares Characters, and "\r\n" is one).
// - Front matter: a first line "---" up to a line "---" or "..." (YAML), or "+++" to "+++"
//   (TOML), within the first 256 lines. `title: x` / `title = "x"` at the top level gives the
//   title, and `date: 2024-05-03` / `date = 2024-05-03T10:00:00Z` the date (ISO 8601, see
//   ISODate; anything else is ignored); nothing of it is body text. Ink's own metadata reader is not used: it gives up on
//   YAML lists and on "\r\n", and then shows the front matter as text.
// - Setext headings ("Title" over "=====" or "-----") become "# Title" / "## Title".
// - Indented code (4 spaces or a tab, after a blank line, not inside a list) becomes a fence.
// - A tag start ("<" and a letter or "/") with no ">" before the next "<" or the end of its
//   line: Ink 0.6.0 can loop forever on it (its paragraph reader stops before the tag and
//   its HTML reader needs a ">"; "<p" at the end of a text was the first case, "<p<p", "</"
//   before a later "<" and "\<pre/" over a line end the fuzzer's), so its "<" is written
//   as "&lt;". Text such as "a < b" is left alone; a tag broken over lines becomes text.
// - A "-" that starts the text: written "\-" (Ink's metadata reader traps on some inputs).
// - "[" nested more than `maxBracketDepth` deep in a paragraph: Ink 0.6.0
//   tries every "[" as the start of a link and backtracks through the ones inside it, which
//   takes time exponential in the nesting (26 "[" in an 88-byte file: over 10 s; 20 took
//   5.6 s), so such a "[" is written "\[", as text, in code too (a code block or span with
//   brackets three deep then shows a backslash). Links nest two deep at most in practice
//   (`[![alt](image)](url)`).

struct MarkdownSource {
    var title: String?
    /// Seconds since 1970 (UTC) of the front matter's `date`.
    var date: Int64?
    var markdown: String

    static let frontMatterLineLimit = 256

    init(_ text: String) {
        var lines = MarkdownSource.normalizedLineEnds(text).split(separator: "\n", omittingEmptySubsequences: false)
        title = nil
        date = nil
        if let (end, found) = MarkdownSource.frontMatter(lines) {
            title = found
            date = MarkdownSource.frontMatterDate(lines[1..<end])
            lines.removeSubrange(0...end)
        }
        markdown = MarkdownSource.rewrite(lines)
        markdown = MarkdownSource.defuseUnclosedTags(markdown)
        markdown = MarkdownSource.defuseDeepBrackets(markdown)
        markdown = MarkdownSource.defuseLeadingDashes(markdown)
    }

    /// Front matter is read here; a "-" that still starts the text (after spaces and line
    /// ends) is written "\\-", so that Ink's own metadata reader never runs: it traps on some
    /// inputs (the fuzzer's " ---\n| \u{0B}…" crashed the process with an index out of range).
    static func defuseLeadingDashes(_ text: String) -> String {
        guard let first = text.firstIndex(where: { $0 != " " && $0 != "\t" && $0 != "\n" }), text[first] == "-" else { return text }
        var result = text
        result.insert("\\", at: first)
        return result
    }

    static let maxBracketDepth = 2

    /// Escapes each "[" that would open a bracket deeper than `maxBracketDepth` in its
    /// paragraph (see the file comment), code included.
    static func defuseDeepBrackets(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "[")) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        // Open brackets of the paragraph (a link's text may run over several lines). Code
        // is not exempt: which lines Ink takes for code does not always match where a
        // fence seems to be (the fuzzer found a "```" that Ink read as text), and a
        // backslash in code with brackets three deep is a small price.
        var depth = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            defer { out += "\n" }
            let trimmed = line.trimmingLeadingSpaces()
            if trimmed.isEmpty || trimmed.hasPrefix("```") { depth = 0 }
            if !line.contains("[") {
                out += line
                continue
            }
            var escaped = false
            for c in line {
                if !escaped {
                    if c == "[" {
                        if depth >= maxBracketDepth {
                            out += "\\["
                            continue
                        }
                        depth += 1
                    } else if c == "]" && depth > 0 {
                        depth -= 1
                    }
                }
                escaped = c == "\\" && !escaped
                out.append(c)
            }
        }
        out.removeLast()
        return out
    }

    /// "\r\n" and "\r" replaced by "\n".
    static func normalizedLineEnds(_ text: String) -> String {
        guard text.utf8.contains(0x0D) else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var previousCR = false
        for b in text.utf8 {
            if b == 0x0A && previousCR {
                previousCR = false
                continue
            }
            previousCR = b == 0x0D
            bytes.append(previousCR ? 0x0A : b)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The index of the front matter's closing line and the title it gives.
    static func frontMatter(_ lines: [Substring]) -> (end: Int, title: String?)? {
        guard let first = lines.first else { return nil }
        let opener = first.trimmingTrailingSpaces()
        let closers: [Substring]
        if opener == "---" {
            closers = ["---", "..."]
        } else if opener == "+++" {
            closers = ["+++"]
        } else {
            return nil
        }
        var title: String?
        for i in 1..<min(lines.count, frontMatterLineLimit) {
            let line = lines[i].trimmingTrailingSpaces()
            if closers.contains(line) { return (i, title) }
            if title == nil, let value = topLevelValue(line, key: "title", separator: opener == "+++" ? "=" : ":") {
                title = value
            }
        }
        return nil
    }

    /// The first top-level `date` of front matter lines that is an ISO 8601 date.
    static func frontMatterDate(_ lines: ArraySlice<Substring>) -> Int64? {
        for line in lines {
            for separator: Character in [":", "="] {
                if let value = topLevelValue(line, key: "date", separator: separator), let d = ISODate.parse(value) { return d }
            }
        }
        return nil
    }

    /// `key: value` (or `key = value`) at the start of the line, the value unquoted.
    static func topLevelValue(_ line: Substring, key: String, separator: Character) -> String? {
        guard line.lowercased().hasPrefix(key) else { return nil }
        var rest = line.dropFirst(key.count)
        while rest.first == " " || rest.first == "\t" { rest = rest.dropFirst() }
        guard rest.first == separator else { return nil }
        rest = rest.dropFirst()
        var value = String(rest).trimmingSpaces()
        if value.count >= 2, let q = value.first, q == "\"" || q == "'", value.last == q {
            value = String(value.dropFirst().dropLast())
        }
        if value == "|" || value == ">" || value.isEmpty { return nil }
        return value
    }

    /// Setext headings to ATX, indented code to fences; fenced code left alone.
    static func rewrite(_ lines: [Substring]) -> String {
        var out = ""
        out.reserveCapacity(lines.reduce(0) { $0 + $1.utf8.count + 1 })
        var fence: Substring? = nil
        var previousBlank = true
        var inList = false
        var inIndentedCode = false
        var i = 0
        while i < lines.count {
            let line = lines[i]
            let trimmed = line.trimmingLeadingSpaces()
            if let open = fence {
                out += line + "\n"
                if trimmed.hasPrefix(open) && trimmed.trimmingTrailingSpaces().allSatisfy({ $0 == open.first }) { fence = nil }
                i += 1
                continue
            }
            let blank = trimmed.isEmpty
            let indented = line.hasPrefix("    ") || line.hasPrefix("\t")
            if inIndentedCode {
                if indented || (blank && i + 1 < lines.count && (lines[i + 1].hasPrefix("    ") || lines[i + 1].hasPrefix("\t"))) {
                    out += (line.hasPrefix("\t") ? line.dropFirst() : line.dropFirst(min(4, line.count))) + "\n"
                    i += 1
                    continue
                }
                out += "```\n"
                inIndentedCode = false
            }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                let mark = trimmed.first ?? "`"
                fence = trimmed.prefix { $0 == mark }
                // Ink knows only backtick fences.
                out += mark == "~" ? String(repeating: "`", count: fence?.count ?? 3) + trimmed.drop { $0 == "~" } + "\n" : line + "\n"
                if mark == "~" { fence = Substring(String(repeating: "`", count: fence?.count ?? 3)) }
                previousBlank = false
                i += 1
                continue
            }
            if indented && previousBlank && !inList && !blank {
                out += "```\n" + (line.hasPrefix("\t") ? line.dropFirst() : line.dropFirst(4)) + "\n"
                inIndentedCode = true
                previousBlank = false
                i += 1
                continue
            }
            if !blank && !indented && i + 1 < lines.count, let level = setextLevel(lines[i + 1]), !isListItem(trimmed),
                !trimmed.hasPrefix("#"), !trimmed.hasPrefix("|"), !trimmed.hasPrefix(">"), previousBlank || level == 1
            {
                out += String(repeating: "#", count: level) + " " + trimmed + "\n"
                previousBlank = false
                i += 2
                continue
            }
            if !blank {
                if isListItem(trimmed) { inList = true } else if !indented && previousBlank { inList = false }
            }
            out += line + "\n"
            previousBlank = blank
            i += 1
        }
        if inIndentedCode { out += "```\n" }
        if fence != nil { out += "```\n" }
        return out
    }

    /// 1 for a line of "=", 2 for a line of "-" (at least 3 of them, spaces around allowed).
    static func setextLevel(_ line: Substring) -> Int? {
        let t = line.trimmingLeadingSpaces().trimmingTrailingSpaces()
        guard t.count >= 3, let c = t.first, c == "=" || c == "-", t.allSatisfy({ $0 == c }) else { return nil }
        return c == "=" ? 1 : 2
    }

    static func isListItem(_ trimmed: Substring) -> Bool {
        if trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ") || trimmed.hasPrefix("+ ") { return true }
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 9 else { return false }
        let rest = trimmed.dropFirst(digits.count)
        return rest.hasPrefix(". ") || rest.hasPrefix(") ")
    }

    /// A "<" that starts a tag ("<" then an ASCII letter or "/") but meets another "<", a line
    /// end or the end of the text before any ">" is written "&lt;" (see the file comment).
    static func defuseUnclosedTags(_ text: String) -> String {
        guard text.contains("<") else { return text }
        // Compared as Characters, as Ink reads them: a ">" followed by a combining mark is not a ">".
        let chars = Array(text)
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for (k, c) in chars.enumerated() {
            if c == "<", k + 1 < chars.count, chars[k + 1] == "/" || (chars[k + 1].isASCII && chars[k + 1].isLetter) {
                var j = k + 1
                while j < chars.count && chars[j] != "<" && chars[j] != ">" && chars[j] != "\n" { j += 1 }
                if j == chars.count || chars[j] != ">" {
                    result += "&lt;"
                    continue
                }
            }
            result.append(c)
        }
        return result
    }
}

extension Substring {
    func trimmingLeadingSpaces() -> Substring { drop { $0 == " " || $0 == "\t" } }

    func trimmingTrailingSpaces() -> Substring {
        var s = self
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return s
    }
}

extension String {
    func trimmingSpaces() -> String {
        String(self[...].trimmingLeadingSpaces().trimmingTrailingSpaces())
    }
}
