import QuarryCollection
import QuarryDocument
import QuarryIndex
import QuarryIngest
import Synchronization

/// How `IndexWriter.sync` treats the files it walks (docs/INDEXING.md). The options left
/// nil take the value recorded in the index (the default for a new index); those given are
/// recorded, so that the next sync honours them.
public struct SyncOptions: Sendable, Equatable {
    /// Input format: by file extension (`auto`), or one format for every file.
    public var format: SourceFormat
    /// Delete the documents of source files that have disappeared from a walked directory
    /// (or are now excluded).
    public var deleteMissing: Bool
    /// Keep page chrome (navigation, banners, footers) in bodies. A change re-extracts the
    /// HTML and Markdown files.
    public var keepChrome: Bool?
    /// Index generated pages (term and module indexes, search pages, source listings) too.
    public var indexGenerated: Bool?
    /// gitignore-style patterns: when not empty, a file found in a directory is indexed only
    /// if one matches it. Replaces the recorded list.
    public var include: [String]?
    /// gitignore-style patterns of files and directories to leave out, after each
    /// directory's `.quarryignore` (`!` takes a path back). Replaces the recorded list.
    public var exclude: [String]?
    /// Bring back the documents deleted with `delete` whose files this sync walks.
    public var restoreDeleted: Bool
    /// The largest one-document file, and the longest JSON line, read (bytes); larger ones
    /// are reported and skipped. JSON Lines files are read in chunks and have no limit.
    public var maxFileBytes: Int

    /// The default `maxFileBytes`: 128 MB.
    public static let defaultMaxFileBytes = 128 << 20

    public init(
        format: SourceFormat = .auto, deleteMissing: Bool = true, keepChrome: Bool? = nil, indexGenerated: Bool? = nil,
        include: [String]? = nil, exclude: [String]? = nil, restoreDeleted: Bool = false,
        maxFileBytes: Int = SyncOptions.defaultMaxFileBytes
    ) {
        self.format = format
        self.deleteMissing = deleteMissing
        self.keepChrome = keepChrome
        self.indexGenerated = indexGenerated
        self.include = include
        self.exclude = exclude
        self.restoreDeleted = restoreDeleted
        self.maxFileBytes = maxFileBytes
    }
}

/// What `IndexWriter.deleteDocuments` did.
public struct DeletionReport: Sendable, Equatable {
    /// Ids with no document in the index.
    public var missing: [String]
    /// Deleted documents that came from files: the next syncs leave them out until
    /// `SyncOptions.restoreDeleted`.
    public var fromFiles: Int
}

/// The recorded options of an index's syncs (`IndexWriter.recordedOptions`).
public struct RecordedSyncOptions: Sendable, Equatable {
    public var keepChrome: Bool
    public var indexGenerated: Bool
    public var include: [String]
    public var exclude: [String]
    /// Directories synced, by absolute path, with the name their ids start with ("" for none).
    public var directories: [String: String]
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
        let sync = try mapped {
            try CollectionSync(writer: try QuarryIndex.IndexWriter(directory: directory, settings: settings, options: options))
        }
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

    /// Checks that every path can be synced (it exists, and is a readable directory or
    /// regular file; a `NAME=DIR` name is valid) without opening an index, so that a caller
    /// can refuse a bad command before an index is created. `sync` checks the same first.
    public static func checkPaths(_ paths: [String]) throws(QuarryError) {
        try mapped { try CollectionSync.checkPaths(paths.map(SourcePath.init(argument:))) }
    }

    /// Brings the index in step with files and directories (docs/INDEXING.md): new files
    /// are added, changed ones replaced, unchanged ones skipped without being parsed, and
    /// (by default) files gone from a walked directory deleted. A path may be `NAME=DIR`:
    /// the ids of its files start with `NAME/`. A path that cannot be synced throws before
    /// anything changes; problems with single files are in the report and the rest goes on.
    /// `notify` hears what the sync decided before it indexes (names given to new
    /// directories, files extracted again). Call `commit()` to publish.
    public func sync(
        _ paths: [String], options: SyncOptions = SyncOptions(), notify: ((String) -> Void)? = nil,
        progress: ((IndexingProgress) -> Void)? = nil
    ) throws(QuarryError) -> SyncReport {
        guard options.maxFileBytes > 0 else { throw QuarryError.invalidArgument("maxFileBytes must be positive") }
        var request = SyncRequest(paths: paths.map(SourcePath.init(argument:)))
        request.format = options.format
        request.deleteMissing = options.deleteMissing
        request.keepChrome = options.keepChrome
        request.indexGenerated = options.indexGenerated
        request.include = options.include
        request.exclude = options.exclude
        request.restoreDeleted = options.restoreDeleted
        request.maxDocumentBytes = options.maxFileBytes
        return try withSync { try $0.sync(request, notify: notify, progress: progress) }
    }

    /// The options recorded by earlier syncs (those a sync uses when it is given none).
    public var recordedOptions: RecordedSyncOptions? {
        lock.withLock { _ in
            sync.map {
                let o = $0.state.options
                return RecordedSyncOptions(
                    keepChrome: o.keepChrome, indexGenerated: o.indexGenerated, include: o.include,
                    exclude: o.exclude, directories: $0.state.roots)
            }
        }
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
    public func add(
        jsonLines: [UInt8], displayPath: String = "<stdin>",
        progress: ((IndexingProgress) -> Void)? = nil
    ) throws(QuarryError) -> SyncReport {
        try withSync { try $0.add(jsonLines: jsonLines, displayPath: displayPath, progress: progress) }
    }

    /// Adds BEIR-style JSON lines read from a file descriptor (standard input, say) until
    /// its end, in batches, so that memory stays bounded however long the input is. A line
    /// longer than `maxLineBytes` is reported and skipped. Call `commit()` after.
    public func add(
        jsonLinesFrom descriptor: Int32, displayPath: String = "<stdin>",
        maxLineBytes: Int = SyncOptions.defaultMaxFileBytes,
        progress: ((IndexingProgress) -> Void)? = nil
    ) throws(QuarryError) -> SyncReport {
        guard maxLineBytes > 0 else { throw QuarryError.invalidArgument("maxLineBytes must be positive") }
        return try withSync {
            try $0.add(jsonLinesFrom: descriptor, displayPath: displayPath, maxLineBytes: maxLineBytes, progress: progress)
        }
    }

    /// Deletes documents by id; returns the ids that were not found. Call `commit()` after.
    /// A deleted document that came from a file stays out of the index on later syncs until
    /// a sync with `SyncOptions.restoreDeleted`.
    public func delete(ids: [String]) throws(QuarryError) -> [String] {
        try deleteDocuments(ids: ids).missing
    }

    /// Deletes documents by id, and tells how many came from files (see `delete(ids:)`).
    public func deleteDocuments(ids: [String]) throws(QuarryError) -> DeletionReport {
        try withSync {
            let r = try $0.delete(ids: ids)
            return DeletionReport(missing: r.missing, fromFiles: r.fromFiles)
        }
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
