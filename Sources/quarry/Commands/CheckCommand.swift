import ArgumentParser
import Quarry
import QuarryCore

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
        guard FileSystem.exists(location.index + "/" + Manifest.fileName) else { throw IndexError.notFound(path: location.index) }
        let started = now()
        let report = IndexChecker(directory: location.index).check()
        var out = Output()
        defer { out.flush() }
        if json {
            var w = JSONWriter()
            w.beginObject()
            w.field("schema", "quarry.check/1")
            w.field("ok", report.ok)
            w.field("segments", report.segments)
            w.field("documents", report.documents)
            w.field("terms", report.terms)
            w.field("postings", report.postings)
            w.field("files", report.files)
            w.beginArray("problems")
            for p in report.problems {
                w.beginObject()
                w.field("file", p.file)
                if let o = p.offset { w.field("offset", o) }
                w.field("message", p.message)
                w.endObject()
            }
            w.endArray()
            w.endObject()
            out.line(w.text)
        } else {
            for p in report.problems { out.line("damaged: \(p)") }
            let verdict = report.ok ? "ok" : "\(report.problems.count) problem\(report.problems.count == 1 ? "" : "s")"
            out.line("\(verdict): \(report.files) files, \(report.segments) segment\(report.segments == 1 ? "" : "s"), \(grouped(report.documents)) documents, \(grouped(report.terms)) terms, \(grouped(report.postings)) postings checked in \(String(format1: now() - started, digits: 2)) s")
        }
        out.flush()
        if !report.ok {
            throw CommandFailure(status: .damaged, message: "the index at \(location.index) is damaged; rebuild it with 'quarry index --rebuild' from its sources")
        }
    }
}

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge segments and purge deleted documents.",
        discussion: """
            Quarry merges segments by itself after each update (segments of similar size, \
            eight at a time). This forces it: down to --max-segments segments (default 1), \
            rewriting any remaining segment that holds deleted documents. Searches keep \
            working meanwhile; the result is published atomically.

            Example:
              quarry merge --max-segments 1
            """)

    @OptionGroup var location: IndexLocation

    @Option(help: ArgumentHelp("Segments to keep at most.", valueName: "n"))
    var maxSegments: Int = 1

    func validate() throws {
        if maxSegments < 1 { throw ValidationError("--max-segments must be at least 1") }
    }

    func run() throws {
        guard FileSystem.exists(location.index + "/" + Manifest.fileName) else { throw IndexError.notFound(path: location.index) }
        let started = now()
        let writer = try IndexWriter(directory: location.index)
        let before = writer.committedManifest?.segments.count ?? 0
        let manifest = try writer.forceMerge(maxSegments: maxSegments)
        writer.close()
        print("merged \(before) segment\(before == 1 ? "" : "s") into \(manifest.segments.count) in \(String(format1: now() - started, digits: 2)) s; the index holds \(grouped(manifest.liveDocuments)) documents")
    }
}
