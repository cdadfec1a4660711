import QuarryCore
import QuarryDocument
import QuarryIndex
import Testing

@testable import QuarrySearch

@Suite("Cropped snippets")
struct SnippetCropTests {
    @Test("a crop is a run of whole words of its passage, holds highlights, and says where it was cut", arguments: [3, 8, 30])
    func crops(words: Int) throws {
        let (searcher, _, dir) = try BruteForceTests().build(seed: 21, threads: 1)
        defer { try? FileSystem.removeTree(dir) }
        var rng = SeededGenerator(seed: 99)
        var cut = 0, checked = 0
        for _ in 0..<20 {
            let text = randomWords(1 + Int(rng.next() % 4), &rng)
            let results = try searcher.search(text, options: SearchOptions(limit: 20, snippets: 3, snippetWords: words))
            let plain = try searcher.search(text, options: SearchOptions(limit: 20, snippets: 3))
            #expect(results.map(\.id) == plain.map(\.id))
            for (r, p) in zip(results, plain) {
                // Cropping changes nothing else.
                #expect(r.passages.map(\.text) == p.passages.map(\.text))
                #expect(r.passages.map(\.highlights) == p.passages.map(\.highlights))
                #expect(p.passages.allSatisfy { $0.crop == nil })
                let body = Array(try searcher.document(id: r.id).body.utf8)
                let scalars = Array(try searcher.document(id: r.id).body.unicodeScalars)
                for passage in r.passages {
                    let c = try #require(passage.crop)
                    checked += 1
                    #expect(c.start >= passage.start && c.end <= passage.end && c.start < c.end)
                    let inner = String(decoding: body[c.start..<c.end], as: UTF8.self)
                    #expect(String(String.UnicodeScalarView(scalars[c.charStart..<c.charEnd])) == inner)
                    let wordCount = inner.split(whereSeparator: { " \n\t\r".contains($0) }).count
                    #expect(wordCount <= words)
                    let passageWords = passage.text.split(whereSeparator: { " \n\t\r".contains($0) }).count
                    #expect(wordCount == min(words, passageWords))
                    let before = !String(decoding: body[passage.start..<c.start], as: UTF8.self).allSatisfy(\.isWhitespace)
                    let after = !String(decoding: body[c.end..<passage.end], as: UTF8.self).allSatisfy(\.isWhitespace)
                    #expect(c.text == (before ? "…" : "") + inner + (after ? "…" : ""))
                    if before || after { cut += 1 }
                    // The crop holds at least one highlight when the passage has any.
                    if !passage.highlights.isEmpty {
                        #expect(
                            passage.highlights.contains { $0.start >= c.start && $0.end <= c.end },
                            "no highlight in the crop of \(r.id)#\(passage.index)")
                    }
                }
            }
        }
        #expect(checked > 20)
        if words < 10 { #expect(cut > 0) }
    }

    @Test("the window with the most distinct terms wins, centred on them")
    func choice() {
        let body = "a b c d alpha e f g h i j k l m n beta gamma o p q r s t u v"
        func highlight(_ word: String, _ term: String) -> TextHighlight {
            let u = Array(body.utf8), w = Array(word.utf8)
            var at = 0
            while Array(u[at..<(at + w.count)]) != w { at += 1 }
            return TextHighlight(start: at, end: at + w.count, charStart: at, charEnd: at + w.count, term: term)
        }
        let hs = [highlight("alpha", "alpha"), highlight("beta", "beta"), highlight("gamma", "gamma")]
        let c = crop(body, passage: 0..<body.utf8.count, highlights: hs, words: 4)
        #expect(c?.text == "…n beta gamma o…")
        let whole = crop(body, passage: 0..<body.utf8.count, highlights: hs, words: 100)
        #expect(whole?.text == body)
        let none = crop(body, passage: 0..<body.utf8.count, highlights: [], words: 3)
        #expect(none?.text == "a b c…")
    }
}
