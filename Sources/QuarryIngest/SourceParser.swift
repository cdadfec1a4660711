#if canImport(Glibc)
import Glibc
#endif
import QuarryCore
import QuarryDocument

/// Parses sources into articles: HTML and plain-text files (one document each) and chunks
/// of BEIR JSON Lines files. Problems are returned as issues; a broken document is skipped,
/// the rest goes on.
package struct SourceParser: Sendable {
    private let html = HTMLExtractor()
    private let beir = BEIRReader()

    package init() {}

    /// Parses the bytes of a one-document file.
    package func parseDocument(_ bytes: [UInt8], displayPath: String, id: String, format: SourceFormat) -> (article: Article?, issues: [IngestIssue]) {
        switch format {
        case .html:
            do {
                let (article, issues) = try html.extract(bytes, id: id, path: displayPath)
                return (article, issues)
            } catch let issue as IngestIssue {
                return (nil, [issue])
            } catch {
                return (nil, [IngestIssue(path: displayPath, message: "cannot parse HTML: \(error)")])
            }
        case .text, .auto:
            let decoded = Charset.decodeText(bytes)
            let markdown = displayPath.lowercased().hasSuffix(".md")
            let article = decoded.utf8.withUnsafeBytes {
                PlainTextExtractor(markdown: markdown).extract($0, id: id, path: displayPath)
            }
            return (article, decoded.warnings.map { IngestIssue(path: displayPath, message: $0, severity: .warning) })
        case .beir:
            return (nil, [IngestIssue(path: displayPath, message: "a JSON Lines file holds many documents; parse it with parseLines")])
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
                issues.append(IngestIssue(path: displayPath, line: n, byteOffset: baseOffset + start + e.column,
                                          message: "invalid JSON (\(e.message)); line skipped"))
            }
            lineIndex += 1
            return true
        }
        return issues
    }
}
