import ArgumentParser
import Quarry
import QuarryCLI

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Verify an index: every checksum and structural invariant.",
        discussion: """
            Reads every file of the current commit: checksums, the order and counts of \
            terms and postings, positions, impacts, lengths, passages, ids, stored \
            documents, and recomputes what deletions subtracted from the statistics. \
            Reports each problem with its file (and byte offset when known) and exits 5 \
            if there is any. Safe to run while a writer works: it checks one commit.

            Example:
              quarry check --index /var/lib/search/Index
            """)

    @OptionGroup var location: IndexLocation

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() throws {
        let index = try Index.open(location.index)
        let started = now()
        let report = index.check()
        var out = Output()
        defer { out.flush() }
        if json {
            out.line(JSONContract.check(report))
        } else {
            for p in report.problems { out.line("damaged: \(p)") }
            let verdict = report.ok ? "ok" : "\(report.problems.count) problem\(report.problems.count == 1 ? "" : "s")"
            out.line(
                "\(verdict): \(report.files) files, \(report.segments) segment\(report.segments == 1 ? "" : "s"), \(grouped(report.documents)) documents, \(grouped(report.terms)) terms, \(grouped(report.postings)) postings checked in \(String(format1: now() - started, digits: 2)) s"
            )
        }
        out.flush()
        if !report.ok {
            throw CommandFailure(
                status: .damaged,
                message: "the index at \(location.index) is damaged; rebuild it with 'quarry index --rebuild' from its sources")
        }
    }
}
