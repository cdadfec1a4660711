import QuarryCore
import QuarryDocument

#if canImport(Glibc)
import Glibc
#endif

/// Parses sources into articles: HTML and plain-text files (one document each) and chunks
/// of BEIR JSON Lines files. Problems are returned as issues; a broken document is skipped,
/// the rest goes on.
package struct SourceParser: Sendable {
    package let options: ExtractionOptions
    private let html: HTMLExtractor
    private let beir = BEIRReader()

    /// Bytes of a text or Markdown file that are decoded at most (twice a document's text limit).
    package static let maxTextInputBytes = 2 * TextBuilder.maxBytes

    package init(options: ExtractionOptions = .default) {
        self.options = options
        html = HTMLExtractor(options: options)
    }

    /// Parses the bytes of a one-document file.
    package func parseDocument(_ bytes: [UInt8], displayPath: String, id: String, format: SourceFormat) -> (
        article: Article?, issues: [IngestIssue]
    ) {
        let result = extractDocument(bytes, displayPath: displayPath, id: id, format: format)
        return (result.article, result.issues)
    }

    /// Parses the bytes of a one-document file, and tells what the page is (generated or not,
    /// chrome dropped): see `PageInfo`. Markdown is a `.md` or `.markdown` file read as text.
    package func extractDocument(_ bytes: [UInt8], displayPath: String, id: String, format: SourceFormat)
        -> (article: Article?, issues: [IngestIssue], page: PageInfo)
    {
        switch format {
        case .html:
            do {
                let result = try html.extractPage(bytes, id: id, path: displayPath)
                return (result.article, result.issues, result.page)
            } catch let issue as IngestIssue {
                return (nil, [issue], PageInfo())
            } catch {
                return (nil, [IngestIssue(path: displayPath, message: "cannot parse HTML: \(error)")], PageInfo())
            }
        case .text, .auto:
            // A document keeps at most 16 MiB of text (TextBuilder.maxBytes): decode and
            // extract only the first 32 MiB of an enormous text file (room for collapsed
            // whitespace and two-byte encodings), so that its cost stays bounded.
            let input = bytes.count > SourceParser.maxTextInputBytes ? Array(bytes[0..<SourceParser.maxTextInputBytes]) : bytes
            let decoded = Charset.decodeText(input)
            var issues = decoded.warnings.map { IngestIssue(path: displayPath, message: $0, severity: .warning) }
            if input.count < bytes.count {
                issues.append(
                    IngestIssue(
                        path: displayPath,
                        message:
                            "only the first \(input.count) of its \(bytes.count) bytes were read (a document keeps at most \(TextBuilder.maxBytes) bytes of text)",
                        severity: .warning))
            }
            let lower = displayPath.lowercased()
            if lower.hasSuffix(".md") || lower.hasSuffix(".markdown") {
                let result = decoded.utf8.withUnsafeBytes {
                    MarkdownExtractor(options: options).extract($0, id: id, path: displayPath)
                }
                issues += result.issues
                return (result.article, issues, result.page)
            }
            let article = decoded.utf8.withUnsafeBytes {
                PlainTextExtractor().extract($0, id: id, path: displayPath)
            }
            return (article, issues, PageInfo())
        case .beir:
            return (
                nil, [IngestIssue(path: displayPath, message: "a JSON Lines file holds many documents; parse it with parseLines")],
                PageInfo()
            )
        }
    }

    /// Parses the lines of `file[range]` (whole lines) of a BEIR JSON Lines file.
    /// `firstLine` gives the 1-based number of the chunk's first line (computed only when
    /// an error needs it).
    /// `baseOffset` is the file offset of `file[0]` (for error messages).
    package func parseLines(
        _ file: UnsafeRawBufferPointer, range: Range<Int>, displayPath: String, baseOffset: Int = 0, firstLine: () -> Int,
        _ body: (Article) throws -> Void
    ) throws -> [IngestIssue] {
        var issues: [IngestIssue] = []
        var lineIndex = 0
        var chunkFirstLine: Int? = nil
        try Lines.forEach(file, in: range) { line, start in
            do {
                if let article = try beir.parse(line: line, path: displayPath) { try body(article) }
            } catch let e as JSONLineError {
                if chunkFirstLine == nil { chunkFirstLine = firstLine() }
                let n = (chunkFirstLine ?? 1) + lineIndex
                issues.append(
                    IngestIssue(
                        path: displayPath, line: n, byteOffset: baseOffset + start + e.column,
                        message: "invalid JSON (\(e.message)); line skipped"))
            }
            lineIndex += 1
            return true
        }
        return issues
    }
}
