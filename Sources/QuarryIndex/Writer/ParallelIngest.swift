#if canImport(Glibc)
import Glibc
#endif
import CSystem
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
    /// A thread's segment is not written out below this size.
    static let minimumSegmentBytes = 1 << 20
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
                builder = SegmentBuilder(directory: directory, name: name, nonce: nonce,
                                         passages: settings.passages, storeLevel: storeLevel)
            }
            try builder?.add(doc.article, source: source >= 0 ? inputs[source].path : doc.article.path,
                             contentHash: doc.contentHash, sequence: sequence, cache: cache)
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
                let issues = try buffer.withBytes(range) { bytes in
                    try parser.parseLines(bytes, range: 0..<bytes.count, displayPath: input.displayPath, baseOffset: range.lowerBound,
                                          firstLine: { buffer.newlines(before: range.lowerBound) + 1 }) { doc in
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
            // The budget covers the segment being built and the word cache; a segment is not
            // written before it holds a minimum, however small the budget.
            if let b = builder, b.memoryBytes + cache.memoryBytes >= ramBudgetPerThread, b.memoryBytes >= IngestJob.minimumSegmentBytes {
                let flushed = try b.flush(cache: cache)
                try CrashPoint.reached("segment-flushed")
                results.withLock { $0.segments.append(flushed) }
                builder = nil
                if cache.memoryBytes > ramBudgetPerThread { cache.clear() }
                _ = malloc_trim(0)  // give the segment's memory back to the system
            }
        }
        if let b = builder, !failed.load(ordering: .relaxed) {
            if b.isEmpty {
                b.discard()
            } else {
                let flushed = try b.flush(cache: cache)
                try CrashPoint.reached("segment-flushed")
                results.withLock { $0.segments.append(flushed) }
            }
            builder = nil
        }
    }
}

/// Bytes of a JSON Lines source: a file read chunk by chunk (so that its pages do not add
/// to the process's resident memory), or a buffer read from standard input.
final class ByteBuffer: @unchecked Sendable {
    // @unchecked: immutable after init; pread on a shared descriptor is thread-safe.
    private let fd: Int32
    private let path: String
    private let owned: [UInt8]

    /// Opens a file.
    init(path: String) throws {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw SystemError(path: path, operation: "open", errno: errno) }
        self.path = path
        owned = []
    }

    init(bytes: [UInt8]) {
        fd = -1
        path = "<stdin>"
        owned = bytes
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Calls `body` with the bytes of `range`.
    func withBytes<R>(_ range: Range<Int>, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        if fd < 0 { return try owned.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[range])) } }
        var chunk = [UInt8](repeating: 0, count: range.count)
        var done = 0
        while done < range.count {
            let n = chunk.withUnsafeMutableBytes { b -> Int in
                guard let base = b.baseAddress else { return 0 }
                return pread(fd, base + done, range.count - done, off_t(range.lowerBound + done))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemError(path: path, operation: "read", errno: errno)
            }
            if n == 0 { throw SystemError(path: path, operation: "read (the file shrank while being indexed)", errno: EIO) }
            done += n
        }
        return try chunk.withUnsafeBytes { try body($0) }
    }

    /// One sequential pass over a file: its XXH64, and chunks of whole lines of about
    /// `chunkBytes` each.
    static func scan(path: String, chunkBytes: Int) throws -> (hash: UInt64, chunks: [Range<Int>]) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw SystemError(path: path, operation: "open", errno: errno) }
        defer { close(fd) }
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)
        var hasher = XXH64()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var chunks: [Range<Int>] = []
        var offset = 0, chunkStart = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemError(path: path, operation: "read", errno: errno)
            }
            if n == 0 { break }
            buffer.withUnsafeBytes { b in
                let data = UnsafeRawBufferPointer(rebasing: b[0..<n])
                hasher.update(data)
                guard let base = data.baseAddress else { return }
                // A chunk ends at the first newline at or after its target size.
                var at = max(0, chunkStart + chunkBytes - 1 - offset)
                while at < n {
                    guard let nl = memchr(base + at, 0x0A, n - at) else { break }
                    let end = offset + base.distance(to: UnsafeRawPointer(nl)) + 1
                    chunks.append(chunkStart..<end)
                    chunkStart = end
                    at = max(end - offset, chunkStart + chunkBytes - 1 - offset)
                }
            }
            offset += n
        }
        if chunkStart < offset { chunks.append(chunkStart..<offset) }
        return (hasher.finalize(), chunks)
    }

    /// Newlines before `offset` (for line numbers in error messages).
    func newlines(before offset: Int) -> Int {
        var count = 0
        var at = 0
        while at < offset {
            let end = min(offset, at + (1 << 20))
            count += (try? withBytes(at..<end) { countNewlines($0, upTo: $0.count) }) ?? 0
            at = end
        }
        return count
    }
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
