import QuarryCollection
import QuarryDocument
import QuarryIndex
import QuarryIngest
import Synchronization

/// How `IndexWriter.sync` treats the files it walks.
public struct SyncOptions: Sendable, Equatable {
    /// Input format: by file extension (`auto`), or one format for every file.
    public var format: SourceFormat
    /// Delete the documents of source files that have disappeared from a walked directory.
    public var deleteMissing: Bool

    public init(format: SourceFormat = .auto, deleteMissing: Bool = true) {
        self.format = format
        self.deleteMissing = deleteMissing
    }
}

/// A published commit.
public struct CommitInfo: Sendable, Equatable {
    /// Commit generation (+1 per commit).
    public var generation: Int
    /// Live documents.
    public var documents: Int
    public var segments: Int
}

/// Writes an index: syncs it with files and directories, adds and deletes documents, and
/// publishes the changes atomically with `commit()`. One writer per index at a time (a lock
/// file keeps other processes out: `QuarryError.locked`); searches go on meanwhile and see
/// the old commit or the new one, never a mix.
///
///     let writer = try IndexWriter(directory: "Index")
///     let report = try writer.sync(["Corpus"])
///     try writer.commit()
///     writer.close()
///
/// Thread-safe: calls from several threads are served one at a time.
public final class IndexWriter: @unchecked Sendable {
    // @unchecked: `sync` is read and written only with `lock` held.
    private let lock = Mutex<Void>(())
    private var sync: CollectionSync?
    /// The index directory.
    public let directory: String
    /// The settings the index is built with.
    public let settings: IndexSettings
    /// The process whose stale lock this writer took over (it was killed while writing).
    public let tookOverStaleLockFrom: Int32?

    /// Opens the index in `directory` for writing, creating it when there is none.
    /// `settings` apply to a new index or a rebuild (`options.rebuild`); for an existing
    /// index they must match (nil accepts the index's own).
    public init(directory: String, settings: IndexSettings? = nil, options: WriterOptions = WriterOptions()) throws(QuarryError) {
        let sync = try mapped { try CollectionSync(writer: try QuarryIndex.IndexWriter(directory: directory, settings: settings, options: options)) }
        self.directory = directory
        self.settings = sync.writer.settings
        tookOverStaleLockFrom = sync.writer.tookOverStaleLockFrom
        self.sync = sync
    }

    private func withSync<R>(_ body: (CollectionSync) throws -> R) throws(QuarryError) -> R {
        try mapped {
            try lock.withLock { _ in
                guard let sync else { throw QuarryError.invalidArgument("the writer of \(directory) is closed") }
                return try body(sync)
            }
        }
    }

    /// Brings the index in step with files and directories: new files are added, changed
    /// ones replaced, unchanged ones skipped without being parsed, and (by default) files
    /// gone from a walked directory deleted. Problems with single files are in the report;
    /// the rest goes on. Call `commit()` to publish.
    public func sync(_ paths: [String], options: SyncOptions = SyncOptions(),
                     progress: ((IndexingProgress) -> Void)? = nil) throws(QuarryError) -> SyncReport {
        try withSync { try $0.sync(paths: paths, format: options.format, deleteMissing: options.deleteMissing, progress: progress) }
    }

    /// Adds documents (each replaces the document with its id, if any). Their passages are
    /// cut with the index's settings. Call `commit()` to publish.
    public func add(_ documents: [Article], progress: ((IndexingProgress) -> Void)? = nil) throws(QuarryError) -> SyncReport {
        try withSync { sync in
            var report = SyncReport()
            report.take(try sync.writer.add(documents, progress: progress))
            return report
        }
    }

    /// Adds BEIR-style JSON lines (`{"_id", "title", "text"}` per line), each replacing the
    /// document with its id. A broken line is reported and skipped. Call `commit()` after.
    public func add(jsonLines: [UInt8], displayPath: String = "<stdin>",
                    progress: ((IndexingProgress) -> Void)? = nil) throws(QuarryError) -> SyncReport {
        try withSync { try $0.add(jsonLines: jsonLines, displayPath: displayPath, progress: progress) }
    }

    /// Deletes documents by id; returns the ids that were not found. Call `commit()` after.
    public func delete(ids: [String]) throws(QuarryError) -> [String] {
        try withSync { try $0.writer.delete(ids: ids) }
    }

    /// Publishes everything done so far as one commit, atomically (a crash at any point
    /// leaves the previous commit). Segments are merged afterwards when the merge policy
    /// says so (each merge is a commit of its own).
    @discardableResult
    public func commit() throws(QuarryError) -> CommitInfo {
        try withSync { CommitInfo(try $0.commit()) }
    }

    /// Merges segments down to at most `maxSegments`, purging deleted documents, and
    /// publishes the result. Commit first.
    @discardableResult
    public func merge(maxSegments: Int = 1) throws(QuarryError) -> CommitInfo {
        guard maxSegments >= 1 else { throw QuarryError.invalidArgument("maxSegments must be at least 1, not \(maxSegments)") }
        return try withSync { CommitInfo(try $0.writer.forceMerge(maxSegments: maxSegments)) }
    }

    /// The last published commit (nil before the first commit of a new index).
    public var committed: CommitInfo? {
        lock.withLock { _ in sync?.writer.committedManifest.map(CommitInfo.init) }
    }

    /// Releases the lock. Uncommitted changes are discarded.
    public func close() {
        lock.withLock { _ in
            sync?.writer.close()
            sync = nil
        }
    }

    deinit {
        sync?.writer.close()
    }
}

extension CommitInfo {
    init(_ m: Manifest) {
        generation = Int(m.generation)
        documents = m.liveDocuments
        segments = m.segments.count
    }
}
