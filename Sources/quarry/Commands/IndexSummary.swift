import Quarry
import QuarryCLI

/// What `quarry index` prints when it is done: the problems, one summary line, and what
/// was left out and why.
enum IndexSummary {
    static func print(_ report: SyncReport, commit: CommitInfo, source: String, index: String, seconds: Double, quiet: Bool) {
        for issue in report.issues {
            if issue.severity == .error {
                if quiet { Terminal.error("skipped \(issue)") } else { Terminal.warning("skipped \(issue)") }
            } else if !quiet {
                Terminal.warning("\(issue)")
            }
        }
        guard !quiet else { return }
        var line = "indexed \(source) into \(index) in \(String(format1: seconds, digits: 2)) s: "
        line += "\(grouped(report.added)) added, \(grouped(report.updated)) updated, \(grouped(report.deleted)) deleted, "
        line += "\(grouped(report.unchanged)) unchanged, \(grouped(report.skipped)) skipped"
        line += "; the index holds \(grouped(commit.documents)) documents in \(commit.segments) segment\(commit.segments == 1 ? "" : "s")"
        Swift.print(line)
        let left = leftOut(report)
        if !left.isEmpty { Swift.print("left out: " + left.joined(separator: ", ")) }
        if report.restored > 0 {
            Swift.print("restored \(count(report.restored, "document")) deleted with 'quarry delete'")
        }
        if report.heldBack > 0 {
            Terminal.note(
                "\(count(report.heldBack, "document")) deleted with 'quarry delete' \(report.heldBack == 1 ? "is" : "are") left out; 'quarry index --restore' brings \(report.heldBack == 1 ? "it" : "them") back"
            )
        }
    }

    /// "45 generated pages (--index-generated), 3 excluded files, …": what the run did not index, by reason.
    static func leftOut(_ r: SyncReport) -> [String] {
        var parts: [String] = []
        func add(_ n: Int, _ what: String, plural: String? = nil, hint: String = "") {
            guard n > 0 else { return }
            parts.append("\(grouped(n)) \(n == 1 ? what : plural ?? what + "s")" + (hint.isEmpty ? "" : " (\(hint))"))
        }
        let w = r.walk
        add(r.generatedSkipped, "generated page", hint: "--index-generated")
        add(w.excludedFiles, "excluded file")
        add(w.excludedFolders, "excluded folder")
        add(w.notIncluded, "file not included", plural: "files not included")
        add(w.hiddenFolders, "hidden folder")
        add(w.hiddenFiles, "hidden file")
        add(w.sphinxSourceFolders, "_sources folder")
        add(w.linkedFolders, "linked folder")
        add(w.notRegular, "FIFO, device or socket", plural: "FIFOs, devices or sockets")
        add(r.collisions, "file with a taken id", plural: "files with taken ids")
        return parts
    }

    /// The recorded options this run uses because the command line does not override them,
    /// as options ("--keep-chrome --exclude 'drafts/'"); nil when they are the defaults.
    static func recordedInUse(_ recorded: RecordedSyncOptions, by command: IndexCommand) -> String? {
        var parts: [String] = []
        if command.keepChrome == nil && recorded.keepChrome { parts.append("--keep-chrome") }
        if command.indexGenerated == nil && recorded.indexGenerated { parts.append("--index-generated") }
        if command.include.isEmpty && !command.resetFilters { parts += recorded.include.map { "--include '\($0)'" } }
        if command.exclude.isEmpty && !command.resetFilters { parts += recorded.exclude.map { "--exclude '\($0)'" } }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    private static func count(_ n: Int, _ what: String) -> String {
        "\(grouped(n)) \(what)\(n == 1 ? "" : "s")"
    }
}
