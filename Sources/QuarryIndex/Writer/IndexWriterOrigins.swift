import QuarryCore

extension IndexWriter {
    /// The origins of the live documents with each of `ids` (committed, or added by this
    /// writer and not yet deleted), so that a caller that deletes them can tell where they
    /// came from. Ids with no live document are absent.
    package func origins(ofIDs ids: [String]) throws -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        var targets: [(reader: SegmentReader, name: String)] = try readers().map { ($0, $0.entry.name) }
        for seg in newSegments { targets.append((try newReader(seg), seg.name)) }
        for (reader, name) in targets {
            var table: OriginsReader? = nil
            for id in ids {
                for d in try reader.documents(withID: id) where !reader.isDeleted(d) && pendingDeletes[name]?.contains(d) != true {
                    if table == nil { table = try reader.origins() }
                    guard let t = table, d < t.docOrigin.count, Int(t.docOrigin[d]) < t.origins.count else { continue }
                    result[id, default: []].insert(t.origins[Int(t.docOrigin[d])])
                }
            }
        }
        return result
    }
}
