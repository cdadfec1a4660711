import QuarryCore
import QuarryDocument
import Testing

@testable import QuarryIngest

private func md(_ s: String, path: String = "doc.md") -> Extraction {
    Array(s.utf8).withUnsafeBytes { MarkdownExtractor().extract($0, id: "m", path: path) }
}

@Suite("Markdown")
struct MarkdownTests {
    @Test("YAML front matter (with a list) gives the title and is not body text")
    func frontMatter() {
        let r = md("---\ntitle: \"Front Title\"\ntags:\n  - a\n  - b\n---\n\n# Heading\n\nBody text.\n")
        #expect(r.article.title == "Front Title")
        #expect(!r.article.body.contains("tags"))
        #expect(!r.article.body.contains("---"))
        #expect(blockTexts(r.article).map(\.1) == ["Heading", "Body text."])
        // CRLF line ends and TOML front matter.
        #expect(md("---\r\ntitle: CRLF\r\n---\r\n\r\nText\r\n").article.title == "CRLF")
        #expect(md("+++\ntitle = \"Toml\"\n+++\nText\n").article.body == "Text")
        #expect(md("+++\ntitle = \"Toml\"\n+++\nText\n").article.title == "Toml")
    }

    @Test("no front matter: the first heading, at any level, is the title")
    func headingTitle() {
        #expect(md("Intro para.\n\n## Second level\n\nx").article.title == "Second level")
        #expect(md("Just text.").article.title == "")
    }

    @Test("setext headings, emphasis, links and inline code leave no markup")
    func markup() {
        let r = md("Setext Title\n============\n\nSome **bold** and *em* with [a link](http://x.example) and `code`.\n\nSub\n---\n\nEnd.\n")
        #expect(r.article.title == "Setext Title")
        let b = blockTexts(r.article)
        #expect(b.map(\.0) == [.heading, .paragraph, .heading, .paragraph])
        #expect(b[1].1 == "Some bold and em with a link and code.")
        #expect(b[2].1 == "Sub")
        for mark in ["**", "[", "](", "`", "==="] { #expect(!r.article.body.contains(mark), "\(mark)") }
    }

    @Test("code fences and indented code are preformatted; tables are cells")
    func codeAndTables() {
        let r = md("# T\n\n```swift\nlet x = 1 < 2\n```\n\nText:\n\n    indented()\n    more()\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
        let b = blockTexts(r.article)
        #expect(b.contains { $0.0 == .preformatted && $0.1 == "let x = 1 < 2" })
        #expect(b.contains { $0.0 == .preformatted && $0.1 == "indented()\nmore()" })
        #expect(b.filter { $0.0 == .tableCell }.map(\.1) == ["a", "b", "1", "2"])
        #expect(!r.article.body.contains("|"))
    }

    @Test("an unclosed <p (which makes Ink 0.6.0 loop forever) is read as text")
    func unclosedParagraphTag() {
        #expect(md("text <p").article.body == "text <p")
        #expect(md("|[\\<&><p(\t:=").article.body.contains("<p("))
        #expect(md("<p>fine</p>\n\nand <P x").article.body.contains("<P x"))
        // A ">" with a combining mark is not a ">" to Ink.
        #expect(md("<p x >\u{0338}").article.body.contains("<p"))
        // The fuzzer's input: tag starts that meet another "<" before any ">" (Ink looped forever).
        let fuzzed = md("te\\<p<p te<<div>raw</\n td\n one\n4. two\n\n## H2 td\n\n tp<pt te\\<p< te<p").article.body
        #expect(fuzzed.contains("<p<p") && fuzzed.contains("raw</"))
        // A tag start whose ">" is on a later line (the fuzzer's fifth input looped forever).
        #expect(md(" >?<pre/\nu\\<pre/\nu\\&>ote").article.body.contains("<pre/"))
        // Ink's metadata reader trapped on this (the fuzzer's crash); a leading "-" is escaped.
        #expect(md(" ---\n| \u{0B}\u{0}2  4tt+xle\u{0}\np").article.body.contains("---"))
        #expect(md("- item one\n- item two").article.body.contains("item two"))
        // Comparisons and whole tags are left alone.
        #expect(md("if a < b and c > d then <b>bold</b>").article.body == "if a < b and c > d then bold")
    }

    @Test("brackets nested deeper than links go (exponential in Ink 0.6.0) are read as text")
    func deepBrackets() {
        // The fuzzer's input: 26 "[" before a heading, then text with backticks.
        let run = String(repeating: "[", count: 26)
        let body = md(run + "# Title\n\nSome text with `code# Title\n\nSome` and clo0\n``t `").article.body
        #expect(body.hasPrefix(run))
        // Over several lines of one paragraph, and balanced.
        #expect(md(String(repeating: "[a\n", count: 30) + "end").article.body.contains("[a"))
        #expect(md(String(repeating: "[", count: 24) + "x" + String(repeating: "]", count: 24)).article.body.contains("[[[x]]]"))
        // Links two deep (an image in a link) are still links: no markup in the text.
        #expect(md("see [![logo](l.png) the site](https://example.org) now").article.body == "see the site now")
        #expect(MarkdownSource.defuseDeepBrackets("[a [b [c] d] e]") == "[a [b \\[c] d] e]")
        #expect(MarkdownSource.defuseDeepBrackets("```\n[[[[\n```\n[[[") == "```\n[[\\[\\[\n```\n[[\\[")
        // An unclosed backtick opens no code span: the brackets after it count.
        #expect(MarkdownSource.defuseDeepBrackets("<`[[[[ x") == "<`[[\\[\\[ x")
    }

    @Test(".md files go through the Markdown extractor in SourceParser")
    func sourceParser() {
        let r = SourceParser().parseDocument(Array("---\ntitle: X\n---\n**b**\n".utf8), displayPath: "a.md", id: "a.md", format: .text)
        #expect(r.article?.title == "X")
        #expect(r.article?.body == "b")
    }
}
