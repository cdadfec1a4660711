#if canImport(Glibc)
import Glibc
#endif
import QuarryAnalysis
import QuarryCore
import QuarryIngest

/// Options of an indexing run.
public struct WriterOptions: Sendable {
    /// Worker threads for parsing, analysis and inversion (default: all cores).
    public var threads: Int
    /// Memory for in-memory segments, shared by the threads; a thread's segment is written
    /// out when it reaches its share.
    public var ramBudgetBytes: Int
    /// Zstandard level of stored text blocks.
    public var storeCompressionLevel: Int32
    /// Delete the documents of source files that have disappeared from a walked directory.
    public var deleteMissing: Bool
    /// Start from an empty index (also allows new settings); the old commit stays readable
    /// until the new one is published.
    public var rebuild: Bool
    /// When segments are merged after a commit.
    public var mergePolicy: MergePolicy
    /// Merge after each commit (`false` leaves merging to `forceMerge`).
    public var mergeAutomatically: Bool

    /// 96 MB: on the Debian-docs paragraphs (784k documents, 2 threads) it keeps a fresh
    /// build's segments few and large enough to need no merge (15.5 s, peak RSS 133 MB;
    /// 80 MB or less adds a merge of most of the index: 22 s), and 128 MB would save about
    /// a second for 25 MB more.
    public static let defaultRAMBudgetBytes = 96 << 20

    /// Tests only: derive segment nonces from this seed and use it as the commit time, so
    /// that the same input gives byte-identical files (golden-file tests).
    var deterministicSeed: UInt64? = nil

    public init(threads: Int = WriterOptions.availableCores, ramBudgetBytes: Int = WriterOptions.defaultRAMBudgetBytes,
                storeCompressionLevel: Int32 = 3, deleteMissing: Bool = true, rebuild: Bool = false,
                mergePolicy: MergePolicy = .default, mergeAutomatically: Bool = true)
    {
        self.mergePolicy = mergePolicy
        self.mergeAutomatically = mergeAutomatically
        self.threads = max(1, threads)
        self.ramBudgetBytes = max(8 << 20, ramBudgetBytes)
        self.storeCompressionLevel = storeCompressionLevel
        self.deleteMissing = deleteMissing
        self.rebuild = rebuild
    }

    /// Cores available to this process.
    public static var availableCores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}

/// What an indexing run did.
public struct IndexingReport: Sendable {
    /// Documents with an id the index did not have.
    public var added = 0
    /// Documents that replaced one with the same id.
    public var updated = 0
    /// Documents removed without replacement (their source disappeared, or left a changed
    /// JSON Lines file, or `delete` named them).
    public var deleted = 0
    /// Sources found unchanged (same size and time, or same content) and not parsed.
    public var unchanged = 0
    /// Sources that could not be read or parsed (their previous documents are kept).
    public var failed = 0
    /// Problems found, in input order; errors mean something was skipped.
    public var issues: [IngestIssue] = []
    public var segmentsWritten = 0
    public var bytesWritten = 0
    /// Files (and JSON Lines files) looked at.
    public var sourcesSeen = 0

    public init() {}

    public var skipped: Int { issues.filter { $0.severity == .error }.count }
}

/// Writes an index: one writer at a time per index directory (a lock file keeps others
/// out), any number of concurrent readers. Changes become visible to readers at `commit()`,
/// atomically. Not thread-safe itself (it uses threads inside).
public final class IndexWriter {
    public let directory: String
    public let settings: IndexSettings
    public let options: WriterOptions
    private let lock: WriterLock
    /// The commit this writer builds on: the one it opened (nil for a new index, or when
    /// rebuilding), then each one it publishes.
    private var base: Manifest?
    private var baseReaders: [SegmentReader]? = nil
    private var sourceRecords: [String: SourceRecord]
    private var newSegments: [FlushedSegment] = []
    /// Documents to delete, per segment name.
    private var pendingDeletes: [String: Set<Int>] = [:]
    var nextSegmentNumber: UInt64
    private var runCount = 0
    private var runOfSegment: [String: Int] = [:]
    private var newReaders: [String: SegmentReader] = [:]
    private var dirty = false
    /// The pid whose stale lock this writer took over, if any.
    public var tookOverStaleLockFrom: Int32? { lock.tookOverFrom }

    /// Opens (or creates) the index in `directory`. `settings` apply to a new index or a
    /// rebuild; for an existing index they must match (nil accepts the index's own).
    public init(directory: String, settings requested: IndexSettings? = nil, options: WriterOptions = WriterOptions()) throws {
        self.directory = directory
        self.options = options
        do {
            try FileSystem.makeDirectories(directory)
        } catch let e as SystemError {
            throw IndexError.system(e)
        }
        lock = try WriterLock(directory: directory)
        var existing: Manifest? = nil
        if FileSystem.exists(directory + "/" + Manifest.fileName) {
            existing = try Manifest.read(directory: directory)
        }
        if let existing, !options.rebuild {
            if let requested, requested != existing.settings {
                throw IndexError.settingsMismatch(
                    "the index at \(directory) was built with other settings (\(describe(existing.settings))); "
                        + "use --rebuild to rebuild it with \(describe(requested))")
            }
            settings = existing.settings
            base = existing
        } else {
            settings = requested ?? existing?.settings ?? .default
            base = nil
        }
        try settings.analyzer.validate()
        try settings.passages.validate()
        nextSegmentNumber = existing?.nextSegmentNumber ?? 1
        sourceRecords = [:]
        if let b = base, !b.sourcesFile.isEmpty {
            let path = directory + "/" + b.sourcesFile
            let bytes = try FileSystem.read(path)
            do {
                sourceRecords = try bytes.withUnsafeBytes { try SourcesTable.decode($0, name: path) }
            } catch let e as FormatError {
                throw IndexError.corrupt(e)
            }
        }
        if options.rebuild { dirty = true }
        removeUnreferencedFiles(keeping: existing?.files ?? [])
    }

    /// Releases the lock. Uncommitted work is discarded (its files are removed).
    public func close() {
        for s in newSegments {
            for kind in SegmentFiles.kinds { try? FileSystem.remove(directory + "/" + s.name + "." + kind.fileExtension) }
        }
        newSegments.removeAll()
        lock.release()
    }

    deinit { lock.release() }

    func readers() throws -> [SegmentReader] {
        if let r = baseReaders { return r }
        let r = try (base?.segments ?? []).map { try SegmentReader(directory: directory, entry: $0, verify: false) }
        baseReaders = r
        return r
    }

    // MARK: Indexing sources

    /// Indexes files and directories incrementally: new sources are added, changed ones
    /// replaced, unchanged ones skipped without parsing, and (with `deleteMissing`)
    /// sources that disappeared from a walked directory deleted. Call `commit()` after.
    public func index(paths: [String], format: SourceFormat, progress: ((IndexingProgress) -> Void)? = nil) throws -> IndexingReport {
        var report = IndexingReport()
        let walk = SourceWalker(format: format).walk(paths)
        report.issues.append(contentsOf: walk.issues)
        report.sourcesSeen = walk.sources.count
        var inputs: [IngestJob.Input] = []
        var items: [WorkItem] = []
        var buffers: [Int: ByteBuffer] = [:]
        var lineFileHashes: [Int: UInt64] = [:]
        var seen = Set<String>()
        var sourcesOfInput: [Source] = []
        for source in walk.sources {
            if seen.contains(source.absolutePath) { continue }
            seen.insert(source.absolutePath)
            let old = sourceRecords[source.absolutePath]
            if let old, old.size == source.size, old.mtimeNanos == source.mtimeNanos, old.format == source.format {
                report.unchanged += 1
                continue
            }
            let index = inputs.count
            if source.format == .beir {
                let buffer: ByteBuffer
                let hash: UInt64
                let chunks: [Range<Int>]
                do {
                    buffer = try ByteBuffer(path: source.absolutePath)
                    (hash, chunks) = try ByteBuffer.scan(path: source.absolutePath, chunkBytes: 1 << 20)
                } catch let e as SystemError {
                    report.issues.append(IngestIssue(path: source.path, message: "cannot \(e.operation): \(e.reason); skipped"))
                    report.failed += 1
                    continue
                }
                if let old, old.contentHash == hash, old.format == .beir {
                    sourceRecords[source.absolutePath]?.size = source.size
                    sourceRecords[source.absolutePath]?.mtimeNanos = source.mtimeNanos
                    report.unchanged += 1
                    dirty = true
                    continue
                }
                lineFileHashes[index] = hash
                buffers[index] = buffer
                for (c, range) in chunks.enumerated() {
                    items.append(.lines(source: index, range: range, chunk: c))
                }
            } else {
                items.append(.file(source: index))
            }
            inputs.append(IngestJob.Input(path: source.absolutePath, displayPath: source.path, id: source.relativeID,
                                          format: source.format, size: Int(source.size), previousHash: old?.contentHash))
            sourcesOfInput.append(source)
        }
        // Sources that disappeared from walked directories.
        var vanished: [String] = []
        if options.deleteMissing {
            for root in walk.roots {
                let prefix = root.hasSuffix("/") ? root : root + "/"
                for path in sourceRecords.keys where path.hasPrefix(prefix) && !seen.contains(path) {
                    vanished.append(path)
                }
            }
        }

        let results = try run(inputs: inputs, items: items, buffers: buffers, progress: progress)
        report.issues.append(contentsOf: results.issues)
        report.segmentsWritten += results.segments.count
        report.bytesWritten += results.segments.reduce(0) { $0 + $1.bytes }

        // Sources whose old documents are replaced, and the new source records.
        var replacedSources = Set<String>(vanished)
        for (index, input) in inputs.enumerated() {
            let outcome = results.outcomes[index] ?? SourceOutcome()
            let source = sourcesOfInput[index]
            if outcome.unchanged {
                sourceRecords[input.path]?.size = source.size
                sourceRecords[input.path]?.mtimeNanos = source.mtimeNanos
                report.unchanged += 1
                dirty = true
                continue
            }
            if outcome.failed {
                report.failed += 1
                continue
            }
            let hash = lineFileHashes[index] ?? outcome.contentHash ?? 0
            if sourceRecords[input.path] != nil { replacedSources.insert(input.path) }
            sourceRecords[input.path] = SourceRecord(
                path: input.path, size: source.size, mtimeNanos: source.mtimeNanos, contentHash: hash,
                format: input.format, documentID: input.format == .beir ? "" : input.id)
            dirty = true
        }
        for path in vanished { sourceRecords[path] = nil }
        if !vanished.isEmpty { dirty = true }
        try apply(results.segments, replacingSources: replacedSources, report: &report)
        return report
    }

    /// Indexes BEIR-style JSON lines (from standard input, say): each document is added,
    /// or replaces the document with its id. Call `commit()` after.
    public func index(jsonLines bytes: [UInt8], displayPath: String = "<stdin>", progress: ((IndexingProgress) -> Void)? = nil) throws -> IndexingReport {
        var report = IndexingReport()
        let buffer = ByteBuffer(bytes: bytes)
        let items = bytes.withUnsafeBytes { b in
            lineChunks(b, chunkBytes: 1 << 20).enumerated().map { WorkItem.lines(source: 0, range: $0.element, chunk: $0.offset) }
        }
        let input = IngestJob.Input(path: "-", displayPath: displayPath, id: "", format: .beir, size: bytes.count, previousHash: nil)
        let results = try run(inputs: [input], items: items, buffers: [0: buffer], progress: progress)
        report.issues.append(contentsOf: results.issues)
        report.segmentsWritten += results.segments.count
        report.bytesWritten += results.segments.reduce(0) { $0 + $1.bytes }
        try apply(results.segments, replacingSources: [], report: &report)
        return report
    }

    /// Adds documents given in memory: each is added, or replaces the document with its id.
    /// Their passages are cut with the index's settings. Call `commit()` after.
    public func add(_ articles: [Article], progress: ((IndexingProgress) -> Void)? = nil) throws -> IndexingReport {
        var report = IndexingReport()
        let chunk = 256
        let items = stride(from: 0, to: articles.count, by: chunk).map { WorkItem.articles($0..<min(articles.count, $0 + chunk)) }
        let results = try run(inputs: [], items: items, articles: articles, buffers: [:], progress: progress)
        report.segmentsWritten += results.segments.count
        report.bytesWritten += results.segments.reduce(0) { $0 + $1.bytes }
        try apply(results.segments, replacingSources: [], report: &report)
        return report
    }

    private struct RunResults {
        var segments: [FlushedSegment]
        var outcomes: [Int: SourceOutcome]
        var issues: [IngestIssue]
    }

    private func run(inputs: [IngestJob.Input], items: [WorkItem], articles: [Article] = [], buffers: [Int: ByteBuffer],
                     progress: ((IndexingProgress) -> Void)?) throws -> RunResults
    {
        guard !items.isEmpty else { return RunResults(segments: [], outcomes: [:], issues: []) }
        let threads = min(options.threads, items.count)
        let job = IngestJob(inputs: inputs, items: items, articles: articles, buffers: buffers, directory: directory, settings: settings,
                            ramBudgetPerThread: options.ramBudgetBytes / max(1, threads),
                            storeLevel: options.storeCompressionLevel, firstSegment: nextSegmentNumber,
                            nonceSeed: options.deterministicSeed)
        do {
            try job.run(threads: threads) { progress?($0) }
        } catch {
            let written = job.results.withLock { $0.segments }
            for s in written {
                for kind in SegmentFiles.kinds { try? FileSystem.remove(directory + "/" + s.name + "." + kind.fileExtension) }
            }
            throw indexError(error)
        }
        let r = job.results.withLock { $0 }
        nextSegmentNumber = r.nextSegment
        // Issues in input order (items are claimed in parallel).
        let issues = r.issues.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map { $0.element.1 }
        let segments = r.segments.sorted { $0.name < $1.name }
        return RunResults(segments: segments, outcomes: r.outcomes, issues: issues)
    }

    /// Takes freshly written segments into the pending commit: the last document of each id
    /// wins, documents they replace and documents of replaced sources are deleted.
    private func apply(_ segments: [FlushedSegment], replacingSources: Set<String>, report: inout IndexingReport) throws {
        runCount += 1
        for seg in segments { runOfSegment[seg.name] = runCount }
        newSegments.append(contentsOf: segments)
        let old = try readers()
        // Old documents of replaced sources.
        if !replacingSources.isEmpty {
            for reader in old {
                let meta = try reader.meta()
                let hit = Set(meta.sources.enumerated().filter { replacingSources.contains($0.element) }.map { UInt32($0.offset) })
                if hit.isEmpty { continue }
                for d in 0..<reader.documentCount where hit.contains(meta.docSource[d]) && !reader.isDeleted(d) {
                    if pendingDeletes[reader.entry.name, default: []].insert(d).inserted { report.deleted += 1 }
                }
            }
        }
        // A merge-join of every segment's sorted ids (memory: one id per segment): each id of
        // this run keeps its latest document (latest run, then latest in input order); the
        // others, and the old documents with the id, are deleted.
        var streams: [IDStream] = []
        for (i, seg) in newSegments.enumerated() {
            let reader = try newReader(seg)
            streams.append(IDStream(cursor: try reader.sortedIDs(), source: .new(i)))
        }
        for (i, reader) in old.enumerated() {
            streams.append(IDStream(cursor: try reader.sortedIDs(), source: .old(i)))
        }
        var heap = IDStreamHeap()
        for var s in streams where try s.cursor.next() { heap.push(s) }
        var group: [IDStream.Source.Entry] = []
        while let top = heap.peekKey {
            let key = top
            group.removeAll(keepingCapacity: true)
            while let k = heap.peekKey, k == key {
                var s = heap.pop()
                group.append(s.source.entry(s.cursor.doc))
                if try s.cursor.next() { heap.push(s) }
            }
            resolve(group, key: key, old: old, report: &report)
        }
        if !segments.isEmpty || !pendingDeletes.isEmpty { dirty = true }
    }

    /// Decides one id: among the uncommitted new documents the latest wins, and the old
    /// ones are deleted when a new one exists.
    private func resolve(_ group: [IDStream.Source.Entry], key: [UInt8], old: [SegmentReader], report: inout IndexingReport) {
        var winner: Winner? = nil
        var newCount = 0
        var thisRun = false
        for e in group {
            guard case .new(let si, let d) = e else { continue }
            let seg = newSegments[si]
            if pendingDeletes[seg.name]?.contains(d) == true { continue }
            let run = runOfSegment[seg.name] ?? 0
            if run == runCount { thisRun = true }
            let candidate = Winner(segment: si, doc: d, run: run, sequence: seg.sequence(of: d))
            newCount += 1
            if let w = winner {
                let (keep, lose) = candidate.isLater(than: w) ? (candidate, w) : (w, candidate)
                winner = keep
                pendingDeletes[newSegments[lose.segment].name, default: []].insert(lose.doc)
            } else {
                winner = candidate
            }
        }
        guard thisRun, winner != nil else { return }
        if newCount > 1 {
            report.issues.append(IngestIssue(
                path: String(decoding: key, as: UTF8.self), message: "duplicate document id: the later one replaces the earlier one",
                severity: .warning))
        }
        var replaced = false
        for e in group {
            guard case .old(let ri, let d) = e else { continue }
            let reader = old[ri]
            if reader.isDeleted(d) { continue }
            replaced = true
            if !pendingDeletes[reader.entry.name, default: []].insert(d).inserted {
                // Already deleted as part of a replaced source: an update, not a deletion.
                report.deleted -= 1
            }
        }
        if replaced { report.updated += 1 } else { report.added += 1 }
    }

    /// A reader of a just-written segment (cached).
    private func newReader(_ seg: FlushedSegment) throws -> SegmentReader {
        if let r = newReaders[seg.name] { return r }
        let r = try SegmentReader(
            directory: directory,
            entry: SegmentEntry(name: seg.name, nonce: seg.nonce, documents: seg.docCount, deleted: 0, deletionGeneration: 0),
            verify: false)
        newReaders[seg.name] = r
        return r
    }

    // MARK: Deleting

    /// Deletes documents by external id; returns the ids that were not found.
    public func delete(ids: [String]) throws -> [String] {
        var missing: [String] = []
        let old = try readers()
        for id in ids {
            var found = false
            for reader in old {
                for d in try reader.documents(withID: id) where !reader.isDeleted(d) {
                    pendingDeletes[reader.entry.name, default: []].insert(d)
                    found = true
                }
            }
            for seg in newSegments {
                for d in try newReader(seg).documents(withID: id) {
                    pendingDeletes[seg.name, default: []].insert(d)
                    found = true
                }
            }
            if found { dirty = true } else { missing.append(id) }
        }
        return missing
    }

    // MARK: Commit

    /// True when there is something to commit.
    public var hasChanges: Bool { dirty }

    /// The last published commit (nil for a new index before its first commit).
    public var committedManifest: Manifest? { base }

    var mergePolicy: MergePolicy { options.mergePolicy }

    /// Replaces each group of segments of the current commit by one merged segment and
    /// publishes the result.
    func merge(_ groups: [[String]]) throws -> Manifest {
        guard let current = base else { throw IndexError.notFound(path: directory) }
        do {
            let readers = try self.readers()
            var entries = current.segments
            for group in groups {
                let members = readers.filter { group.contains($0.entry.name) }
                guard members.count == group.count, members.contains(where: { $0.liveDocumentCount > 0 }) else { continue }
                let name = segmentName(nextSegmentNumber)
                nextSegmentNumber += 1
                let nonce = options.deterministicSeed.map { XXH64.hash(Array(name.utf8), seed: $0) | 1 } ?? randomNonce()
                let merger = SegmentMerger(directory: directory, storeLevel: options.storeCompressionLevel)
                let flushed = try merger.merge(members, into: name, nonce: nonce)
                let entry = SegmentEntry(name: name, nonce: nonce, documents: flushed.docCount, deleted: 0, deletionGeneration: 0)
                guard let at = entries.firstIndex(where: { group.contains($0.name) }) else { continue }
                entries.removeAll { group.contains($0.name) }
                entries.insert(entry, at: min(at, entries.count))
            }
            let manifest = Manifest(
                generation: current.generation + 1,
                commitTimeNanos: options.deterministicSeed.map { Int64($0 & 0xFFFF_FFFF) } ?? nowNanos(),
                settings: settings, nextSegmentNumber: nextSegmentNumber, segments: entries, sourcesFile: current.sourcesFile)
            try FileSystem.syncDirectory(directory)
            try CrashPoint.reached("merge-before-manifest")
            try manifest.write(directory: directory)
            removeUnreferencedFiles(keeping: manifest.files)
            return try reopen(after: manifest)
        } catch {
            throw indexError(error)
        }
    }

    /// Publishes everything done so far as a new commit, atomically: a crash at any point
    /// leaves the previous commit intact. Returns the new manifest.
    @discardableResult
    public func commit() throws -> Manifest {
        if !dirty, let base { return base }
        let generation = (base?.generation ?? 0) + 1
        let accountant = try DeletionAccountant(settings: settings)
        var entries: [SegmentEntry] = []
        do {
            // Old segments, with their deletions brought up to date.
            for reader in try readers() {
                var entry = reader.entry
                if let docs = pendingDeletes[entry.name], !docs.isEmpty {
                    var deletions = try reader.deletions?.load() ?? Deletions(docCount: reader.documentCount)
                    for d in docs.sorted() { try accountant.delete(d, of: reader, into: &deletions) }
                    if deletions.deletedCount != entry.deleted {
                        entry.deleted = deletions.deletedCount
                        entry.deletionGeneration = generation
                        _ = try DeletionAccountant.write(deletions, segment: entry, generation: generation, directory: directory)
                    }
                }
                if entry.deleted < entry.documents { entries.append(entry) }
            }
            // New segments.
            for s in newSegments {
                var entry = SegmentEntry(name: s.name, nonce: s.nonce, documents: s.docCount, deleted: 0, deletionGeneration: 0)
                if let docs = pendingDeletes[s.name], !docs.isEmpty {
                    let reader = try newReader(s)
                    var deletions = Deletions(docCount: s.docCount)
                    for d in docs.sorted() { try accountant.delete(d, of: reader, into: &deletions) }
                    entry.deleted = deletions.deletedCount
                    entry.deletionGeneration = generation
                    _ = try DeletionAccountant.write(deletions, segment: entry, generation: generation, directory: directory)
                }
                if entry.deleted < entry.documents { entries.append(entry) }
            }
            try CrashPoint.reached("commit-deletions-written")
            var sourcesFile = ""
            if !sourceRecords.isEmpty {
                sourcesFile = "sources_\(generation).\(IndexFileKind.sources.fileExtension)"
                let out = try OutputFile(path: directory + "/" + sourcesFile)
                try out.write(SourcesTable.encode(sourceRecords))
                try out.close(sync: true)
            }
            try CrashPoint.reached("commit-sources-written")
            let manifest = Manifest(
                generation: generation, commitTimeNanos: options.deterministicSeed.map { Int64($0 & 0xFFFF_FFFF) } ?? nowNanos(), settings: settings,
                nextSegmentNumber: nextSegmentNumber, segments: entries, sourcesFile: sourcesFile)
            try FileSystem.syncDirectory(directory)
            try manifest.write(directory: directory)
            // Published. Files of older commits are no longer needed by this writer (readers
            // that have them open keep their mappings).
            removeUnreferencedFiles(keeping: manifest.files)
            let published = try reopen(after: manifest)
            if options.mergeAutomatically, let merged = try mergeIfNeeded() { return merged }
            return published
        } catch {
            throw indexError(error)
        }
    }

    /// Continues from a just-published manifest (the writer can go on and commit again).
    func reopen(after manifest: Manifest) throws -> Manifest {
        newSegments.removeAll()
        newReaders.removeAll()
        pendingDeletes.removeAll()
        baseReaders = nil
        dirty = false
        base = manifest
        return manifest
    }

    /// Removes files of this index that `keeping` does not name: leftovers of killed
    /// writers and of older commits. Only names Quarry writes are touched.
    func removeUnreferencedFiles(keeping: Set<String>) {
        guard let names = try? FileSystem.list(directory) else { return }
        let pending = Set(newSegments.flatMap { s in SegmentFiles.kinds.map { s.name + "." + $0.fileExtension } })
        for name in names where !keeping.contains(name) && !pending.contains(name) && isQuarryFile(name) {
            try? FileSystem.remove(directory + "/" + name)
        }
    }

    private func isQuarryFile(_ name: String) -> Bool {
        if name == Manifest.fileName + ".tmp" { return true }
        if name.hasPrefix("sources_") && name.hasSuffix(".src") { return true }
        guard name.hasPrefix("s"), let dot = name.firstIndex(of: ".") else { return false }
        let ext = String(name[name.index(after: dot)...])
        return SegmentFiles.kinds.contains { $0.fileExtension == ext } || ext == IndexFileKind.deletions.fileExtension
            || ext.hasSuffix(".tmp")
    }
}

/// A document competing for its id.
private struct Winner {
    var segment: Int
    var doc: Int
    var run: Int
    var sequence: UInt64

    func isLater(than other: Winner) -> Bool {
        run != other.run ? run > other.run : sequence > other.sequence
    }
}

extension FlushedSegment {
    /// Input order of a document: its work item, then its place within the item.
    func sequence(of doc: Int) -> UInt64 {
        var lo = 0, hi = items.count - 1, found = 0
        while lo <= hi {
            let mid = (lo + hi) / 2
            if Int(items[mid].firstDoc) <= doc { found = mid; lo = mid + 1 } else { hi = mid - 1 }
        }
        guard found < items.count else { return UInt64(doc) }
        return UInt64(items[found].item) << 32 | UInt64(doc - Int(items[found].firstDoc))
    }
}

/// A segment's ids in sorted order, in a merge-join.
struct IDStream {
    enum Source {
        case new(Int)
        case old(Int)

        enum Entry {
            case new(Int, Int)
            case old(Int, Int)
        }

        func entry(_ doc: Int) -> Entry {
            switch self {
            case .new(let i): return .new(i, doc)
            case .old(let i): return .old(i, doc)
            }
        }
    }

    var cursor: IDCursor
    let source: Source
}

/// Min-heap of id streams by current id.
struct IDStreamHeap {
    private var items: [IDStream] = []

    var peekKey: [UInt8]? { items.first?.cursor.key }

    private func less(_ a: IDStream, _ b: IDStream) -> Bool { a.cursor.key.lexicographicallyPrecedes(b.cursor.key) }

    mutating func push(_ s: IDStream) {
        items.append(s)
        var c = items.count - 1
        while c > 0 {
            let p = (c - 1) / 2
            guard less(items[c], items[p]) else { break }
            items.swapAt(c, p)
            c = p
        }
    }

    mutating func pop() -> IDStream {
        let top = items[0]
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var p = 0
            while true {
                let l = 2 * p + 1, r = l + 1
                var m = p
                if l < items.count && less(items[l], items[m]) { m = l }
                if r < items.count && less(items[r], items[m]) { m = r }
                if m == p { break }
                items.swapAt(p, m)
                p = m
            }
        }
        return top
    }
}

func nowNanos() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
}

func describe(_ s: IndexSettings) -> String {
    let stop = s.analyzer.stopwords.isEmpty ? "no stopwords" : "\(s.analyzer.stopwords.count) stopwords"
    return "language \(s.analyzer.language), \(stop), folding \(s.analyzer.foldDiacritics ? "on" : "off"), passages of \(s.passages.targetWords) words"
}
