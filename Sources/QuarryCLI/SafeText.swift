/// Text from an index or a file system (ids, paths, titles, passages) on its way to a
/// terminal: control characters are shown escaped, so that a file name or a document cannot
/// forge output lines or send the terminal escape sequences. JSON output escapes them by
/// definition and does not go through here.
package enum SafeText {
    /// One-line fields (ids, paths, titles, headings, messages): every control character
    /// (C0, DEL, C1, and the Unicode line and paragraph separators) escaped, newline and tab
    /// included: `\n`, `\t`, `\r`, `\e` (escape), `\u{85}`.
    package static func line(_ s: String) -> String {
        escaped(s, keepNewlines: false)
    }

    /// Multi-line text (passages, stored bodies): as `line`, but newlines and tabs stay.
    package static func text(_ s: String) -> String {
        escaped(s, keepNewlines: true)
    }

    package static func isControl(_ v: UInt32) -> Bool {
        v < 0x20 || (v >= 0x7F && v <= 0x9F) || v == 0x2028 || v == 0x2029
    }

    private static func escaped(_ s: String, keepNewlines: Bool) -> String {
        // Fast path: nothing to escape (the common case), no copy.
        if !s.unicodeScalars.contains(where: { isControl($0.value) && !(keepNewlines && ($0 == "\n" || $0 == "\t")) }) { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            guard isControl(u.value), !(keepNewlines && (u == "\n" || u == "\t")) else {
                out.append(u)
                continue
            }
            let shown: String
            switch u {
            case "\n": shown = "\\n"
            case "\t": shown = "\\t"
            case "\r": shown = "\\r"
            case "\u{1B}": shown = "\\e"
            default: shown = "\\u{" + String(u.value, radix: 16, uppercase: true) + "}"
            }
            out.append(contentsOf: shown.unicodeScalars)
        }
        return String(out)
    }
}
