import QuarryCore
import QuarryDocument
import QuarryIndex
import QuarryIngest
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One input of a sync run: a file to read, or a batch of standard input.
struct SourceInput: Sendable {
    /// Absolute path as text (the source's key in the sources table, and its documents' origin).
    var path: String
    /// The file to open (nil for standard input).
    var file: RawPath?
    /// The path as the user can read it.
    var displayPath: String
    /// The id of its document (one-document files).
    var id: String
    var format: SourceFormat
    var size: Int
    /// Hash the previous commit recorded for this source (to skip unchanged content); nil
    /// when the file must be extracted again whatever its content.
    var previousHash: UInt64?
    /// The bytes of a JSON Lines source.
    var lines: LineFile?
    /// Ids of JSON lines not to index (deleted with `delete`).
    var excludedIDs: Set<String> = []
    /// Lines and bytes before this input (a batch of standard input), for messages.
    var lineBase = 0
    var byteBase = 0
}

/// What happened to one input during a run.
struct SourceOutcome: Sendable {
    var documents = 0
    var failed = false
    /// Content hash of the file (one-document files; JSON Lines files are hashed up front).
    var contentHash: UInt64?
    /// The file's content was unchanged after all (same hash as before): nothing was parsed.
    var unchanged = false
    /// The page is generated (it was indexed only if the options say so).
    var generated: GeneratedPage?
    /// JSON lines left out because their ids were deleted with `delete`.
    var excludedLines = 0
    /// JSON lines over the size limit, skipped.
    var oversizedLines = 0
}

/// How a feed reads and extracts.
struct FeedOptions: Sendable {
    var extraction = ExtractionOptions()
    /// Index generated pages too.
    var indexGenerated = false
    /// The largest one-document file, and the longest JSON line, read.
    var maxDocumentBytes = 128 << 20
}

/// The documents of a sync run, for the index writer's threads: one item per
/// one-document file, one per chunk of about 1 MB of whole lines of a JSON Lines input.
/// Files are read, hashed and parsed on the writer's threads; what happened to each input
/// (and its problems, in input order) is kept here.
final class SourceFeed: DocumentFeed, @unchecked Sendable {
    // @unchecked: immutable after init but for the Mutex-protected results.
    enum Item: Sendable {
        case file(input: Int)
        case lines(input: Int, range: Range<Int>)
        /// A JSON line over the size limit: reported, not read.
        case oversizedLine(input: Int, range: Range<Int>, line: Int)
    }

    let inputs: [SourceInput]
    let items: [Item]
    let options: FeedOptions
    private let parser: SourceParser
    private let results = Mutex<(outcomes: [Int: SourceOutcome], issues: [(item: Int, issue: IngestIssue)])>(([:], []))

    init(inputs: [SourceInput], items: [Item], options: FeedOptions = FeedOptions()) {
        self.inputs = inputs
        self.items = items
        self.options = options
        parser = SourceParser(options: options.extraction)
    }

    var itemCount: Int { items.count }
    var totalBytes: Int { inputs.reduce(0) { $0 + $1.size } }

    func produce(item i: Int, emit: (Article, String) throws -> Void) throws -> Int {
        var outcome = SourceOutcome()
        var issues: [IngestIssue] = []
        let inputIndex: Int
        let bytesDone: Int
        switch items[i] {
        case .file(let s):
            inputIndex = s
            let input = inputs[s]
            bytesDone = input.size
            do {
                guard let file = input.file else { throw SystemError(path: input.displayPath, operation: "read", errno: EINVAL) }
                let bytes = try FileSystem.read(file, name: input.displayPath, limit: options.maxDocumentBytes)
                let hash = XXH64.hash(bytes)
                outcome.contentHash = hash
                if hash == input.previousHash {
                    outcome.unchanged = true
                } else {
                    let extracted = parser.extractDocument(bytes, displayPath: input.displayPath, id: input.id, format: input.format)
                    issues.append(contentsOf: extracted.issues)
                    outcome.generated = extracted.page.generated
                    if let article = extracted.article {
                        if extracted.page.generated == nil || options.indexGenerated {
                            try emit(article, input.path)
                            outcome.documents = 1
                        }
                    } else {
                        outcome.failed = true
                    }
                }
            } catch let e as SystemError {
                let hint = e.errno == EFBIG ? " (--max-file-mb)" : ""
                issues.append(IngestIssue(path: input.displayPath, message: "cannot \(e.operation): \(e.reason)\(hint); skipped"))
                outcome.failed = true
            }
        case .lines(let s, let range):
            inputIndex = s
            let input = inputs[s]
            bytesDone = range.count
            if let file = input.lines {
                var count = 0
                var excluded = 0
                let found = try file.withBytes(range) { bytes in
                    try parser.parseLines(
                        bytes, range: 0..<bytes.count, displayPath: input.displayPath,
                        baseOffset: input.byteBase + range.lowerBound,
                        firstLine: { input.lineBase + file.newlines(before: range.lowerBound) + 1 }
                    ) { article in
                        if input.excludedIDs.contains(article.id) {
                            excluded += 1
                            return
                        }
                        try emit(article, input.path)
                        count += 1
                    }
                }
                outcome.documents = count
                outcome.excludedLines = excluded
                issues.append(contentsOf: found)
            }
        case .oversizedLine(let s, let range, let line):
            inputIndex = s
            let input = inputs[s]
            bytesDone = range.count
            outcome.oversizedLines = 1
            issues.append(
                IngestIssue(
                    path: input.displayPath, line: input.lineBase + line, byteOffset: input.byteBase + range.lowerBound,
                    message:
                        "the line is \(FileSystem.megabytes(range.count)), over the limit of \(FileSystem.megabytes(options.maxDocumentBytes)) for one document (--max-file-mb); line skipped"
                ))
        }
        let finished = outcome
        let found = issues
        results.withLock { r in
            var o = r.outcomes[inputIndex] ?? SourceOutcome()
            o.documents += finished.documents
            o.failed = o.failed || finished.failed
            if let h = finished.contentHash { o.contentHash = h }
            o.unchanged = o.unchanged || finished.unchanged
            if let g = finished.generated { o.generated = g }
            o.excludedLines += finished.excludedLines
            o.oversizedLines += finished.oversizedLines
            r.outcomes[inputIndex] = o
            for issue in found { r.issues.append((i, issue)) }
        }
        return bytesDone
    }

    /// What happened to each input (by input index).
    var outcomes: [Int: SourceOutcome] { results.withLock { $0.outcomes } }

    /// The problems found, in input order (items are produced in parallel).
    var issues: [IngestIssue] {
        results.withLock { r in
            r.issues.enumerated().sorted { ($0.element.item, $0.offset) < ($1.element.item, $1.offset) }.map { $0.element.issue }
        }
    }
}
