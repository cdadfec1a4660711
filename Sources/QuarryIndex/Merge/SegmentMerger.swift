import QuarryCore
import QuarryDocument

/// Merges segments into one new segment, leaving out deleted documents. Postings are
/// re-encoded with new document numbers; statistics come from the segments' own minus
/// their deletions' (which are exact), so the merged segment scores like a fresh build.
struct SegmentMerger {
    let directory: String
    let storeLevel: Int32

    /// Writes segment `name` from `sources` (in that order: documents keep their relative
    /// order). Returns what a flushed segment returns (sequence numbers are not kept).
    /// Bytes of postings merged between two releases of the sources' resident pages.
    static let releaseEveryBytes = 16 << 20

    func merge(_ sources: [SegmentReader], into name: String, nonce: UInt64) throws -> FlushedSegment {
        func path(_ kind: IndexFileKind) -> String { directory + "/" + name + "." + kind.fileExtension }
        do {
            return try write(sources, name: name, nonce: nonce, path: path)
        } catch {
            for kind in SegmentFiles.kinds { try? FileSystem.remove(path(kind)) }
            throw error
        }
    }

    private func write(_ sources: [SegmentReader], name: String, nonce: UInt64, path: (IndexFileKind) -> String) throws -> FlushedSegment {
        // Every byte of the sources is read: their whole-file checksums first.
        for s in sources { try s.verifyWholeFiles() }
        var output = SegmentOutput(directory: directory, name: name, nonce: nonce)
        // New document numbers: live documents, segment after segment.
        var docMap: [[Int32]] = []
        var docCount = 0
        for s in sources {
            var map = [Int32](repeating: -1, count: s.documentCount)
            for d in 0..<s.documentCount where !s.isDeleted(d) {
                map[d] = Int32(docCount)
                docCount += 1
            }
            docMap.append(map)
        }
        guard docCount > 0 else { throw IndexError.internalError("merge of segments without live documents") }

        // Per-document files, in new document order.
        var titleLengths: [UInt32] = [], bodyLengths: [UInt32] = []
        titleLengths.reserveCapacity(docCount)
        bodyLengths.reserveCapacity(docCount)
        var passageData = ByteWriter(), passageOffsets: [UInt32] = [0]
        var idBytes: [UInt8] = [], idOffsets: [UInt32] = [0]
        var origins: [String] = [], originIndex: [String: UInt32] = [:]
        var docOrigin: [UInt32] = []
        passageOffsets.reserveCapacity(docCount + 1)
        idOffsets.reserveCapacity(docCount + 1)
        docOrigin.reserveCapacity(docCount)
        var bounds: [PassageBounds] = []
        var summaries = SummariesWriter()
        let store = try StoreWriter(path: path(.store), nonce: nonce, level: storeLevel)
        var stats = CollectionStats()
        for s in sources {
            let meta = try s.origins()
            for d in 0..<s.documentCount where !s.isDeleted(d) {
                titleLengths.append(s.titleLength(d))
                bodyLengths.append(s.bodyLength(d))
                try s.passages.rawRecord(d) { raw in passageData.append(raw) }
                passageOffsets.append(UInt32(truncatingIfNeeded: passageData.count))
                try s.withExternalID(d) { idBytes.append(contentsOf: $0) }
                idOffsets.append(UInt32(truncatingIfNeeded: idBytes.count))
                let date = s.summaries.date(d)
                try s.summaries.withSummary(d) { title, path in summaries.add(title: title, path: path, date: date) }
                let origin = meta.origins[Int(meta.docOrigin[d])]
                if let i = originIndex[origin] {
                    docOrigin.append(i)
                } else {
                    originIndex[origin] = UInt32(origins.count)
                    docOrigin.append(UInt32(origins.count))
                    origins.append(origin)
                }
                try s.passageBounds(d, into: &bounds)
                stats.add(
                    titleLength: Int(s.titleLength(d)), bodyLength: Int(s.bodyLength(d)),
                    passages: bounds.count, passageLength: bounds.reduce(0) { $0 + $1.length })
            }
            // Stored documents: whole compressed blocks when nothing is deleted, else record by record.
            if !s.hasDeletions {
                try store.appendBlocks(of: s.store)
            } else {
                try s.store.forEach { d, text in
                    guard !s.isDeleted(d) else { return }
                    try store.add { block in
                        StoredText.encode(body: text.body, blocks: text.blocks, passages: text.passages, into: &block)
                    }
                }
            }
            s.releaseResidentPages()
        }
        try store.finish()
        output.record(.store, store.file)
        let expected = sources.reduce(CollectionStats()) { $0 + $1.liveStats }
        guard stats == expected else {
            throw IndexError.internalError("merged statistics \(stats) differ from the segments' live statistics \(expected)")
        }
        // The per-document files now, each table let go once written: the postings pass
        // needs only the lengths and the document map, and a merge's peak memory is the
        // larger of the two phases, not their sum.
        try output.write(.passages, body: SegmentFiles.encodePassages(offsets: passageOffsets, data: passageData.bytes))
        passageData = ByteWriter()
        passageOffsets = []
        let idParts = SegmentFiles.encodeIDParts(bytes: idBytes, offsets: idOffsets)
        idBytes = []
        idOffsets = []
        try output.write(.ids, parts: idParts)
        try output.write(.meta, body: SegmentFiles.encodeOrigins(origins, docOrigin: docOrigin))
        docOrigin = []
        try output.write(.summaries, body: summaries.finish())
        summaries = SummariesWriter()
        try output.write(.lengths, body: SegmentFiles.encodeLengths(title: titleLengths, body: bodyLengths))

        // Postings: terms of all segments in byte order.
        let docFile = try output.create(.postings)
        let posFile = try output.create(.positions)
        var dictionary = TermDictionaryWriter()
        var encoder = PostingsEncoder()
        defer { encoder.free() }
        var cursors: [TermDictionaryReader.TermCursor?] = []
        var heads: [TermInfo?] = []
        for s in sources {
            if s.dictionary.blockCount > 0 {
                var c = try TermDictionaryReader.TermCursor(s.dictionary, block: 0)
                heads.append(try c.next())
                cursors.append(c)
            } else {
                heads.append(nil)
                cursors.append(nil)
            }
        }
        var termCount = 0
        var readSinceRelease = 0
        while true {
            // The smallest current term.
            var smallest: [UInt8]? = nil
            for i in sources.indices where heads[i] != nil {
                guard let key = cursors[i]?.key else { continue }
                if smallest == nil || key.lexicographicallyPrecedes(smallest ?? []) { smallest = key }
            }
            guard let term = smallest else { break }
            // Live statistics from the segments minus their deletions (exact): the document
            // frequency is known before the postings are streamed.
            var live = TermStats()
            var members: [(Int, TermInfo)] = []
            for i in sources.indices {
                guard let info = heads[i], let key = cursors[i]?.key, key == term else { continue }
                live = live + (try term.withUnsafeBytes { try sources[i].termStats($0, info: info) })
                members.append((i, info))
                heads[i] = try cursors[i]?.next()
            }
            if live.df == 0 { continue }  // every document with the term was deleted
            encoder.begin(df: live.df)
            var written = 0
            for (i, info) in members {
                let s = sources[i]
                let c = try s.postings(info)
                while try c.next() != PostingsCursor.end {
                    let nd = docMap[i][Int(c.doc)]
                    if nd < 0 { continue }
                    encoder.add(
                        doc: UInt32(nd), tfTitle: c.tfTitle, tfBody: c.tfBody,
                        lengthTitle: titleLengths[Int(nd)], lengthBody: bodyLengths[Int(nd)])
                    try c.copyPositions(into: &encoder.positions)
                    written += 1
                }
            }
            guard written == live.df else {
                throw IndexError.internalError(
                    "term '\(String(decoding: term, as: UTF8.self))': \(written) live postings, statistics say \(live.df)")
            }
            encoder.finish()
            let info = TermInfo(
                df: live.df, dfTitle: live.dfTitle, dfBody: live.dfBody, passageDf: live.passageDf,
                docOffset: docFile.offset - FileEnvelope.headerSize, docLength: encoder.docBytes.count,
                posOffset: posFile.offset - FileEnvelope.headerSize, posLength: encoder.positions.count)
            try docFile.write(encoder.docBytes.bytes)
            try posFile.write(encoder.positions.bytes)
            // The sources are read in term order, front to back: let go of what has been
            // read every so often, so that a merge's resident memory does not grow with the
            // size of its inputs (mapped pages count as resident until released).
            readSinceRelease += encoder.docBytes.count + encoder.positions.count
            if readSinceRelease >= SegmentMerger.releaseEveryBytes {
                for s in sources { s.releaseResidentPages() }
                readSinceRelease = 0
            }
            term.withUnsafeBytes { dictionary.add($0, info) }
            termCount += 1
        }
        try output.finish(.postings, docFile)
        try output.finish(.positions, posFile)
        try output.write(.terms, body: dictionary.finish())
        try output.write(.segmentInfo, body: SegmentFiles.encodeInfo(docCount: docCount, stats: stats, termCount: termCount))
        try output.finishChecksums()
        return FlushedSegment(name: name, nonce: nonce, docCount: docCount, stats: stats, items: [], bytes: output.bytes)
    }
}
