import ArgumentParser
import Quarry
import QuarryCLI

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show what an index holds: documents, terms, segments, bytes, settings.",
        discussion: """
            Example:
              quarry stats
              quarry stats --json --index /tmp/docs
            """)

    @OptionGroup var location: IndexLocation

    @Flag(help: "Print JSON (schema quarry.stats/1).")
    var json = false

    func run() throws {
        let s = try Index.open(location.index).stats()
        var out = Output()
        defer { out.flush() }
        if json {
            out.line(JSONContract.stats(s, index: location.index))
            return
        }
        let a = s.settings.analyzer
        out.line("index       \(location.index) (commit \(s.generation))")
        out.line(
            "documents   \(grouped(s.documents))"
                + (s.deletedDocuments > 0 ? " (+\(grouped(s.deletedDocuments)) deleted, purged by the next merge)" : ""))
        out.line(
            "passages    \(grouped(s.passages)) (about \(s.settings.passages.targetWords) words each, overlap \(s.settings.passages.overlapWords))"
        )
        out.line("terms       \(grouped(s.termsSummedOverSegments)) (summed over segments)")
        out.line("segments    \(s.segments)")
        out.line("bytes       \(megabytes(s.bytes)) (\(megabytes(s.bytesWithoutStoredText)) without stored text)")
        out.line("            " + s.bytesByFile.map { "\($0.kind) \(megabytes($0.bytes))" }.joined(separator: ", "))
        out.line(
            "analyzer    \(a.language) stemmer, \(a.stopwords.isEmpty ? "no stopwords" : "\(a.stopwords.count) stopwords"), diacritic folding \(a.foldDiacritics ? "on" : "off")"
        )
        if s.averageBodyLength > 0 {
            out.line(
                "lengths     title \(String(format1: s.averageTitleLength, digits: 1)) terms, body \(String(format1: s.averageBodyLength, digits: 1)) terms on average"
            )
        }
    }
}
