import ArgumentParser
import Quarry
import QuarryCLI

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge segments and purge deleted documents.",
        discussion: """
            Quarry merges segments by itself after each update (segments of similar size, \
            ten at a time; the segments of a large update into one per thread). This forces it: down to --max-segments segments (default 1), \
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
        let started = now()
        let writer = try Index.open(location.index).writer()
        defer { writer.close() }
        let before = writer.committed?.segments ?? 0
        let commit = try writer.merge(maxSegments: maxSegments)
        print(
            "merged \(before) segment\(before == 1 ? "" : "s") into \(commit.segments) in \(String(format1: now() - started, digits: 2)) s; the index holds \(grouped(commit.documents)) documents"
        )
    }
}
