import QuarryAnalysis
import QuarryCore

/// Computes what deleted documents had contributed to a segment's statistics, by
/// inverting their stored text again with the index's analyzer (the same code path as
/// indexing), and writes deletions files.
final class DeletionAccountant {
    private var inverter = DocumentInverter()
    private let cache: TermCache

    init(settings: IndexSettings) throws {
        // Deletions are usually few: the cache starts small and grows.
        cache = TermCache(analyzer: try Analyzer(settings: settings.analyzer), initialCapacity: 1 << 10)
    }

    deinit { inverter.free() }

    /// Adds the deletion of `doc` of `segment` to `deletions` (no-op when already deleted).
    func delete(_ doc: Int, of segment: SegmentReader, into deletions: inout Deletions) throws {
        guard deletions.mark(doc) else { return }
        let stored = try segment.storedDocument(doc)
        inverter.invert(title: stored.title, body: stored.body, spans: stored.passages, cache: cache)
        deletions.stats.add(
            titleLength: inverter.titleLength, bodyLength: inverter.bodyLength,
            passages: inverter.passages.count, passageLength: inverter.passageLengthSum)
        for gi in 0..<inverter.groups.count {
            let g = inverter.groups[gi]
            cache.terms.withKey(Int(g.term)) { term in
                deletions.terms.add(
                    term,
                    TermStats(
                        df: 1, dfTitle: g.tfTitle > 0 ? 1 : 0, dfBody: g.tfBody > 0 ? 1 : 0,
                        passageDf: Int(g.passages)))
            }
        }
    }

    /// Writes `NAME_GEN.del` for a segment.
    static func write(_ deletions: Deletions, segment: SegmentEntry, generation: UInt64, directory: String) throws -> String {
        let name = "\(segment.name)_\(generation).\(IndexFileKind.deletions.fileExtension)"
        let file = try OutputFile(path: directory + "/" + name)
        try FileEnvelope.writeHeader(.deletions, nonce: segment.nonce, to: file)
        try file.write(deletions.encode())
        try FileEnvelope.finish(file)
        return name
    }
}
