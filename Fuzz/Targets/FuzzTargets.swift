import QuarryAnalysis
import QuarryCore
import QuarryDocument
import QuarryIngest
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The fuzz targets: each takes one input and must never crash, hang or break an invariant
/// of what it produces (violations trap: the fuzzer's oracle). `scripts/fuzz` runs them under
/// libFuzzer; the test suite replays the seed corpus and every crash input kept in
/// `Fuzz/Regressions/TARGET/`.
package enum FuzzTarget: String, CaseIterable, Sendable {
    /// HTML pages through libxml2 and the extractor, then passages and analysis.
    case html
    /// Plain-text files: charset detection and decoding, the text extractor.
    case text
    /// Markdown files through Ink (guarded against its hangs) and the extractor.
    case markdown
    /// BEIR JSON Lines: the line parser and reader, many lines at once.
    case jsonl
    /// Query text: the parser, and printing the tree back to text that parses to it again.
    case query
    /// Query text prepared and run (documents, passages, explanations) on a small index.
    case search
    /// A small index with one file mutated (its checksum fixed up or not): opening,
    /// searching, showing, stats and `check`.
    case index

    /// Runs one input.
    package func run(_ data: UnsafeRawBufferPointer) {
        switch self {
        case .html: FuzzDocuments.html(data)
        case .text: FuzzDocuments.text(data)
        case .markdown: FuzzDocuments.markdown(data)
        case .jsonl: FuzzDocuments.jsonl(data)
        case .query: FuzzQueries.parse(data)
        case .search: FuzzQueries.run(data)
        case .index: FuzzIndex.run(data)
        }
    }
}

/// Fails the run with a message naming the broken invariant.
func invariant(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition {
        let text = "fuzz invariant broken: \(message())\n"
        var t = text
        t.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
        abort()
    }
}

enum FuzzDocuments {
    // One analyzer (it caches, so it is not thread-safe) behind a lock: libFuzzer runs one
    // input at a time, but the test suite replays the targets in parallel.
    nonisolated(unsafe) static let analyzer: Analyzer? = try? Analyzer(settings: AnalyzerSettings())
    static let analyzerLock = Mutex(())

    static func html(_ data: UnsafeRawBufferPointer) {
        guard let result = try? HTMLExtractor().extractPage(data, id: "fuzz", path: "fuzz.html") else { return }
        check(result.article)
    }

    static func text(_ data: UnsafeRawBufferPointer) {
        let decoded = Charset.decodeText(Array(data))
        let article = decoded.utf8.withUnsafeBytes { PlainTextExtractor().extract($0, id: "fuzz", path: "fuzz.txt") }
        check(article)
    }

    static func markdown(_ data: UnsafeRawBufferPointer) {
        let decoded = Charset.decodeText(Array(data))
        let result = decoded.utf8.withUnsafeBytes { MarkdownExtractor().extract($0, id: "fuzz", path: "fuzz.md") }
        check(result.article)
    }

    static func jsonl(_ data: UnsafeRawBufferPointer) {
        let parser = SourceParser()
        _ = try? parser.parseLines(data, range: 0..<data.count, displayPath: "fuzz.jsonl", firstLine: { 1 }) { article in
            check(article)
        }
    }

    /// What every extracted article must satisfy: blocks and passages are ordered ranges of
    /// the body on character boundaries; analysis offsets lie in the text.
    static func check(_ a: Article) {
        var body = a.body
        body.withUTF8 { u in
            let bytes = UnsafeRawBufferPointer(u)
            func boundary(_ i: Int) -> Bool { i == bytes.count || (i < bytes.count && bytes[i] & 0xC0 != 0x80) }
            var previous = 0
            for b in a.blocks {
                invariant(
                    b.start >= previous && b.start <= b.end && b.end <= bytes.count,
                    "block \(b.start)..<\(b.end) of a \(bytes.count)-byte body after \(previous)")
                invariant(boundary(b.start) && boundary(b.end), "block \(b.start)..<\(b.end) cuts a character")
                previous = b.end
            }
            let passages = PassageSplitter(settings: .default).split(bytes, blocks: a.blocks)
            for p in passages {
                invariant(
                    p.start >= 0 && p.start <= p.end && p.end <= bytes.count, "passage \(p.start)..<\(p.end) of a \(bytes.count)-byte body")
                invariant(boundary(p.start) && boundary(p.end), "passage \(p.start)..<\(p.end) cuts a character")
            }
            let tokens = analyzerLock.withLock { _ in analyzer?.tokens(bytes) }
            if let tokens {
                var position = -1
                for t in tokens {
                    invariant(
                        t.start >= 0 && t.start < t.end && t.end <= bytes.count, "token \(t.start)..<\(t.end) of \(bytes.count) bytes")
                    invariant(t.position > position, "token positions must increase")
                    position = t.position
                }
            }
        }
        invariant(!a.id.isEmpty, "an article without an id")
    }
}
