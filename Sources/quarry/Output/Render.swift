import Quarry
import QuarryCLI

/// Human-readable renderings of results: plain text (styled on a terminal) and Markdown.
enum Render {
    static func text(documents: [DocumentResult], query: String, qid: String?, color: Bool, out: inout Output) {
        if let qid { out.line(Terminal.styled(SafeText.line("query \(qid): \(query)"), .bold, enabled: color)) }
        if documents.isEmpty {
            out.line(SafeText.line("no documents match \"\(query)\""))
            return
        }
        for r in documents {
            let title =
                r.title.isEmpty
                ? SafeText.line(r.id) : marked(r.title, base: 0, r.titleHighlights, color: color, markdown: false, oneLine: true)
            out.line(
                "\(r.rank). " + Terminal.styled(title, .bold, enabled: color) + "  "
                    + Terminal.styled(
                        "\(SafeText.line(r.id))\(dated(r.date))  score \(String(format1: r.score, digits: 3))", .dim, enabled: color))
            for p in r.passages {
                var prefix = "   "
                if let h = p.heading, !p.text.hasPrefix(h) { prefix += Terminal.styled("[\(SafeText.line(h))] ", .cyan, enabled: color) }
                out.line(prefix + indented(snippet(p, color: color, markdown: false)))
            }
            if let e = r.explanation { explanation(e, color: color, out: &out) }
            // A blank line between results that take several lines.
            if !r.passages.isEmpty || r.explanation != nil { out.line("") }
        }
    }

    static func text(passages: [PassageHit], query: String, qid: String?, color: Bool, out: inout Output) {
        if let qid { out.line(Terminal.styled(SafeText.line("query \(qid): \(query)"), .bold, enabled: color)) }
        if passages.isEmpty {
            out.line(SafeText.line("no passages match \"\(query)\""))
            return
        }
        for h in passages {
            let p = h.passage
            out.line(
                "\(h.rank). " + Terminal.styled(SafeText.line(h.title.isEmpty ? h.id : h.title), .bold, enabled: color) + "  "
                    + Terminal.styled(
                        "\(SafeText.line(h.id)) #\(p.index)\(dated(h.date))  bytes \(p.start)–\(p.end)  score \(String(format1: p.score, digits: 3))",
                        .dim, enabled: color))
            if let heading = p.heading, !p.text.hasPrefix(heading) {
                out.line("   " + Terminal.styled("[\(SafeText.line(heading))]", .cyan, enabled: color))
            }
            out.line("   " + indented(marked(p.text, base: p.start, p.highlights, color: color, markdown: false)))
            if let e = h.explanation { explanation(e, color: color, out: &out) }
            out.line("")
        }
    }

    /// "  2024-05-03" for a dated result (the day, UTC), "" otherwise.
    static func dated(_ date: Int64?) -> String {
        guard let date else { return "" }
        return "  " + ISODate.format(date).prefix(10)
    }

    /// The parts of a score, one line each:
    /// `1.2345 = kernel in all: idf 2.310 · tf 2 / (tf + k1 0.9 · norm 1.104)  [length 120, average 95.2]`
    static func explanation(_ e: ScoreExplanation, color: Bool, out: inout Output) {
        out.line(
            Terminal.styled(
                "   score \(String(format1: e.score, digits: 4)) = sum of \(e.parts.count) part\(e.parts.count == 1 ? "" : "s"):", .dim,
                enabled: color))
        for p in e.parts {
            let clause = SafeText.line(p.clause)
            let boost = p.boost == 1 ? "" : "boost \(String(format1: p.boost, digits: 3)) · "
            let tf = p.tf == p.tf.rounded() ? "\(Int(p.tf))" : String(format1: p.tf, digits: 3)
            out.line(
                "     \(String(format1: p.score, digits: 4)) = \(clause) in \(p.field): \(boost)idf \(String(format1: p.idf, digits: 3))"
                    + " · tf \(tf) / (tf + k1 \(String(format1: p.k1, digits: 2)) · norm \(String(format1: p.lengthNorm, digits: 3)))"
                    + Terminal.styled(
                        "  [length \(p.length), average \(String(format1: p.averageLength, digits: 1))]", .dim, enabled: color))
            for f in p.fields ?? [] {
                // BM25F: what each field added to tf.
                let ftf = f.tf == f.tf.rounded() ? "\(Int(f.tf))" : String(format1: f.tf, digits: 3)
                out.line(
                    Terminal.styled(
                        "         \(String(format1: f.weightedTF, digits: 3)) = \(f.field): weight \(String(format1: f.weight, digits: 3))"
                            + " · tf \(ftf) / norm \(String(format1: f.lengthNorm, digits: 3))"
                            + "  [b \(String(format1: f.b, digits: 2)), length \(f.length), average \(String(format1: f.averageLength, digits: 1))]",
                        .dim, enabled: color))
            }
        }
    }

    static func markdown(documents: [DocumentResult], query: String, out: inout Output) {
        out.line("Results for **\(escape(query))**\n")
        for r in documents {
            out.line(
                "\(r.rank). **\(escape(r.title.isEmpty ? r.id : r.title))** (`\(code(r.id))`, score \(String(format1: r.score, digits: 3)))"
            )
            for p in r.passages {
                out.line("   > " + snippet(p, color: false, markdown: true).replacingNewlines(with: "\n   > "))
            }
        }
    }

    static func markdown(passages: [PassageHit], query: String, out: inout Output) {
        out.line("Passages for **\(escape(query))**\n")
        for h in passages {
            let p = h.passage
            var source = "`\(code(h.id))` #\(p.index)"
            if let heading = p.heading { source += ", under “\(escape(heading))”" }
            out.line("\(h.rank). **\(escape(h.title.isEmpty ? h.id : h.title))** (\(source), score \(String(format1: p.score, digits: 3)))")
            out.line("   > " + marked(p.text, base: p.start, p.highlights, color: false, markdown: true).replacingNewlines(with: "\n   > "))
        }
    }

    /// A document result's snippet: its crop (with "…" where the passage was cut) when it
    /// was cropped, else the whole passage; highlights styled.
    static func snippet(_ p: PassageResult, color: Bool, markdown: Bool) -> String {
        guard let c = p.crop else { return marked(p.text, base: p.start, p.highlights, color: color, markdown: markdown) }
        let bytes = Array(p.text.utf8)
        let lo = min(max(0, c.start - p.start), bytes.count), hi = min(max(lo, c.end - p.start), bytes.count)
        let inner = String(decoding: bytes[lo..<hi], as: UTF8.self)
        // The crop's text is the inner text with "…" (3 bytes) on the sides that were cut.
        let extra = c.text.utf8.count - inner.utf8.count
        let lead = extra == 6 || (extra == 3 && c.text != inner + "…")
        let trail = extra == 6 || (extra == 3 && !lead)
        let shown = marked(
            inner, base: c.start, p.highlights.filter { $0.start >= c.start && $0.end <= c.end }, color: color, markdown: markdown)
        return (lead ? "…" : "") + shown + (trail ? "…" : "")
    }

    /// The text with highlighted ranges (byte offsets relative to `base`) styled, its control
    /// characters escaped (newlines too when `oneLine`).
    static func marked(_ text: String, base: Int, _ highlights: [TextHighlight], color: Bool, markdown: Bool, oneLine: Bool = false)
        -> String
    {
        func safe(_ s: String) -> String { oneLine ? SafeText.line(s) : SafeText.text(s) }
        guard color || markdown, !highlights.isEmpty else { return markdown ? escape(text, oneLine: oneLine) : safe(text) }
        let bytes = Array(text.utf8)
        var result = ""
        var at = 0
        for h in highlights.sorted(by: { $0.start < $1.start }) {
            let s = h.start - base, e = h.end - base
            guard s >= at, e <= bytes.count, s < e else { continue }
            let before = String(decoding: bytes[at..<s], as: UTF8.self)
            let word = String(decoding: bytes[s..<e], as: UTF8.self)
            result +=
                markdown
                ? escape(before, oneLine: oneLine) + "**" + escape(word, oneLine: oneLine) + "**"
                : safe(before) + Terminal.styled(safe(word), .highlight, enabled: true)
            at = e
        }
        let rest = String(decoding: bytes[at...], as: UTF8.self)
        result += markdown ? escape(rest, oneLine: oneLine) : safe(rest)
        return result
    }

    /// Text inside a Markdown code span: control characters escaped, backticks replaced (a
    /// code span cannot escape them).
    static func code(_ s: String) -> String {
        String(SafeText.line(s).map { $0 == "`" ? "'" : $0 })
    }

    /// Continuation lines of a multi-line passage (headings, preformatted text) indented
    /// like its first line.
    static func indented(_ text: String) -> String {
        text.replacingNewlines(with: "\n   ")
    }

    /// Escapes Markdown emphasis and code characters, and control characters (newlines too,
    /// unless the text is multi-line).
    static func escape(_ s: String, oneLine: Bool = true) -> String {
        var out = ""
        for c in oneLine ? SafeText.line(s) : SafeText.text(s) {
            if "*_`[]\\".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }
}

extension String {
    func replacingNewlines(with replacement: String) -> String {
        split(separator: "\n", omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
