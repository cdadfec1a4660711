import QuarryAnalysis
import QuarryCore
import QuarryDocument

/// What a flushed segment is, as the writer needs it for the commit.
struct FlushedSegment {
    var name: String
    var nonce: UInt64
    var docCount: Int
    var stats: CollectionStats
    /// Where each work item's documents start (work items are claimed in increasing order,
    /// so a segment's documents come in input order): the input order of every document, to
    /// let the last of several documents with one id win.
    var items: [(item: UInt32, firstDoc: Int32)]
    /// Bytes of all files of the segment.
    var bytes: Int
}

/// Inverts documents into an in-memory segment and writes it out (`flush`). One builder
/// per indexing thread; not thread-safe.
///
/// The hot state lives in `Buffers`, a struct that `add` takes out of the object, mutates
/// as a local and puts back: mutating arrays held directly by a class costs a dynamic
/// exclusivity check per access, which dominated indexing time.
final class SegmentBuilder {
    let directory: String
    let name: String
    let nonce: UInt64
    private let splitter: PassageSplitter
    private let storeLevel: Int32
    private var buffers: Buffers?
    private var store: StoreWriter?

    init(directory: String, name: String, nonce: UInt64, passages: PassageSettings, storeLevel: Int32 = 3) {
        self.directory = directory
        self.name = name
        self.nonce = nonce
        self.splitter = PassageSplitter(settings: passages)
        self.storeLevel = storeLevel
        buffers = Buffers()
    }

    deinit { buffers?.free() }

    var docCount: Int { buffers?.docCount ?? 0 }
    var isEmpty: Bool { docCount == 0 }

    /// Memory held (for the RAM budget): allocated capacities, not just what is used.
    var memoryBytes: Int { buffers?.memoryBytes ?? 0 }

    private func path(_ kind: IndexFileKind) -> String { directory + "/" + name + "." + kind.fileExtension }

    /// Adds a document. `origin` names what it came from (see `DocumentFeed`); `sequence`
    /// orders documents across threads.
    func add(_ article: Article, origin: String, sequence: UInt64, cache: TermCache) throws {
        if store == nil {
            store = try StoreWriter(path: path(.store), nonce: nonce, level: storeLevel)
        }
        guard var b = buffers else { throw IndexError.internalError("segment builder used after flush") }
        buffers = nil  // `b` is now the only reference: no copy on write
        defer { buffers = b }
        let spans: [PassageSpan] = {
            var body = article.body
            return body.withUTF8 { splitter.split(UnsafeRawBufferPointer($0), blocks: article.blocks) }
        }()
        b.add(article, spans: spans, origin: origin, sequence: sequence, cache: cache)
        try store?.add { block in
            StoredText.encode(body: article.body, blocks: article.blocks, passages: spans, into: &block)
        }
    }

    /// Removes whatever was written for an unfinished segment.
    func discard() {
        store = nil
        for kind in SegmentFiles.kinds { try? FileSystem.remove(path(kind)) }
    }

    /// Writes every file of the segment durably (they are not visible to readers until a
    /// manifest names the segment). The builder is spent afterwards.
    func flush(cache: TermCache) throws -> FlushedSegment {
        guard let store, let b = buffers else { throw IndexError.internalError("flush of an empty segment") }
        try store.finish()
        var output = SegmentOutput(directory: directory, name: name, nonce: nonce)
        output.record(.store, store.file)
        let flushed = try b.write(into: &output, terms: cache.terms)
        b.free()
        buffers = nil
        return flushed
    }

    /// The in-memory segment.
    struct Buffers {
        var pool = SlicePool()
        /// Per segment term: its stream and statistics.
        var terms = RawBuffer<TermState>(capacity: 1 << 12)
        /// Term cache id → segment term id (-1 when the term is not in this segment yet).
        var termOfCacheID = RawBuffer<Int32>(capacity: 1 << 12)

        var docCount = 0
        var titleLengths: [UInt32] = []
        var bodyLengths: [UInt32] = []
        var passageData = ByteWriter()
        var passageOffsets: [UInt32] = [0]
        var idBytes: [UInt8] = []
        var idOffsets: [UInt32] = [0]
        var items: [(item: UInt32, firstDoc: Int32)] = []
        /// The origin of each document (an index into `origins`).
        var docOrigin: [UInt32] = []
        var origins: [String] = []
        var originIndex: [String: UInt32] = [:]
        var stats = CollectionStats()
        var inverter = DocumentInverter()
        /// Titles, paths and dates (`.sum`).
        var summaries = SummariesWriter()

        /// Releases the raw buffers.
        func free() {
            pool.free()
            terms.free()
            termOfCacheID.free()
            inverter.free()
        }

        var memoryBytes: Int {
            pool.used + terms.memoryBytes + termOfCacheID.memoryBytes + inverter.memoryBytes
                + titleLengths.capacity * 8 + passageOffsets.capacity * 4 + passageData.bytes.capacity
                + idBytes.capacity + idOffsets.capacity * 4 + docOrigin.capacity * 4 + summaries.memoryBytes
        }

        /// The segment term id of a cache term id, adding the term to the segment when new.
        @inline(__always)
        mutating func segmentTerm(_ cacheID: Int32) -> Int {
            let c = Int(cacheID)
            if c >= termOfCacheID.count {
                termOfCacheID.append(repeating: -1, count: max(c + 1 - termOfCacheID.count, termOfCacheID.count / 2 + 1024))
            }
            let t = termOfCacheID[c]
            if t >= 0 { return Int(t) }
            let id = terms.count
            terms.append(pool.newTerm(cacheID: cacheID))
            termOfCacheID[c] = Int32(id)
            return id
        }

        mutating func add(
            _ article: Article, spans: [PassageSpan], origin: String, sequence seq: UInt64,
            cache: TermCache
        ) {
            let doc = docCount
            inverter.invert(title: article.title, body: article.body, spans: spans, cache: cache)

            // Passage boundaries (nothing for the implicit single passage).
            SegmentFiles.encodePassageRecord(inverter.passages, implicit: inverter.passagesAreImplicit, into: &passageData)
            passageOffsets.append(UInt32(truncatingIfNeeded: passageData.count))

            // Postings: per term, doc delta and title flag, tfs, positions (delta-coded per field).
            let positions = inverter.positions
            let groups = inverter.groups
            for gi in 0..<groups.count {
                let g = groups[gi]
                let index = segmentTerm(g.term)  // may grow `terms`: take the pointer after
                let t = terms.base + index
                let delta = UInt32(doc - Int(t.pointee.lastDoc))
                t.pointee.lastDoc = Int32(doc)
                pool.appendVarint(t, delta << 1 | (g.tfTitle > 0 ? 1 : 0))
                if g.tfTitle > 0 { pool.appendVarint(t, g.tfTitle) }
                pool.appendVarint(t, g.tfBody)
                var previous: UInt32 = 0
                let titleEnd = g.positionStart + Int(g.tfTitle)
                for o in g.positionStart..<titleEnd {
                    pool.appendVarint(t, positions[o] - previous)
                    previous = positions[o]
                }
                previous = 0
                for o in titleEnd..<(titleEnd + Int(g.tfBody)) {
                    pool.appendVarint(t, positions[o] - previous)
                    previous = positions[o]
                }
                t.pointee.df += 1
                if g.tfTitle > 0 { t.pointee.dfTitle += 1 }
                if g.tfBody > 0 { t.pointee.dfBody += 1 }
                t.pointee.passageDf += g.passages
            }

            titleLengths.append(UInt32(inverter.titleLength))
            bodyLengths.append(UInt32(inverter.bodyLength))
            stats.add(
                titleLength: inverter.titleLength, bodyLength: inverter.bodyLength,
                passages: inverter.passages.count, passageLength: inverter.passageLengthSum)
            summaries.add(title: article.title, path: article.path, date: article.date)
            var id = article.id
            id.withUTF8 { idBytes.append(contentsOf: $0) }
            idOffsets.append(UInt32(truncatingIfNeeded: idBytes.count))
            let item = UInt32(truncatingIfNeeded: seq >> 32)
            if items.last?.item != item { items.append((item, Int32(doc))) }
            if let o = originIndex[origin] {
                docOrigin.append(o)
            } else {
                let o = UInt32(origins.count)
                origins.append(origin)
                originIndex[origin] = o
                docOrigin.append(o)
            }
            docCount += 1
        }
        /// Writes every file of the segment.
        func write(into output: inout SegmentOutput, terms: ByteStringTable) throws -> FlushedSegment {
            // Terms in byte order.
            let termCount = self.terms.count
            var order = [(UInt64, Int32)]()
            order.reserveCapacity(termCount)
            for t in 0..<termCount {
                let prefix = terms.withKey(Int(self.terms[t].cacheID)) { k -> UInt64 in
                    var v: UInt64 = 0
                    for i in 0..<8 { v = v << 8 | UInt64(i < k.count ? k[i] : 0) }
                    return v
                }
                order.append((prefix, Int32(t)))
            }
            order.sort { a, b in
                if a.0 != b.0 { return a.0 < b.0 }
                return terms.withKey(Int(self.terms[Int(a.1)].cacheID)) { ka in
                    terms.withKey(Int(self.terms[Int(b.1)].cacheID)) { kb in compareBytes(ka, kb) < 0 }
                }
            }

            let docFile = try output.create(.postings)
            let posFile = try output.create(.positions)
            var dictionary = TermDictionaryWriter()
            var encoder = PostingsEncoder()
            defer { encoder.free() }
            for (_, t32) in order {
                let t = Int(t32)
                let state = self.terms[t]
                let count = Int(state.df)
                encoder.begin(df: count)
                var reader = SliceReader(pool: pool, term: state)
                var doc: Int64 = -1
                for _ in 0..<count {
                    let code = reader.varint()
                    doc += Int64(code >> 1)
                    let tfT = code & 1 == 1 ? reader.varint() : 0
                    let tfB = reader.varint()
                    encoder.add(
                        doc: UInt32(doc), tfTitle: tfT, tfBody: tfB,
                        lengthTitle: titleLengths[Int(doc)], lengthBody: bodyLengths[Int(doc)])
                    // The in-memory positions are already in the file's encoding.
                    reader.copyVarints(Int(tfT + tfB), into: &encoder.positions)
                }
                encoder.finish()
                let info = TermInfo(
                    df: count, dfTitle: Int(state.dfTitle), dfBody: Int(state.dfBody), passageDf: Int(state.passageDf),
                    docOffset: docFile.offset - FileEnvelope.headerSize, docLength: encoder.docBytes.count,
                    posOffset: posFile.offset - FileEnvelope.headerSize, posLength: encoder.positions.count)
                try docFile.write(encoder.docBytes.bytes)
                try posFile.write(encoder.positions.bytes)
                terms.withKey(Int(state.cacheID)) { dictionary.add($0, info) }
            }
            try output.finish(.postings, docFile)
            try output.finish(.positions, posFile)
            try output.write(.terms, body: dictionary.finish())
            try output.write(.lengths, body: SegmentFiles.encodeLengths(title: titleLengths, body: bodyLengths))
            try output.write(.passages, body: SegmentFiles.encodePassages(offsets: passageOffsets, data: passageData.bytes))
            try output.write(.ids, parts: SegmentFiles.encodeIDParts(bytes: idBytes, offsets: idOffsets))
            try output.write(.meta, body: SegmentFiles.encodeOrigins(origins, docOrigin: docOrigin))
            try output.write(.summaries, body: summaries.finish())
            try output.write(.segmentInfo, body: SegmentFiles.encodeInfo(docCount: docCount, stats: stats, termCount: termCount))
            try output.finishChecksums()
            return FlushedSegment(
                name: output.name, nonce: output.nonce, docCount: docCount, stats: stats,
                items: items, bytes: output.bytes)
        }
    }
}
