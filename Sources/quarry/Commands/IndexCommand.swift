import ArgumentParser
import Quarry

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
            {"_id", "title", "text"} objects. A document's id is its path relative to the \
            directory given (a BEIR document's id is its _id).

            Running it again is incremental: new files are added, changed files replaced, \
            unchanged files skipped without parsing, and files that disappeared from a \
            walked directory deleted (--no-delete keeps them). The update is published \
            atomically: searches running meanwhile see the old or the new index, never a mix.

            Examples:
              quarry index                                   # Corpus/ into Index/
              quarry index --index /tmp/docs /usr/share/doc/linux-doc-6.1/html
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

    @Option(name: .customLong("max-document-mb"), help: ArgumentHelp("Longest text indexed per document, in MiB (1–16, the default); a longer document is cut there, with a warning.", valueName: "mb"))
    var maxDocumentMB: Int = 16

    @Option(help: ArgumentHelp("Stemmer language (new index or --rebuild): \(Index.languages.joined(separator: ", ")), or none.", valueName: "name"))
    var language: String?

    @Option(help: ArgumentHelp("Stopwords (new index or --rebuild): default (the language's list), none, or a file with one word per line.", valueName: "list"))
    var stopwords: String?

    @Flag(help: "Keep diacritics (new index or --rebuild): 'café' and 'cafe' stay different.")
    var noFold = false

    @Option(help: ArgumentHelp("Passage length in words (new index or --rebuild).", valueName: "n"))
    var passageWords: Int?

    @Option(help: ArgumentHelp("Words of overlap between consecutive passages (new index or --rebuild).", valueName: "n"))
    var passageOverlap: Int?

    @Flag(help: "Build a fresh index from the given paths only (needed to change settings); published atomically in place of the old.")
    var rebuild = false

    @Flag(help: "Keep documents whose source files have disappeared.")
    var noDelete = false

    @Flag(name: .shortAndLong, help: "Print only errors (no warnings, no summary).")
    var quiet = false

    @Argument(help: ArgumentHelp("Files and directories to index (default: Corpus/).", valueName: "path"))
    var paths: [String] = []

    func validate() throws {
        if stdin && !paths.isEmpty { throw ValidationError("give either --stdin or paths, not both") }
        if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1") }
        if ramMB < 8 { throw ValidationError("--ram-mb must be at least 8") }
        if maxDocumentMB < 1 || maxDocumentMB > 16 { throw ValidationError("--max-document-mb must be between 1 and 16") }
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
                    throw CommandFailure(status: .usage, message: "cannot read the stopword file \(stopwords): \(error)")
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

    func run() throws {
        let started = now()
        let paths = self.paths.isEmpty && !stdin ? ["Corpus"] : self.paths
        let options = WriterOptions(threads: threads ?? WriterOptions.availableCores, ramBudgetBytes: ramMB << 20, rebuild: rebuild,
                                    maxDocumentBytes: maxDocumentMB << 20)
        let writer = try IndexWriter(directory: location.index, settings: try requestedSettings(), options: options)
        defer { writer.close() }
        if let pid = writer.tookOverStaleLockFrom, !quiet {
            Terminal.warning("took over the lock of process \(pid), which no longer runs (it was killed while writing; its unfinished files were removed)")
        }
        var lastDraw = 0.0
        let progress: (IndexingProgress) -> Void = { p in
            let t = now()
            guard t - lastDraw >= 0.1 || p.itemsDone == p.itemsTotal else { return }
            lastDraw = t
            let pct = p.bytesTotal > 0 ? Int(Double(p.bytesDone) * 100 / Double(p.bytesTotal)) : 100
            Terminal.progress("indexing: \(pct)%  \(grouped(p.documents)) documents  \(megabytes(p.bytesDone)) of \(megabytes(p.bytesTotal))  \(String(format1: t - started, digits: 1)) s")
        }
        let report: SyncReport
        if stdin {
            report = try writer.add(jsonLines: readStandardInput(), progress: progress)
        } else {
            report = try writer.sync(paths, options: SyncOptions(format: format, deleteMissing: !noDelete), progress: progress)
        }
        Terminal.clearProgress()
        let commit = try writer.commit()
        writer.close()
        if !quiet {
            for issue in report.issues {
                if issue.severity == .error {
                    Terminal.warning("skipped \(issue)")
                } else {
                    Terminal.warning("\(issue)")
                }
            }
        }
        for issue in report.issues where issue.severity == .error && quiet {
            Terminal.error("skipped \(issue)")
        }
        if !quiet {
            let elapsed = now() - started
            let source = stdin ? "standard input" : paths.joined(separator: " ")
            var line = "indexed \(source) into \(location.index) in \(String(format1: elapsed, digits: 2)) s: "
            line += "\(grouped(report.added)) added, \(grouped(report.updated)) updated, \(grouped(report.deleted)) deleted, "
            line += "\(grouped(report.unchanged)) unchanged, \(grouped(report.skipped)) skipped"
            line += "; the index holds \(grouped(commit.documents)) documents in \(commit.segments) segment\(commit.segments == 1 ? "" : "s")"
            print(line)
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
