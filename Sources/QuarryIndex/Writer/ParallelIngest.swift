import CQuarrySystem
import Dispatch
import QuarryAnalysis
import QuarryCore
import QuarryDocument
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One parallel indexing run: worker threads claim the feed's items in increasing order,
/// produce their documents and invert them into per-thread segments, each written out when
/// it reaches the thread's share of the RAM budget.
final class IngestJob: @unchecked Sendable {
    // @unchecked: the `let` properties are immutable (the feed is Sendable); mutable state
    // is behind Mutex/Atomic.
    let feed: any DocumentFeed
    let directory: String
    let settings: IndexSettings
    let ramBudgetPerThread: Int
    let storeLevel: Int32
    let nonceSeed: UInt64?
    let maxDocumentBytes: Int
    /// A thread's segment is not written out below this size.
    static let minimumSegmentBytes = 1 << 20
    let nextItem = Atomic<Int>(0)
    let itemsDone = Atomic<Int>(0)
    let bytesDone = Atomic<Int>(0)
    let documents = Atomic<Int>(0)
    let failed = Atomic<Bool>(false)

    struct Results {
        var segments: [FlushedSegment] = []
        var fatal: (any Error)? = nil
        var nextSegment: UInt64
        /// Documents refused or cut (`DocumentLimits`), with their feed order.
        var issues: [(sequence: UInt64, issue: IngestIssue)] = []
    }
    let results: Mutex<Results>

    init(
        feed: any DocumentFeed, directory: String, settings: IndexSettings, ramBudgetPerThread: Int, storeLevel: Int32,
        firstSegment: UInt64, nonceSeed: UInt64? = nil, maxDocumentBytes: Int = DocumentLimits.maxBodyBytes
    ) {
        self.maxDocumentBytes = maxDocumentBytes
        self.feed = feed
        self.nonceSeed = nonceSeed
        self.directory = directory
        self.settings = settings
        self.ramBudgetPerThread = ramBudgetPerThread
        self.storeLevel = storeLevel
        results = Mutex(Results(nextSegment: firstSegment))
    }

    var progress: IndexingProgress {
        IndexingProgress(
            itemsDone: itemsDone.load(ordering: .relaxed), itemsTotal: feed.itemCount,
            bytesDone: bytesDone.load(ordering: .relaxed), bytesTotal: feed.totalBytes,
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
        // Large buffers (segment pools, flush scratch) come straight from mmap and go back
        // to the system when freed: glibc's default raises this threshold after large
        // frees, after which freed buffers stay in the process and peak memory exceeds the
        // RAM budget.
        IngestJob.limitMallocThreshold
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

    /// The article as it is indexed (its body cut to the limit), or nil when it is refused;
    /// either is recorded as an issue.
    private func accepted(_ article: Article, sequence: UInt64) -> Article? {
        if let problem = DocumentLimits.idProblem(article.id) {
            let shown = article.id.utf8.count > 200 ? String(article.id.prefix(200)) + "…" : article.id
            results.withLock {
                $0.issues.append((sequence, IngestIssue(path: article.path, message: "document '\(shown)' not indexed: \(problem)")))
            }
            return nil
        }
        let length = article.body.utf8.count
        if let cut = DocumentLimits.truncated(article, maxBytes: maxDocumentBytes) {
            results.withLock {
                $0.issues.append(
                    (
                        sequence,
                        IngestIssue(
                            path: article.path,
                            message:
                                "document '\(article.id)': its text (\(length) bytes) was cut to the first \(cut.body.utf8.count) bytes (the limit is \(maxDocumentBytes) bytes per document)",
                            severity: .warning)
                    ))
            }
            return cut
        }
        if length + 4 >= TextBuilder.maxBytes {
            results.withLock {
                $0.issues.append(
                    (
                        sequence,
                        IngestIssue(
                            path: article.path,
                            message:
                                "document '\(article.id)': its text was cut at \(length) bytes (the limit is \(TextBuilder.maxBytes) bytes per document)",
                            severity: .warning)
                    ))
            }
        }
        return article
    }

    private static let limitMallocThreshold: Void = { _ = mallopt(M_MMAP_THRESHOLD, 512 * 1024) }()

    /// One worker: claims items until none are left.
    private func work() throws {
        let analyzer = try Analyzer(settings: settings.analyzer)
        // Starts small and grows: clearing 64k slots per thread was a visible part of a run
        // that reindexes a few files.
        let cache = TermCache(analyzer: analyzer, initialCapacity: 1 << 12)
        var builder: SegmentBuilder? = nil
        defer { if let b = builder, failed.load(ordering: .relaxed) { b.discard() } }

        while !failed.load(ordering: .relaxed) {
            let i = nextItem.add(1, ordering: .relaxed).oldValue
            if i >= feed.itemCount { break }
            var index: UInt64 = 0
            let bytes = try feed.produce(item: i) { original, origin in
                let sequence = UInt64(i) << 32 | index
                guard let article = accepted(original, sequence: sequence) else { return }
                if builder == nil {
                    let name = newSegmentName()
                    let nonce = nonceSeed.map { XXH64.hash(Array(name.utf8), seed: $0) | 1 } ?? randomNonce()
                    builder = SegmentBuilder(
                        directory: directory, name: name, nonce: nonce,
                        passages: settings.passages, storeLevel: storeLevel)
                }
                try builder?.add(article, origin: origin, sequence: sequence, cache: cache)
                index += 1
                documents.add(1, ordering: .relaxed)
            }
            bytesDone.add(bytes, ordering: .relaxed)
            itemsDone.add(1, ordering: .relaxed)
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

/// Segment file-name stem for a segment number: "s" and 6+ base-36 digits.
func segmentName(_ n: UInt64) -> String {
    let digits = String(n, radix: 36)
    return "s" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
}

func randomNonce() -> UInt64 {
    var g = SystemRandomNumberGenerator()
    return g.next() | 1
}
