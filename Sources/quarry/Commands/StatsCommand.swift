import ArgumentParser
import Quarry

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
        let snapshot = try IndexSnapshot.open(location.index, verifyChecksums: false)
        let m = snapshot.manifest
        let s = snapshot.stats
        var kinds: [(String, Int)] = []
        for kind in IndexFileKind.allCases where ![.manifest, .deletions, .sources].contains(kind) {
            kinds.append((kind.fileExtension, snapshot.segments.reduce(0) { $0 + $1.fileBytes(kind) }))
        }
        let storedBytes = kinds.filter { ["sto", "met"].contains($0.0) }.reduce(0) { $0 + $1.1 }
        let totalBytes = snapshot.fileBytes
        let deleted = m.segments.reduce(0) { $0 + $1.deleted }
        let a = m.settings.analyzer
        var out = Output()
        defer { out.flush() }
        if json {
            var w = JSONWriter()
            w.beginObject()
            w.field("schema", JSONContract.statsSchema)
            w.field("index", location.index)
            w.field("generation", Int(m.generation))
            w.field("documents", s.documents)
            w.field("deleted_documents", deleted)
            w.field("passages", s.passages)
            w.field("terms_summed_over_segments", snapshot.termCountSum)
            w.field("segments", m.segments.count)
            w.field("bytes", totalBytes)
            w.field("bytes_without_stored_text", totalBytes - storedBytes)
            w.beginObject("bytes_by_file")
            for (k, v) in kinds { w.field(k, v) }
            w.endObject()
            w.beginObject("analyzer")
            w.field("language", a.language)
            w.field("stopwords", a.stopwords.count)
            w.field("fold_diacritics", a.foldDiacritics)
            w.endObject()
            w.beginObject("passages_settings")
            w.field("target_words", m.settings.passages.targetWords)
            w.field("overlap_words", m.settings.passages.overlapWords)
            w.endObject()
            w.field("average_title_length", s.documentsWithTitle > 0 ? Double(s.titleLengthSum) / Double(s.documentsWithTitle) : 0)
            w.field("average_body_length", s.documentsWithBody > 0 ? Double(s.bodyLengthSum) / Double(s.documentsWithBody) : 0)
            w.endObject()
            out.line(w.text)
            return
        }
        out.line("index       \(location.index) (commit \(m.generation))")
        out.line("documents   \(grouped(s.documents))" + (deleted > 0 ? " (+\(grouped(deleted)) deleted, purged by the next merge)" : ""))
        out.line("passages    \(grouped(s.passages)) (about \(m.settings.passages.targetWords) words each, overlap \(m.settings.passages.overlapWords))")
        out.line("terms       \(grouped(snapshot.termCountSum)) (summed over segments)")
        out.line("segments    \(m.segments.count)")
        out.line("bytes       \(megabytes(totalBytes)) (\(megabytes(totalBytes - storedBytes)) without stored text)")
        out.line("            " + kinds.map { "\($0.0) \(megabytes($0.1))" }.joined(separator: ", "))
        out.line("analyzer    \(a.language) stemmer, \(a.stopwords.isEmpty ? "no stopwords" : "\(a.stopwords.count) stopwords"), diacritic folding \(a.foldDiacritics ? "on" : "off")")
        if s.documentsWithBody > 0 {
            out.line("lengths     title \(String(format1: Double(s.titleLengthSum) / Double(max(1, s.documentsWithTitle)), digits: 1)) terms, body \(String(format1: Double(s.bodyLengthSum) / Double(s.documentsWithBody), digits: 1)) terms on average")
        }
    }
}
