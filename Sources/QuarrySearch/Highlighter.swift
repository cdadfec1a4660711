import QuarryAnalysis
import QuarryCore
import QuarryIngest
import QuarryIndex

/// Finds the words of a text that analyse to query terms: the surface forms the user sees,
/// with exact byte and Unicode scalar offsets.
struct Highlighter {
    let analyzer: Analyzer
    let terms: Set<String>

    /// Highlights in `text[range]` (UTF-8 byte range), with offsets into `text`.
    func highlights(in text: String, range: Range<Int>) -> [TextHighlight] {
        guard !terms.isEmpty, !range.isEmpty else { return [] }
        var s = text
        return s.withUTF8 { utf8 -> [TextHighlight] in
            let all = UnsafeRawBufferPointer(utf8)
            guard range.upperBound <= all.count else { return [] }
            let slice = UnsafeRawBufferPointer(rebasing: all[range])
            var result: [TextHighlight] = []
            var counter = ScalarCounter(all)
            for token in analyzer.tokens(slice) where terms.contains(token.term) {
                let start = range.lowerBound + token.start, end = range.lowerBound + token.end
                result.append(TextHighlight(start: start, end: end, charStart: counter.scalars(upTo: start),
                                            charEnd: counter.scalars(upTo: end), term: token.term))
            }
            return result
        }
    }
}

/// The heading a byte offset of a body is under: the last heading block that starts
/// before it.
func heading(at offset: Int, in document: StoredDocument) -> String? {
    var found: TextBlock? = nil
    for b in document.blocks where b.kind == .heading {
        if b.start <= offset { found = b } else { break }
    }
    guard let h = found else { return nil }
    return slice(document.body, h.start..<h.end)
}

/// The text of a UTF-8 byte range of a string (ranges come from the index and always lie on
/// scalar boundaries; a damaged one is repaired, not trusted).
func slice(_ text: String, _ range: Range<Int>) -> String {
    let u = text.utf8
    let lo = min(max(0, range.lowerBound), u.count), hi = min(max(lo, range.upperBound), u.count)
    return String(decoding: u.dropFirst(lo).prefix(hi - lo), as: UTF8.self)
}
