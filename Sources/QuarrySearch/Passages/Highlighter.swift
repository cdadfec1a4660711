import QuarryAnalysis
import QuarryCore
import QuarryDocument
import QuarryIndex

/// Finds the words of a text that the query matched: the surface forms the user sees,
/// with exact byte and Unicode scalar offsets. A term is highlighted wherever it occurs in
/// a field its clause searches; a phrase's words only where they form the phrase.
struct Highlighter {
    let analyzer: Analyzer
    private var terms: [QueryField: Set<String>] = [:]
    private var phrases: [QueryField: [PhraseLeaf]] = [:]

    init(analyzer: Analyzer, plan: PlanNode?) {
        self.analyzer = analyzer
        var leaves: [PlanLeaf] = []
        plan?.positiveLeaves(into: &leaves)
        for field in QueryField.allCases {
            for leaf in leaves where leaf.field == nil || leaf.field == field {
                switch leaf {
                case .term(let t): terms[field, default: []].insert(t.weights.term)
                case .phrase(let p): phrases[field, default: []].append(p)
                }
            }
        }
    }

    /// Highlights in `text[range]` (UTF-8 byte range) of a field, with offsets into `text`.
    func highlights(in text: String, range: Range<Int>, field: QueryField) -> [TextHighlight] {
        let words = terms[field] ?? [], phrases = phrases[field] ?? []
        guard !(words.isEmpty && phrases.isEmpty), !range.isEmpty else { return [] }
        var s = text
        return s.withUTF8 { utf8 -> [TextHighlight] in
            let all = UnsafeRawBufferPointer(utf8)
            guard range.upperBound <= all.count else { return [] }
            let tokens = analyzer.tokens(UnsafeRawBufferPointer(rebasing: all[range]))
            var marked = tokens.map { words.contains($0.term) }
            for phrase in phrases { mark(phrase, tokens, &marked) }
            var result: [TextHighlight] = []
            var counter = ScalarCounter(all)
            for (i, token) in tokens.enumerated() where marked[i] {
                let start = range.lowerBound + token.start, end = range.lowerBound + token.end
                result.append(
                    TextHighlight(
                        start: start, end: end, charStart: counter.scalars(upTo: start),
                        charEnd: counter.scalars(upTo: end), term: token.term))
            }
            return result
        }
    }

    /// Marks the tokens that form matches of a phrase.
    private func mark(_ phrase: PhraseLeaf, _ tokens: [Token], _ marked: inout [Bool]) {
        var lists = Array(repeating: [UInt32](), count: phrase.terms.count)
        var tokenAt: [Int: Int] = [:]
        for (i, t) in tokens.enumerated() {
            guard let k = phrase.terms.firstIndex(where: { $0.term == t.term }) else { continue }
            lists[k].append(UInt32(t.position))
            tokenAt[t.position] = i
        }
        var finder = PhraseFinder(slots: phrase.slots, offsets: phrase.offsets, slop: phrase.slop)
        finder.forEachMatch(lists) { positions, _ in
            for p in positions {
                if let i = tokenAt[p] { marked[i] = true }
            }
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

/// Crops a passage to a window of `words` words (runs of non-space text) of `body`: the
/// window holding the most distinct highlighted terms, then the most highlights, the
/// earliest of equals, shifted to centre its highlights. Nil when the passage is empty.
func crop(_ body: String, passage: Range<Int>, highlights: [TextHighlight], words limit: Int) -> SnippetCrop? {
    var body = body
    return body.withUTF8 { utf8 -> SnippetCrop? in
        let all = UnsafeRawBufferPointer(utf8)
        let lo = min(max(0, passage.lowerBound), all.count), hi = min(max(lo, passage.upperBound), all.count)
        // Word spans: maximal runs of bytes other than ASCII whitespace.
        var spans: [Range<Int>] = []
        var i = lo
        while i < hi {
            while i < hi && isSpace(all[i]) { i += 1 }
            let start = i
            while i < hi && !isSpace(all[i]) { i += 1 }
            if i > start { spans.append(start..<i) }
        }
        guard let firstSpan = spans.first, let lastSpan = spans.last else { return nil }
        var first = 0
        let n = max(1, limit)
        if spans.count > n {
            // The word each highlight starts in, and its term.
            var marks: [(word: Int, term: String)] = []
            var w = 0
            for h in highlights.sorted(by: { $0.start < $1.start }) where h.start >= lo && h.start < hi {
                while w < spans.count - 1 && spans[w].upperBound <= h.start { w += 1 }
                marks.append((w, h.term))
            }
            var best = (distinct: -1, count: -1, start: 0)
            var m0 = 0
            for start in 0...(spans.count - n) {
                while m0 < marks.count && marks[m0].word < start { m0 += 1 }
                var m1 = m0, terms = Set<String>()
                while m1 < marks.count && marks[m1].word < start + n {
                    terms.insert(marks[m1].term)
                    m1 += 1
                }
                if terms.count > best.distinct || (terms.count == best.distinct && m1 - m0 > best.count) {
                    best = (terms.count, m1 - m0, start)
                }
            }
            first = best.start
            // Centre the chosen highlights in the window (it keeps all of them).
            let inside = marks.filter { $0.word >= best.start && $0.word < best.start + n }
            if let f = inside.first?.word, let l = inside.last?.word {
                first = max(0, min(f - (n - (l - f + 1)) / 2, spans.count - n))
            }
        }
        let last = min(spans.count, first + n) - 1
        let start = spans[first].lowerBound, end = spans[last].upperBound
        var counter = ScalarCounter(all)
        let charStart = counter.scalars(upTo: start), charEnd = counter.scalars(upTo: end)
        var text = String(decoding: UnsafeRawBufferPointer(rebasing: all[start..<end]), as: UTF8.self)
        if start > firstSpan.lowerBound { text = "…" + text }
        if end < lastSpan.upperBound { text += "…" }
        return SnippetCrop(start: start, end: end, charStart: charStart, charEnd: charEnd, text: text)
    }
}

@inline(__always)
private func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C || b == 0x0B }
