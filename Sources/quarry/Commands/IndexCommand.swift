import ArgumentParser
import Quarry
import QuarryCLI

#if canImport(Glibc)
import Glibc
#endif

struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build or update an index from files and directories.",
        discussion: """
            Walks the paths (default: Corpus/) and indexes .html/.htm/.xhtml pages, \
            .txt/.text/.md files and, with --format beir or by extension, .jsonl files of \
            {"_id", "title", "text"} objects. Every path must exist and be a readable \
            directory or regular file, else nothing is done (exit 1). The rules in full: \
            docs/INDEXING.md.

            Ids: a document's id is its path relative to the directory given (a BEIR \
            document's id is its _id). When an index gets files from several directories, \
            each directory has a name that starts its ids, decided the first time it is \
            indexed and kept in the index: NAME=DIR gives one (ids NAME/...); otherwise the \
            first directory indexed alone into an empty index has none (plain ids), and \
            later ones the shortest end of their path that no other directory uses (e.g. \
            cmake-doc/html). A file whose id another file already has is not indexed \
            (exit 1, the rest is indexed).

            Left out while walking (and counted in the summary): hidden files and folders \
            (name starting with "."), symbolic links to folders, Sphinx's _sources/ folders \
            (text copies of the pages; with --format auto), files with other extensions, \
            FIFOs, devices and sockets, files over --max-file-mb, files matched by the \
            root's .quarryignore (gitignore syntax) or --exclude, files matched by no \
            --include, and generated pages (term and module indexes, search pages, source \
            listings; --index-generated keeps them).

            Running it again is incremental: new files are added, changed files replaced, \
            unchanged files skipped without parsing, and files that disappeared from a \
            walked directory (or are now excluded) deleted (--no-delete keeps them). \
            --keep-chrome, --index-generated, --include and --exclude are recorded in the \
            index and apply to later runs until changed; changing --keep-chrome or \
            --index-generated extracts the files concerned again. A document deleted with \
            'quarry delete' stays out on later runs while its file exists, until \
            'quarry index --restore'. The update is published atomically: searches running \
            meanwhile see the old or the new index, never a mix.

            Examples:
              quarry index                                   # Corpus/ into Index/
              quarry index --index /tmp/docs /usr/share/doc/linux-doc-6.1/html
              quarry index --index docs django=django-doc/html cmake=cmake-doc/html
              quarry index --exclude 'drafts/' --exclude '*.txt' notes/
              quarry index --index scifact --format beir corpus.jsonl
              some-pipeline | quarry index --stdin           # BEIR JSON lines on stdin
            """)

    @OptionGroup var location: IndexLocation

    @Option(help: ArgumentHelp("Input format: auto (by extension), html, text or beir.", valueName: "format"))
    var format: SourceFormat = .auto

    @Flag(help: "Read BEIR JSON lines from standard input (documents are added or replace those with the same id).")
    var stdin = false

    @Option(help: ArgumentHelp("Worker threads (default: all cores).", valueName: "n"))
    var threads: Int?

    @Option(name: .customLong("ram-mb"), help: ArgumentHelp("Memory budget for in-memory segments, in MB.", valueName: "mb"))
    var ramMB: Int = WriterOptions.defaultRAMBudgetBytes >> 20

    @Option(
        name: .customLong("max-document-mb"),
        help: ArgumentHelp(
            "Longest text indexed per document, in MiB (1–16, the default); a longer document is cut there, with a warning.",
            valueName: "mb"))
    var maxDocumentMB: Int = 16

    @Option(
        help: ArgumentHelp(
            "Stemmer language (new index or --rebuild): \(Index.languages.joined(separator: ", ")), or none.", valueName: "name"))
    var language: String?

    @Option(
        help: ArgumentHelp(
            "Stopwords (new index or --rebuild): default (the language's list), none, or a file with one word per line.", valueName: "list")
    )
    var stopwords: String?

    @Flag(help: "Keep diacritics (new index or --rebuild): 'café' and 'cafe' stay different.")
    var noFold = false

    @Option(help: ArgumentHelp("Passage length in words (new index or --rebuild).", valueName: "n"))
    var passageWords: Int?

    @Option(help: ArgumentHelp("Words of overlap between consecutive passages (new index or --rebuild).", valueName: "n"))
    var passageOverlap: Int?

    @Flag(
        help:
            "Build a fresh index from the given paths only (needed to change settings; recorded options and deletions are kept); published atomically in place of the old."
    )
    var rebuild = false

    @Flag(help: "Keep documents whose source files have disappeared.")
    var noDelete = false

    @Flag(inversion: .prefixedNo, help: "Keep page chrome (navigation, banners, footers) in the text. Recorded for later runs.")
    var keepChrome: Bool?

    @Flag(
        inversion: .prefixedNo,
        help: "Index generated pages (term and module indexes, search pages, source listings) too. Recorded for later runs.")
    var indexGenerated: Bool?

    @Option(
        help: ArgumentHelp(
            "Leave out files and folders matching a gitignore-style pattern (repeatable; '!' takes a path back). Replaces the recorded patterns.",
            valueName: "glob"))
    var exclude: [String] = []

    @Option(
        help: ArgumentHelp(
            "Index only files matching a gitignore-style pattern (repeatable). Replaces the recorded patterns.", valueName: "glob"))
    var include: [String] = []

    @Flag(help: "Forget the recorded --include and --exclude patterns (those given with it apply).")
    var resetFilters = false

    @Flag(help: "Bring back the documents deleted with 'quarry delete' whose files are walked.")
    var restore = false

    @Option(
        name: .customLong("max-file-mb"),
        help: ArgumentHelp(
            "Largest file of one document, and longest JSON line, to read, in MB (JSON Lines files themselves have no limit).",
            valueName: "mb"))
    var maxFileMB: Int = SyncOptions.defaultMaxFileBytes >> 20

    @Flag(name: .shortAndLong, help: "Print only errors (no warnings, no summary).")
    var quiet = false

    @Argument(help: ArgumentHelp("Files and directories to index (default: Corpus/).", valueName: "path"))
    var paths: [String] = []

    func validate() throws {
        if stdin && !paths.isEmpty { throw ValidationError("give either --stdin or paths, not both") }
        if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1") }
        if ramMB < 8 { throw ValidationError("--ram-mb must be at least 8") }
        if maxDocumentMB < 1 || maxDocumentMB > 16 { throw ValidationError("--max-document-mb must be between 1 and 16") }
        if maxFileMB < 1 || maxFileMB > 1 << 20 { throw ValidationError("--max-file-mb must be between 1 and 1048576") }
        if stdin && (keepChrome != nil || indexGenerated != nil || !exclude.isEmpty || !include.isEmpty || resetFilters || restore) {
            throw ValidationError(
                "--stdin reads JSON lines: --keep-chrome, --index-generated, --include, --exclude, --reset-filters and --restore apply to files"
            )
        }
        if let bad = include.first(where: { $0.hasPrefix("!") }) {
            throw ValidationError("--include '\(bad)': '!' takes paths back in --exclude patterns only")
        }
    }

    /// Settings asked for on the command line (nil when none were given).
    func requestedSettings() throws -> IndexSettings? {
        guard language != nil || stopwords != nil || noFold || passageWords != nil || passageOverlap != nil else { return nil }
        var s = IndexSettings.default
        if let language {
            s.analyzer.language = language
            s.analyzer.stopwords = Index.stopwords(for: language) ?? []
        }
        if let stopwords {
            switch stopwords {
            case "none": s.analyzer.stopwords = []
            case "default": s.analyzer.stopwords = Index.stopwords(for: s.analyzer.language) ?? []
            default:
                let bytes: [UInt8]
                do { bytes = try readFile(stopwords) } catch {
                    throw CommandFailure(status: .usage, message: "cannot read the stopword file: \(error)")
                }
                s.analyzer.stopwords = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline)
                    .map { $0.trimmingCharacters() }.filter { !$0.isEmpty && !$0.hasPrefix("#") }.map { $0.lowercased() }
            }
        }
        if noFold { s.analyzer.foldDiacritics = false }
        if let passageWords { s.passages.targetWords = passageWords }
        if let passageOverlap { s.passages.overlapWords = passageOverlap }
        return s
    }

    /// The sync options of this run (nil: the recorded value).
    var syncOptions: SyncOptions {
        SyncOptions(
            format: format, deleteMissing: !noDelete, keepChrome: keepChrome, indexGenerated: indexGenerated,
            include: include.isEmpty && !resetFilters ? nil : include,
            exclude: exclude.isEmpty && !resetFilters ? nil : exclude,
            restoreDeleted: restore, maxFileBytes: maxFileMB << 20)
    }

    func run() throws {
        let started = now()
        let paths = self.paths.isEmpty && !stdin ? ["Corpus"] : self.paths
        // A path that cannot be indexed is refused before the index is opened (or created).
        if !stdin { try IndexWriter.checkPaths(paths) }
        let options = WriterOptions(
            threads: threads ?? WriterOptions.availableCores, ramBudgetBytes: ramMB << 20, rebuild: rebuild,
            maxDocumentBytes: maxDocumentMB << 20)
        let writer = try IndexWriter(directory: location.index, settings: try requestedSettings(), options: options)
        defer { writer.close() }
        if let pid = writer.tookOverStaleLockFrom, !quiet {
            Terminal.warning(
                "took over the lock of process \(pid), which no longer runs (it was killed while writing; its unfinished files were removed)"
            )
        }
        if !stdin && !quiet, let recorded = writer.recordedOptions, let used = IndexSummary.recordedInUse(recorded, by: self) {
            Terminal.note("using the options recorded in the index: \(used)")
        }
        var lastDraw = 0.0
        let progress: (IndexingProgress) -> Void = { p in
            let t = now()
            guard t - lastDraw >= 0.1 || p.itemsDone == p.itemsTotal else { return }
            lastDraw = t
            let pct = p.bytesTotal > 0 ? Int(Double(p.bytesDone) * 100 / Double(p.bytesTotal)) : 100
            Terminal.progress(
                "indexing: \(pct)%  \(grouped(p.documents)) documents  \(megabytes(p.bytesDone)) of \(megabytes(p.bytesTotal))  \(String(format1: t - started, digits: 1)) s"
            )
        }
        let report: SyncReport
        if stdin {
            report = try writer.add(jsonLinesFrom: STDIN_FILENO, maxLineBytes: maxFileMB << 20, progress: progress)
        } else {
            let quiet = self.quiet
            report = try writer.sync(
                paths, options: syncOptions,
                notify: { note in
                    guard !quiet else { return }
                    Terminal.clearProgress()
                    Terminal.note(note)
                }, progress: progress)
        }
        Terminal.clearProgress()
        // Publishing is quick; the merges after a large update take seconds: say so.
        if !quiet { Terminal.progress("committing: publishing the update, then merging segments if needed …") }
        let commit = try writer.commit()
        Terminal.clearProgress()
        writer.close()
        IndexSummary.print(
            report, commit: commit, source: stdin ? "standard input" : paths.joined(separator: " "),
            index: location.index, seconds: now() - started, quiet: quiet)
        if report.collisions > 0 {
            throw CommandFailure(
                status: .failure,
                message:
                    "\(grouped(report.collisions)) file\(report.collisions == 1 ? " was" : "s were") not indexed because another file has \(report.collisions == 1 ? "its id" : "their ids") (see above); the rest was indexed. Name the directories (NAME=DIR) or exclude one of the files."
            )
        }
    }
}

extension Substring {
    func trimmingCharacters() -> String {
        var s = self
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
