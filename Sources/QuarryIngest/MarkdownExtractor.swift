import Ink
import QuarryCore
import QuarryDocument

/// Markdown → article: the source is prepared (`MarkdownSource`: front matter off, setext
/// headings and indented code rewritten), Ink 0.6.0 turns it into HTML, and `HTMLExtractor`
/// extracts that, so Markdown gets the same blocks as HTML: headings, list items, table
/// cells, preformatted code; no markup characters in the text.
///
/// Title: the front matter's `title`, else the text of the first heading (any level), else
/// "" — capped by `TitleRules`. The heading stays in the body, as an HTML `<h1>` does.
package struct MarkdownExtractor: Sendable {
    package var options: ExtractionOptions

    package init(options: ExtractionOptions = .default) {
        self.options = options
    }

    /// `text` is UTF-8 (as `Charset.decodeText` gives it).
    package func extract(_ text: UnsafeRawBufferPointer, id: String, path: String) -> Extraction {
        let source = MarkdownSource(String(decoding: text, as: UTF8.self))
        let html = MarkdownParser().html(from: source.markdown)
        var result: Extraction
        do {
            result = try HTMLExtractor(options: options).extractPage(Array(html.utf8), id: id, path: path)
        } catch let issue as IngestIssue {
            return Extraction(article: Article(id: id, path: path, title: "", body: "", blocks: []), issues: [issue])
        } catch {
            return Extraction(
                article: Article(id: id, path: path, title: "", body: "", blocks: []),
                issues: [IngestIssue(path: path, message: "cannot extract Markdown: \(error)")])
        }
        var title = source.title.map(normalizedTitle) ?? ""
        if title.isEmpty {
            let utf8 = Array(result.article.body.utf8)
            if let heading = result.article.blocks.first(where: { $0.kind == .heading }) {
                title = String(decoding: utf8[heading.start..<heading.end], as: UTF8.self)
            }
        }
        result.article.title = TitleRules.cap(title)
        if let date = source.date { result.article.date = date }
        return result
    }

    /// Whitespace collapsed, as in every title.
    private func normalizedTitle(_ s: String) -> String {
        var builder = TextBuilder(capacity: s.utf8.count)
        builder.append(s)
        return builder.finish().body
    }
}
