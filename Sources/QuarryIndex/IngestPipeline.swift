import Dispatch
import QuarryAnalysis
import QuarryCore
import QuarryIngest
import Synchronization

/// One unit of parallel work: a one-document file, or a chunk of whole lines of a JSON
/// Lines file (or of standard input).
enum WorkItem: Sendable {
    case file(source: Int)
    case lines(source: Int, range: Range<Int>, chunk: Int)
    /// Articles given in memory (`IndexWriter.add`), a range of `IngestJob.articles`.
    case articles(Range<Int>)
}

/// What happened to one source during a run.
struct SourceOutcome: Sendable {
    var documents = 0
    var failed = false
    /// Content hash of the file (one-document files; JSON Lines files are hashed up front).
    var contentHash: UInt64?
    /// The file's content was unchanged after all (same hash as before): nothing was parsed.
    var unchanged = false
}

/// Progress of an indexing run.
public struct IndexingProgress: Sendable {
    public var itemsDone: Int
    public var itemsTotal: Int
    public var bytesDone: Int
    public var bytesTotal: Int
    public var documents: Int
}

/// Shared state of the worker threads of one indexing run.
final class IngestJob: @unchecked Sendable {
    // @unchecked: the `let` properties are immutable; mutable state is behind Mutex/Atomic.
    struct Input: Sendable {
        var path: String
        var displayPath: String
        var id: String
        var format: SourceFormat
        var size: Int
        /// Hash recorded for this source by the previous commit (to skip unchanged content).
        var previousHash: UInt64?
    }

    let inputs: [Input]
    let items: [WorkItem]
    let articles: [Article]
    /// Mapped JSON Lines files (or standard input), by source index.
    let buffers: [Int: ByteBuffer]
    let directory: String
    let settings: IndexSettings
    let ramBudgetPerThread: Int
    let storeLevel: Int32
    let nonceSeed: UInt64?
    let nextItem = Atomic<Int>(0)
    let itemsDone = Atomic<Int>(0)
    let bytesDone = Atomic<Int>(0)
    let documents = Atomic<Int>(0)
    let failed = Atomic<Bool>(false)

    struct Results {
        var segments: [FlushedSegment] = []
        var outcomes: [Int: SourceOutcome] = [:]
        var issues: [(Int, IngestIssue)] = []
        var fatal: (any Error)? = nil
        var nextSegment: UInt64
    }
    let results: Mutex<Results>

    init(inputs: [Input], items: [WorkItem], articles: [Article] = [], buffers: [Int: ByteBuffer], directory: String, settings: IndexSettings,
         ramBudgetPerThread: Int, storeLevel: Int32, firstSegment: UInt64, nonceSeed: UInt64? = nil)
    {
        self.nonceSeed = nonceSeed
        self.inputs = inputs
        self.items = items
        self.articles = articles
        self.buffers = buffers
        self.directory = directory
        self.settings = settings
        self.ramBudgetPerThread = ramBudgetPerThread
        self.storeLevel = storeLevel
        results = Mutex(Results(nextSegment: firstSegment))
    }

    var bytesTotal: Int { inputs.reduce(0) { $0 + $1.size } }

    var progress: IndexingProgress {
        IndexingProgress(itemsDone: itemsDone.load(ordering: .relaxed), itemsTotal: items.count,
                         bytesDone: bytesDone.load(ordering: .relaxed), bytesTotal: bytesTotal,
                         documents: documents.load(ordering: .relaxed))
    }

    private func newSegmentName() -> String {
        results.withLock { r in
            let n = r.nextSegment
            r.nextSegment += 1
            return segmentName(n)
        }
    }

    /// Runs `threads` workers to completion; `tick` is called about every 100 ms on the
    /// calling thread.
    func run(threads: Int, tick: (IndexingProgress) -> Void) throws {
        let group = DispatchGroup()
        for _ in 0..<max(1, threads) {
            DispatchQueue.global(qos: .userInitiated).async(group: group) { [self] in
                do {
                    try work()
                } catch {
                    failed.store(true, ordering: .relaxed)
                    results.withLock { r in if r.fatal == nil { r.fatal = error } }
                }
            }
        }
        while group.wait(timeout: .now() + .milliseconds(100)) == .timedOut {
            tick(progress)
        }
        tick(progress)
        if let fatal = results.withLock({ $0.fatal }) { throw fatal }
    }

    /// One worker: claims items until none are left.
    private func work() throws {
        let analyzer = try Analyzer(settings: settings.analyzer)
        let cache = TermCache(analyzer: analyzer)
        let parser = SourceParser()
        var builder: SegmentBuilder? = nil
        defer { if let b = builder, failed.load(ordering: .relaxed) { b.discard() } }

        func add(_ doc: ParsedDocument, source: Int, sequence: UInt64) throws {
            if builder == nil {
                let name = newSegmentName()
                let nonce = nonceSeed.map { XXH64.hash(Array(name.utf8), seed: $0) | 1 } ?? randomNonce()
                builder = SegmentBuilder(directory: directory, name: name, nonce: nonce, cache: cache,
                                         passages: settings.passages, storeLevel: storeLevel)
            }
            try builder?.add(doc.article, source: source >= 0 ? inputs[source].path : doc.article.path,
                             contentHash: doc.contentHash, sequence: sequence)
            documents.add(1, ordering: .relaxed)
        }

        while !failed.load(ordering: .relaxed) {
            let i = nextItem.add(1, ordering: .relaxed).oldValue
            if i >= items.count { break }
            var outcome = SourceOutcome()
            var itemIssues: [IngestIssue] = []
            var sourceIndex = 0
            switch items[i] {
            case .file(let s):
                sourceIndex = s
                let input = inputs[s]
                let bytes: [UInt8]
                do {
                    bytes = try FileSystem.read(input.path)
                } catch let e as SystemError {
                    itemIssues.append(IngestIssue(path: input.displayPath, message: "cannot \(e.operation): \(e.reason); skipped"))
                    outcome.failed = true
                    bytes = []
                }
                if !outcome.failed {
                    let hash = XXH64.hash(bytes)
                    outcome.contentHash = hash
                    if hash == input.previousHash {
                        outcome.unchanged = true
                    } else {
                        let (article, issues) = parser.parseDocument(bytes, displayPath: input.displayPath, id: input.id, format: input.format)
                        itemIssues.append(contentsOf: issues)
                        if let article {
                            try add(ParsedDocument(article: article, contentHash: hash, line: nil), source: s, sequence: UInt64(i) << 32)
                            outcome.documents = 1
                        } else {
                            outcome.failed = true
                        }
                    }
                }
                bytesDone.add(input.size, ordering: .relaxed)
            case .lines(let s, let range, _):
                sourceIndex = s
                guard let buffer = buffers[s] else { break }
                let input = inputs[s]
                var index: UInt64 = 0
                let issues = try buffer.withBytes { bytes in
                    try parser.parseLines(bytes, range: range, displayPath: input.displayPath,
                                          firstLine: { countNewlines(bytes, upTo: range.lowerBound) + 1 }) { doc in
                        try add(doc, source: s, sequence: UInt64(i) << 32 | index)
                        index += 1
                    }
                }
                outcome.documents = Int(index)
                itemIssues.append(contentsOf: issues)
                bytesDone.add(range.count, ordering: .relaxed)
            case .articles(let range):
                sourceIndex = -1
                for k in range {
                    let a = articles[k]
                    var h = XXH64()
                    h.update(Array(a.title.utf8))
                    h.update([0])
                    h.update(Array(a.body.utf8))
                    try add(ParsedDocument(article: a, contentHash: h.finalize()), source: -1, sequence: UInt64(i) << 32 | UInt64(k - range.lowerBound))
                }
                outcome.documents = range.count
            }
            itemsDone.add(1, ordering: .relaxed)
            let finished = outcome
            let issues = itemIssues
            results.withLock { r in
                var o = r.outcomes[sourceIndex] ?? SourceOutcome()
                o.documents += finished.documents
                o.failed = o.failed || finished.failed
                if let h = finished.contentHash { o.contentHash = h }
                o.unchanged = o.unchanged || finished.unchanged
                r.outcomes[sourceIndex] = o
                for issue in issues { r.issues.append((i, issue)) }
            }
            if let b = builder, b.memoryBytes + cache.memoryBytes / 4 >= ramBudgetPerThread {
                let flushed = try b.flush()
                try CrashPoint.reached("segment-flushed")
                results.withLock { $0.segments.append(flushed) }
                builder = nil
                _ = cache.trimIfLarge()
            }
        }
        if let b = builder, !failed.load(ordering: .relaxed) {
            if b.isEmpty {
                b.discard()
            } else {
                let flushed = try b.flush()
                try CrashPoint.reached("segment-flushed")
                results.withLock { $0.segments.append(flushed) }
            }
            builder = nil
        }
    }
}

/// Bytes of a JSON Lines source: a memory-mapped file or a buffer read from standard input.
final class ByteBuffer: @unchecked Sendable {
    // @unchecked: immutable after init.
    private let mapped: MappedFile?
    private let owned: [UInt8]

    init(file: MappedFile) {
        mapped = file
        owned = []
    }

    init(bytes: [UInt8]) {
        mapped = nil
        owned = bytes
    }

    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        if let mapped { return try body(mapped.bytes) }
        return try owned.withUnsafeBytes { try body($0) }
    }

    var count: Int { mapped?.count ?? owned.count }
}

/// Segment file-name stem for a segment number: "s" and 6+ base-36 digits.
func segmentName(_ n: UInt64) -> String {
    let digits = String(n, radix: 36)
    return "s" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
}

func randomNonce() -> UInt64 {
    var g = SystemRandomNumberGenerator()
    return g.next() | 1
}
