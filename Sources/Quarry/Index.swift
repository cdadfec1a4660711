import QuarryAnalysis
import QuarryCollection
import QuarryCore
import QuarryIndex

/// An index directory: open it, read its statistics, check it, and get searchers and
/// writers for it. Thread-safe.
///
///     let index = try Index.open("Index")
///     print(try index.stats().documents)
///     let searcher = try index.searcher()
public final class Index: Sendable {
    /// The index directory.
    public let directory: String

    private init(directory: String) {
        self.directory = directory
    }

    /// Opens the index in `directory` (`QuarryError.noIndex` when there is none).
    public static func open(_ directory: String) throws(QuarryError) -> Index {
        guard FileSystem.exists(directory + "/" + Manifest.fileName) else { throw QuarryError.noIndex(path: directory) }
        return Index(directory: directory)
    }

    /// Creates an empty index in `directory` with `settings` (opens it when one exists with
    /// the same settings; `QuarryError.settingsMismatch` when its settings differ).
    public static func create(_ directory: String, settings: IndexSettings = .default) throws(QuarryError) -> Index {
        let writer = try IndexWriter(directory: directory, settings: settings)
        defer { writer.close() }
        try writer.commit()
        return Index(directory: directory)
    }

    /// The generation of the index's current commit (+1 per commit). Cheap: reads the
    /// manifest only, so a long-running program can poll it to notice new commits.
    public func generation() throws(QuarryError) -> Int {
        try mapped { Int(try Manifest.read(directory: directory).generation) }
    }

    /// What the current commit holds. Verifies the checksum of every file of the commit first
    /// (it reads the whole index once; a damaged file is `QuarryError.damaged` naming it), so
    /// that no figure comes from a damaged file and a damaged index never looks healthy.
    public func stats() throws(QuarryError) -> IndexStats {
        try mapped {
            let snapshot = try IndexSnapshot.open(directory, verifyChecksums: true)
            for segment in snapshot.segments { try segment.verifyWholeFiles(IndexFileKind.allCases) }
            return IndexStats(snapshot: snapshot)
        }
    }

    /// Verifies the current commit: every checksum and structural invariant of every file,
    /// and the table of indexed sources. Safe while a writer works.
    public func check() -> CheckReport {
        var report = IndexChecker(directory: directory).check()
        report.problems.append(contentsOf: CollectionSync.checkSources(directory: directory))
        return report
    }

    /// A searcher over the current commit.
    public func searcher() throws(QuarryError) -> Searcher {
        try Searcher(directory: directory)
    }

    /// A writer (takes the index's writer lock until it is closed).
    public func writer(options: WriterOptions = WriterOptions()) throws(QuarryError) -> IndexWriter {
        try IndexWriter(directory: directory, options: options)
    }

    /// Stemmer languages that `AnalyzerSettings.language` accepts (besides `none`).
    public static var languages: [String] { Stemmer.languages }

    /// The built-in stopword list of a language (nil when there is none).
    public static func stopwords(for language: String) -> [String]? { Stopwords.builtIn(for: language) }
}
