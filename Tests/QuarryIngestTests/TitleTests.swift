import QuarryCore
import QuarryDocument
import Testing

@testable import QuarryIngest

private func plain(_ s: String, path: String = "x.txt") -> Article {
    Array(s.utf8).withUnsafeBytes { PlainTextExtractor().extract($0, id: "x", path: path) }
}

@Suite("Titles")
struct TitleTests {
    @Test("a long title is cut at a word boundary before 200 characters, with …")
    func cap() {
        let words = (0..<100).map { "word\($0)" }.joined(separator: " ")
        let t = TitleRules.cap(words)
        #expect(t.hasSuffix("…"))
        #expect(t.count <= TitleRules.maxCharacters + 1)
        #expect(words.hasPrefix(String(t.dropLast())))
        #expect(words.dropFirst(t.count - 1).first == " ")
        #expect(TitleRules.cap("short") == "short")
        let oneWord = String(repeating: "x", count: 500)
        #expect(TitleRules.cap(oneWord) == String(repeating: "x", count: 200) + "…")
    }

    @Test("HTML <title> and h1 are capped")
    func htmlCap() throws {
        let long = (0..<80).map { "part\($0)" }.joined(separator: " ")
        let a = try HTMLExtractor().extract(Array("<title>\(long)</title><p>x</p>".utf8), id: "h", path: "h").article
        #expect(a.title.hasSuffix("…"))
        #expect(a.title.count <= 201)
        let b = try HTMLExtractor().extract(Array("<h1>\(long)</h1><p>x</p>".utf8), id: "h", path: "h").article
        #expect(b.title.count <= 201)
    }

    @Test("2,000 one-line paragraphs and no title line: no title, nothing lost from the body")
    func bodyLikeFirstParagraph() {
        let paragraph = String(repeating: "lorem ipsum dolor sit amet ", count: 77) + "end."
        let text = Array(repeating: paragraph, count: 2000).joined(separator: "\n\n")
        let a = plain(text)
        #expect(a.title == "")
        #expect(a.blocks.count == 2000)
    }

    @Test("plain text: an underlined line is the title; underlines are not text; later underlined lines are headings")
    func underlined() {
        let a = plain(".. comment\n\n=======\nPorting\n=======\n\nIntro text here.\n\nDetails\n-------\n\nMore text.\n")
        #expect(a.title == "Porting")
        #expect(!a.body.contains("==="))
        #expect(!a.body.contains("---"))
        #expect(blockTexts(a).contains { $0.0 == .heading && $0.1 == "Details" })
        #expect(!a.body.contains("Porting"))
    }

    @Test("plain text: breadcrumbs, list items, sentences and wrapped prose are not titles")
    func notTitles() {
        #expect(plain("Home | Docs | API\n\nThe API Guide\n\nText.\n").title == "The API Guide")
        #expect(plain("Home > Docs > API\n\nReal Title\n\nText.").title == "Real Title")
        #expect(plain("- item one\n- item two\n\nThe Title\n\nText.").title == "The Title")
        #expect(plain("Sections in this file describe:\n - intro\n").title == "")
        let prose = "This is wrapped prose that goes on for a while and\nkeeps going on the next line as text does.\n"
        #expect(plain(prose).title == "")
        // A title block of short lines: its first line.
        #expect(plain("Apache Commons CLI\nVersion 1.5.0\nRelease Notes\n\nThis document...").title == "Apache Commons CLI")
    }

    @Test("plain text: a heading-like line that names the file is preferred to a label before it")
    func fileName() {
        let text = "About all\n\nSpi Altera Controller\n\nText."
        #expect(plain(text, path: "docs/spi_altera.txt").title == "Spi Altera Controller")
        #expect(plain(text, path: "README").title == "About all")
    }
}
