import Testing

@testable import QuarryDocument

func passages(_ a: Article, target: Int = 10, overlap: Int = 0) -> [String] {
    let spans = Array(a.body.utf8).withUnsafeBytes {
        PassageSplitter(settings: PassageSettings(targetWords: target, overlapWords: overlap)).split($0, blocks: a.blocks)
    }
    let u = Array(a.body.utf8)
    return spans.map { String(decoding: u[$0.start..<$0.end], as: UTF8.self) }
}

func article(_ blocks: [(BlockKind, String)]) -> Article {
    var b = TextBuilder()
    for (kind, text) in blocks {
        b.startBlock(kind, level: kind == .heading ? 2 : 0)
        b.append(text)
    }
    let (body, bl) = b.finish()
    return Article(id: "a", path: "a", title: "", body: body, blocks: bl)
}

@Suite("Passage splitting")
struct PassageSplitterTests {
    @Test("sentences are packed up to the target; passages never cross blocks")
    func packing() {
        let a = article([
            (.paragraph, "One two three four. Five six seven. Eight nine ten eleven twelve."),
            (.listItem, "A short item."),
            (.tableCell, "Cell text here."),
        ])
        #expect(
            passages(a, target: 8) == [
                "One two three four. Five six seven.", "Eight nine ten eleven twelve.", "A short item.", "Cell text here.",
            ])
    }

    @Test("a heading is kept with the passage it introduces")
    func headings() {
        let a = article([(.heading, "Causes"), (.paragraph, "Stress lowers it. Sleep helps."), (.heading, "Alone at the end")])
        #expect(passages(a, target: 20) == ["Causes\nStress lowers it. Sleep helps.", "Alone at the end"])
    }

    @Test("a sentence longer than twice the target is cut at word boundaries")
    func longSentence() {
        let words = (1...25).map { "w\($0)" }.joined(separator: " ")
        let a = article([(.paragraph, words)])
        let p = passages(a, target: 5)
        #expect(p.count == 3)
        #expect(p.allSatisfy { $0.split(separator: " ").count <= 10 })
        #expect(p.joined(separator: " ") == words)
    }

    @Test("overlap repeats whole trailing sentences within a block")
    func overlap() {
        let a = article([(.paragraph, "A b c. D e f. G h i. J k l.")])
        #expect(passages(a, target: 6, overlap: 3) == ["A b c. D e f.", "D e f. G h i.", "G h i. J k l."])
    }

    @Test("abbreviations followed by lowercase do not end sentences")
    func abbreviations() {
        let a = article([(.paragraph, "See e.g. the notes. Then more words follow here.")])
        #expect(passages(a, target: 4) == ["See e.g. the notes.", "Then more words follow here."])
    }

    @Test("every passage lies inside the body and on character boundaries")
    func bounds() {
        let a = article([(.heading, "Заголовок"), (.paragraph, "Ёлка — дерево. Naïve café. 🧠 brain! End")])
        let spans = Array(a.body.utf8).withUnsafeBytes {
            PassageSplitter(settings: PassageSettings(targetWords: 3)).split($0, blocks: a.blocks)
        }
        let u = Array(a.body.utf8)
        for s in spans {
            #expect(s.start < s.end && s.end <= u.count)
            #expect(String(validating: u[s.start..<s.end], as: UTF8.self) != nil)
        }
    }
}
