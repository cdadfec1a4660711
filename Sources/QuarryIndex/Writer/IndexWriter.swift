import QuarryAnalysis
import QuarryCore
import QuarryDocument

#if canImport(Glibc)
import Glibc
#endif

/// Writes an index: one writer at a time per index directory (a lock file keeps others
/// out), any number of concurrent readers. Changes become visible to readers at `commit()`,
/// atomically. The writer takes documents (`add`) and deletes them by id or by origin; it
/// knows nothing of files on the user's disk (the collection layer walks and reads them).
/// Not thread-safe itself (it uses threads inside).
package final class IndexWriter {
    package let directory: String
    package let settings: IndexSettings
    package let options: WriterOptions
    private let lock: WriterLock
    /// The commit this writer builds on: the one it opened (nil for a new index, or when
    /// rebuilding), then each one it publishes.
    var base: Manifest?
    var baseReaders: [SegmentReader]? = nil
    var newSegments: [FlushedSegment] = []
    /// Documents to delete, per segment name.
    var pendingDeletes: [String: Set<Int>] = [:]
    var nextSegmentNumber: UInt64
    var runCount = 0
    var runOfSegment: [String: Int] = [:]
    var newReaders: [String: SegmentReader] = [:]
    /// The payload of the next commit, when one was given (`setPayload`).
    var pendingPayload: [UInt8]? = nil
    var dirty = false
    /// The pid whose stale lock this writer took over, if any.
    package var tookOverStaleLockFrom: Int32? { lock.tookOverFrom }

    /// Opens (or creates) the index in `directory`. `settings` apply to a new index or a
    /// rebuild; for an existing index they must match (nil accepts the index's own).
    package init(directory: String, settings requested: IndexSettings? = nil, options: WriterOptions = WriterOptions()) throws {
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
            // A rebuild also replaces an index of an older format (keeping its settings).
            existing = try Manifest.read(directory: directory, olderFormat: options.rebuild)
        }
        if let existing, !options.rebuild {
            if let requested, requested != existing.settings {
                throw IndexError.settingsMismatch(
                    "the index at \(directory) was built with other settings (\(describe(existing.settings))); "
                        + "rebuild it to use \(describe(requested))")
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
        if options.rebuild { dirty = true }
        removeUnreferencedFiles(keeping: existing?.files ?? [])
    }

    /// Releases the lock. Uncommitted work is discarded (its files are removed).
    package func close() {
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

    // MARK: Adding documents

    /// Adds the documents of a feed, in parallel: each is added, or replaces the document
    /// with its id (the last of several with one id wins). Call `commit()` after.
    package func add(_ feed: some DocumentFeed, progress: ((IndexingProgress) -> Void)? = nil) throws -> IndexingReport {
        var report = IndexingReport()
        guard feed.itemCount > 0 else { return report }
        let threads = min(options.threads, feed.itemCount)
        let job = IngestJob(
            feed: feed, directory: directory, settings: settings,
            ramBudgetPerThread: options.ramBudgetBytes / max(1, threads),
            storeLevel: options.storeCompressionLevel, firstSegment: nextSegmentNumber,
            nonceSeed: options.deterministicSeed, maxDocumentBytes: options.maxDocumentBytes)
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
        report.issues += r.issues.sorted { $0.sequence < $1.sequence }.map(\.issue)
        nextSegmentNumber = r.nextSegment
        let segments = r.segments.sorted { $0.name < $1.name }
        report.segmentsWritten = segments.count
        report.bytesWritten = segments.reduce(0) { $0 + $1.bytes }
        try apply(segments, report: &report)
        return report
    }

    /// Adds documents given in memory (each one's origin is its path). Call `commit()` after.
    package func add(_ articles: [Article], progress: ((IndexingProgress) -> Void)? = nil) throws -> IndexingReport {
        try add(ArticleFeed(articles), progress: progress)
    }

    // MARK: Deleting

    /// Deletes documents by external id; returns the ids that were not found.
    package func delete(ids: [String]) throws -> [String] {
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

    /// Deletes every document that came from one of `origins` and was added before the
    /// current run: committed documents, and those of earlier `add` calls of this writer
    /// (not those of the latest `add`, which replace them). Documents already being deleted
    /// are not counted again.
    package func delete(origins: Set<String>, report: inout IndexingReport) throws {
        guard !origins.isEmpty else { return }
        var targets: [(name: String, reader: SegmentReader)] = try readers().map { ($0.entry.name, $0) }
        for seg in newSegments where (runOfSegment[seg.name] ?? 0) < runCount {
            targets.append((seg.name, try newReader(seg)))
        }
        for (name, reader) in targets {
            let table = try reader.origins()
            let hit = Set(table.origins.enumerated().filter { origins.contains($0.element) }.map { UInt32($0.offset) })
            if hit.isEmpty { continue }
            for d in 0..<reader.documentCount where hit.contains(table.docOrigin[d]) && !reader.isDeleted(d) {
                if pendingDeletes[name, default: []].insert(d).inserted { report.deleted += 1 }
            }
        }
        dirty = true
    }

    // MARK: Payload

    /// The payload of the commit this writer builds on (see `commit(payload:)`), nil when it
    /// has none.
    package func committedPayload() throws -> [UInt8]? {
        guard let b = base, !b.payloadFile.isEmpty else { return nil }
        return try readPayload(directory: directory, file: b.payloadFile)
    }

    /// Gives the next commit a payload: bytes the index keeps with the commit for its
    /// caller, unread (the collection layer keeps its table of sources there). Without one,
    /// a commit keeps the payload of the commit it builds on.
    package func setPayload(_ bytes: [UInt8]) {
        pendingPayload = bytes
        dirty = true
    }
}
