#if canImport(Glibc)
import Glibc
#endif
import QuarryCore

/// A document parsed from a source, with the fingerprint of the bytes it came from.
public struct ParsedDocument: Sendable {
    public var article: Article
    /// XXH64 of the document's source bytes (the whole file, or its JSON line).
    public var contentHash: UInt64
    /// 1-based line number for JSON Lines documents.
    public var line: Int?

    public init(article: Article, contentHash: UInt64, line: Int? = nil) {
        self.article = article
        self.contentHash = contentHash
        self.line = line
    }
}

/// Parses sources into articles: HTML and plain-text files (one document each) and chunks
/// of BEIR JSON Lines files. Problems are returned as issues; a broken document is skipped,
/// the rest goes on.
public struct SourceParser: Sendable {
    public let options: ExtractionOptions
    private let html: HTMLExtractor
    private let beir = BEIRReader()

    public init(options: ExtractionOptions = .default) {
        self.options = options
        html = HTMLExtractor(options: options)
    }

    /// Reads and parses a one-document file. Returns nil and an error issue when the file
    /// cannot be read or parsed.
    public func parseFile(path: String, displayPath: String, id: String, format: SourceFormat)
        -> (document: ParsedDocument?, issues: [IngestIssue], contentHash: UInt64?)
    {
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.read(path)
        } catch let e as SystemError {
            return (nil, [IngestIssue(path: displayPath, message: "cannot \(e.operation): \(e.reason)")], nil)
        } catch {
            return (nil, [IngestIssue(path: displayPath, message: "\(error)")], nil)
        }
        let hash = XXH64.hash(bytes)
        let result = parseDocument(bytes, displayPath: displayPath, id: id, format: format)
        return (result.article.map { ParsedDocument(article: $0, contentHash: hash, line: nil) }, result.issues, hash)
    }

    /// Parses the bytes of a one-document file.
    public func parseDocument(_ bytes: [UInt8], displayPath: String, id: String, format: SourceFormat) -> (article: Article?, issues: [IngestIssue]) {
        let result = extractDocument(bytes, displayPath: displayPath, id: id, format: format)
        return (result.article, result.issues)
    }

    /// Parses the bytes of a one-document file, and tells what the page is (generated or not,
    /// chrome dropped): see `PageInfo`. Markdown is a `.md` or `.markdown` file read as text.
    public func extractDocument(_ bytes: [UInt8], displayPath: String, id: String, format: SourceFormat)
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
            let decoded = Charset.decodeText(bytes)
            var issues = decoded.warnings.map { IngestIssue(path: displayPath, message: $0, severity: .warning) }
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
            return (nil, [IngestIssue(path: displayPath, message: "a JSON Lines file holds many documents; parse it with parseLines")], PageInfo())
        }
    }

    /// Parses the lines of `file[range]` (whole lines) of a BEIR JSON Lines file.
    /// `firstLine` gives the 1-based number of the chunk's first line (computed only when
    /// an error needs it).
    /// `baseOffset` is the file offset of `file[0]` (for error messages).
    public func parseLines(
        _ file: UnsafeRawBufferPointer, range: Range<Int>, displayPath: String, baseOffset: Int = 0, firstLine: () -> Int,
        _ body: (ParsedDocument) throws -> Void
    ) throws -> [IngestIssue] {
        var issues: [IngestIssue] = []
        var start = range.lowerBound
        var lineIndex = 0
        var chunkFirstLine: Int? = nil
        while start < range.upperBound {
            var end = start
            if let base = file.baseAddress, let nl = memchr(base + start, 0x0A, range.upperBound - start) {
                end = base.distance(to: UnsafeRawPointer(nl))
            } else {
                end = range.upperBound
            }
            var lineEnd = end
            if lineEnd > start && file[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            let line = UnsafeRawBufferPointer(rebasing: file[start..<lineEnd])
            do {
                if let article = try beir.parse(line: line, path: displayPath) {
                    try body(ParsedDocument(article: article, contentHash: XXH64.hash(line), line: nil))
                }
            } catch let e as JSONLineError {
                if chunkFirstLine == nil { chunkFirstLine = firstLine() }
                let n = (chunkFirstLine ?? 1) + lineIndex
                issues.append(IngestIssue(path: displayPath, line: n, byteOffset: baseOffset + start + e.column,
                                          message: "invalid JSON (\(e.message)); line skipped"))
            }
            lineIndex += 1
            start = end + 1
        }
        return issues
    }
}

/// Counts the newlines in `bytes[0..<end]` (fast, with memchr).
public func countNewlines(_ bytes: UnsafeRawBufferPointer, upTo end: Int) -> Int {
    guard let base = bytes.baseAddress else { return 0 }
    var count = 0
    var p = 0
    while p < end, let nl = memchr(base + p, 0x0A, end - p) {
        count += 1
        p = base.distance(to: UnsafeRawPointer(nl)) + 1
    }
    return count
}
