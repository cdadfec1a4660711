import QuarryCore
import QuarryDocument
import Testing

@testable import QuarryIngest

func blockTexts(_ a: Article) -> [(BlockKind, String)] {
    let u = Array(a.body.utf8)
    return a.blocks.map { ($0.kind, String(decoding: u[$0.start..<$0.end], as: UTF8.self)) }
}

func extractText(_ s: String, markdown: Bool = false) -> Article {
    Array(s.utf8).withUnsafeBytes { PlainTextExtractor(markdown: markdown).extract($0, id: "x", path: "x") }
}

@Suite("Plain text extraction")
struct PlainTextTests {
    @Test("the first non-empty line is the title and is not repeated in the body")
    func title() {
        let a = extractText("\n\n  My Title  \n\nFirst paragraph.\n")
        #expect(a.title == "My Title")
        #expect(a.body == "First paragraph.")
    }

    @Test("blank lines separate paragraphs; wrapped lines join; bullets start list items")
    func blocks() {
        let a = extractText("T\n\nOne line\nwrapped here.\n\nIntro:\n  • first item\n  • second\n  item\n1. numbered\n")
        let b = blockTexts(a)
        #expect(b.map(\.1) == ["One line wrapped here.", "Intro:", "• first item", "• second item", "1. numbered"])
        #expect(b.map(\.0) == [.paragraph, .paragraph, .listItem, .listItem, .listItem])
        #expect(a.body == b.map(\.1).joined(separator: "\n"))
    }

    @Test("a short line without final punctuation followed by text is a heading")
    func headings() {
        let a = extractText("Title\n\nUnderstanding Norepinephrine\n\nIt is a hormone.\n\nA real sentence that ends.\n\nTrailing line")
        let b = blockTexts(a)
        #expect(b.map(\.0) == [.heading, .paragraph, .paragraph, .paragraph])
        #expect(b[0].1 == "Understanding Norepinephrine")
    }

    @Test("Markdown headings and fenced code (through MarkdownExtractor)")
    func markdown() {
        let a = extractText("# Doc\n\n## Part one ##\n\nText *here*.\n\n```\nlet x = 1\n\n  y()\n```\n", markdown: true)
        #expect(a.title == "Doc")
        let b = blockTexts(a)
        #expect(b.map(\.0) == [.heading, .heading, .paragraph, .preformatted, .preformatted])
        #expect(b.map(\.1) == ["Doc", "Part one", "Text here.", "let x = 1", "y()"])
    }

    @Test("the corpus articles extract with titles and headings")
    func corpus() throws {
        let dir = corpusDirectory()
        let bytes = try readFile(dir + "/norepinephrine-deficiency.txt")
        let decoded = Charset.decodeText(bytes)
        // The first line, "About all", is a section label; the next heading-like line names the file.
        let a = decoded.utf8.withUnsafeBytes {
            PlainTextExtractor().extract($0, id: "d", path: "Corpus/norepinephrine-deficiency.txt")
        }
        #expect(a.title == "Norepinephrine low. Norepinephrine Deficiency: Causes, Symptoms, and Implications for Mental Health")
        #expect(a.body.hasPrefix("About all\n"))
        #expect(!a.body.contains("Norepinephrine low. Norepinephrine Deficiency"))
        #expect(a.body.contains("Содержание"))
        #expect(blockTexts(a).contains { $0.0 == .heading && $0.1 == "Understanding Norepinephrine: Function and Importance" })
        #expect(blockTexts(a).contains { $0.0 == .listItem && $0.1.contains("Heart rate regulation") })
    }
}
