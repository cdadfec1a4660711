import QuarryAnalysis
import QuarryCore
import QuarryIngest

/// What a flushed segment is, as the writer needs it for the commit.
struct FlushedSegment {
    var name: String
    var nonce: UInt64
    var docCount: Int
    var stats: CollectionStats
    /// External ids in document order (bytes + offsets), and the input sequence number of
    /// each document (to let the last of several documents with one id win).
    var idBytes: [UInt8]
    var idOffsets: [UInt32]
    var sequence: [UInt64]
    /// Bytes of all files of the segment.
    var bytes: Int
}

/// Inverts documents into an in-memory segment and writes it out (`flush`). One builder
/// per indexing thread; not thread-safe.
final class SegmentBuilder {
    let directory: String
    let name: String
    let nonce: UInt64
    private let cache: TermCache
    private let splitter: PassageSplitter
    private let storeLevel: Int32

    private var pool = SlicePool()
    private var streams = SliceStreams()
    /// Term cache id → segment term id (-1 when the term is not in this segment yet).
    private var termOfCacheID: [Int32] = []
    private var cacheIDOfTerm: [Int32] = []
    private var lastDoc: [Int32] = []
    private var df: [UInt32] = []
    private var dfTitle: [UInt32] = []
    private var dfBody: [UInt32] = []
    private var passageDf: [UInt32] = []

    private(set) var docCount = 0
    private var titleLengths: [UInt32] = []
    private var bodyLengths: [UInt32] = []
    private var passageData = ByteWriter()
    private var passageOffsets: [UInt32] = [0]
    private var idBytes: [UInt8] = []
    private var idOffsets: [UInt32] = [0]
    private var sequence: [UInt64] = []
    private var docSource: [UInt32] = []
    private var docHash: [UInt64] = []
    private var sources: [String] = []
    private var sourceIndex: [String: UInt32] = [:]
    private(set) var stats = CollectionStats()
    private var store: StoreWriter?

    private let inverter: DocumentInverter
    private var record = ByteWriter(capacity: 1 << 14)

    init(directory: String, name: String, nonce: UInt64, cache: TermCache, passages: PassageSettings, storeLevel: Int32 = 3) {
        self.directory = directory
        self.name = name
        self.nonce = nonce
        self.cache = cache
        self.inverter = DocumentInverter(cache: cache)
        self.splitter = PassageSplitter(settings: passages)
        self.storeLevel = storeLevel
    }

    /// Approximate memory held (for the RAM budget).
    var memoryBytes: Int {
        pool.used + streams.count * 13 + termOfCacheID.capacity * 4 + lastDoc.count * 24
            + docCount * 40 + idBytes.count + passageData.count
    }

    var isEmpty: Bool { docCount == 0 }

    private func path(_ kind: IndexFileKind) -> String { directory + "/" + name + "." + kind.fileExtension }

    /// The segment term id of a cache term id, adding the term to the segment when new.
    @inline(__always)
    private func segmentTerm(_ cacheID: Int32) -> Int {
        let c = Int(cacheID)
        if c >= termOfCacheID.count {
            termOfCacheID.append(contentsOf: repeatElement(-1, count: max(c + 1 - termOfCacheID.count, termOfCacheID.count / 2 + 1024)))
        }
        let t = termOfCacheID[c]
        if t >= 0 { return Int(t) }
        let id = streams.add(&pool)
        termOfCacheID[c] = Int32(id)
        cacheIDOfTerm.append(cacheID)
        lastDoc.append(-1)
        df.append(0)
        dfTitle.append(0)
        dfBody.append(0)
        passageDf.append(0)
        return id
    }

    /// Adds a document. `source` is the file it came from; `contentHash` fingerprints its
    /// content; `sequence` orders documents across threads.
    func add(_ article: Article, source: String, contentHash: UInt64, sequence seq: UInt64) throws {
        if store == nil {
            store = try StoreWriter(path: path(.store), nonce: nonce, level: storeLevel)
        }
        let doc = docCount
        let spans: [PassageSpan] = {
            var body = article.body
            return body.withUTF8 { splitter.split(UnsafeRawBufferPointer($0), blocks: article.blocks) }
        }()
        inverter.invert(title: article.title, body: article.body, spans: spans)

        // Passage boundaries (nothing for the implicit single passage).
        if !inverter.passagesAreImplicit {
            passageData.varint(inverter.passages.count)
            var previousStart = 0
            for p in inverter.passages {
                passageData.varint(p.start - previousStart)
                passageData.varint(p.end - p.start)
                passageData.varint(p.length)
                previousStart = p.start
            }
        }
        passageOffsets.append(UInt32(truncatingIfNeeded: passageData.count))

        // Postings: per term, doc delta and title flag, tfs, positions (delta-coded per field).
        inverter.positions.withUnsafeBufferPointer { positions in
            for g in inverter.groups {
                let term = segmentTerm(g.term)
                let delta = UInt32(doc - Int(lastDoc[term]))
                lastDoc[term] = Int32(doc)
                streams.appendVarint(term, delta << 1 | (g.tfTitle > 0 ? 1 : 0), &pool)
                if g.tfTitle > 0 { streams.appendVarint(term, g.tfTitle, &pool) }
                streams.appendVarint(term, g.tfBody, &pool)
                var previous: UInt32 = 0
                let titleEnd = g.positionStart + Int(g.tfTitle)
                for o in g.positionStart..<titleEnd {
                    streams.appendVarint(term, positions[o] - previous, &pool)
                    previous = positions[o]
                }
                previous = 0
                for o in titleEnd..<(titleEnd + Int(g.tfBody)) {
                    streams.appendVarint(term, positions[o] - previous, &pool)
                    previous = positions[o]
                }
                df[term] += 1
                if g.tfTitle > 0 { dfTitle[term] += 1 }
                if g.tfBody > 0 { dfBody[term] += 1 }
                passageDf[term] += g.passages
            }
        }

        titleLengths.append(UInt32(inverter.titleLength))
        bodyLengths.append(UInt32(inverter.bodyLength))
        stats.add(titleLength: inverter.titleLength, bodyLength: inverter.bodyLength,
                  passages: inverter.passages.count, passageLength: inverter.passageLengthSum)
        var id = article.id
        id.withUTF8 { idBytes.append(contentsOf: $0) }
        idOffsets.append(UInt32(truncatingIfNeeded: idBytes.count))
        sequence.append(seq)
        if let s = sourceIndex[source] {
            docSource.append(s)
        } else {
            let s = UInt32(sources.count)
            sources.append(source)
            sourceIndex[source] = s
            docSource.append(s)
        }
        docHash.append(contentHash)
        record.removeAll()
        StoredDocument.encode(id: article.id, path: article.path, title: article.title, body: article.body,
                              blocks: article.blocks, passages: spans, into: &record)
        try store?.add(record)
        docCount += 1
    }

    /// Removes whatever was written for an unfinished segment.
    func discard() {
        store = nil
        for kind in SegmentFiles.kinds { try? FileSystem.remove(path(kind)) }
    }

    /// Writes every file of the segment durably (they are not visible to readers until a
    /// manifest names the segment).
    func flush() throws -> FlushedSegment {
        guard let store else { throw IndexError.internalError("flush of an empty segment") }
        try store.finish()
        var bytes = store.bytesWritten

        // Terms in byte order.
        let termCount = streams.count
        var order = [(UInt64, Int32)]()
        order.reserveCapacity(termCount)
        for t in 0..<termCount {
            let prefix = cache.terms.withKey(Int(cacheIDOfTerm[t])) { k -> UInt64 in
                var v: UInt64 = 0
                for i in 0..<8 { v = v << 8 | UInt64(i < k.count ? k[i] : 0) }
                return v
            }
            order.append((prefix, Int32(t)))
        }
        let terms = cache.terms
        order.sort { a, b in
            if a.0 != b.0 { return a.0 < b.0 }
            return terms.withKey(Int(cacheIDOfTerm[Int(a.1)])) { ka in
                terms.withKey(Int(cacheIDOfTerm[Int(b.1)])) { kb in compareBytes(ka, kb) < 0 }
            }
        }

        let docFile = try OutputFile(path: path(.postings))
        let posFile = try OutputFile(path: path(.positions))
        try FileEnvelope.writeHeader(.postings, nonce: nonce, to: docFile)
        try FileEnvelope.writeHeader(.positions, nonce: nonce, to: posFile)
        var dictionary = TermDictionaryWriter()
        var encoder = PostingsEncoder()
        var titlePositions: [UInt32] = []
        var bodyPositions: [UInt32] = []
        for (_, t32) in order {
            let t = Int(t32)
            let count = Int(df[t])
            encoder.begin(df: count)
            var reader = SliceReader(pool: pool, streams: streams, stream: t)
            var doc: Int64 = -1
            for _ in 0..<count {
                let code = reader.varint()
                doc += Int64(code >> 1)
                let tfT = code & 1 == 1 ? reader.varint() : 0
                let tfB = reader.varint()
                titlePositions.removeAll(keepingCapacity: true)
                bodyPositions.removeAll(keepingCapacity: true)
                var p: UInt32 = 0
                for _ in 0..<tfT {
                    p += reader.varint()
                    titlePositions.append(p)
                }
                p = 0
                for _ in 0..<tfB {
                    p += reader.varint()
                    bodyPositions.append(p)
                }
                titlePositions.withUnsafeBufferPointer { tp in
                    bodyPositions.withUnsafeBufferPointer { bp in
                        encoder.add(doc: UInt32(doc), titlePositions: tp, bodyPositions: bp,
                                    lengthTitle: titleLengths[Int(doc)], lengthBody: bodyLengths[Int(doc)])
                    }
                }
            }
            encoder.finish()
            let info = TermInfo(
                df: count, dfTitle: Int(dfTitle[t]), dfBody: Int(dfBody[t]), passageDf: Int(passageDf[t]),
                docOffset: docFile.offset - FileEnvelope.headerSize, docLength: encoder.docBytes.count,
                posOffset: posFile.offset - FileEnvelope.headerSize, posLength: encoder.posBytes.count)
            try docFile.write(encoder.docBytes)
            try posFile.write(encoder.posBytes)
            terms.withKey(Int(cacheIDOfTerm[t])) { dictionary.add($0, info) }
        }
        try FileEnvelope.finish(docFile)
        try FileEnvelope.finish(posFile)
        bytes += docFile.offset + posFile.offset
        bytes += try writeFile(.terms, dictionary.finish())
        bytes += try writeFile(.lengths, SegmentFiles.encodeLengths(title: titleLengths, body: bodyLengths))
        bytes += try writeFile(.passages, SegmentFiles.encodePassages(offsets: passageOffsets, data: passageData.bytes))
        bytes += try writeFile(.ids, SegmentFiles.encodeIDs(bytes: idBytes, offsets: idOffsets))
        bytes += try writeFile(.meta, SegmentFiles.encodeMeta(sources: sources, docSource: docSource, docHash: docHash))
        bytes += try writeFile(.segmentInfo, SegmentFiles.encodeInfo(docCount: docCount, stats: stats, termCount: termCount))
        return FlushedSegment(name: name, nonce: nonce, docCount: docCount, stats: stats,
                              idBytes: idBytes, idOffsets: idOffsets, sequence: sequence, bytes: bytes)
    }

    private func writeFile(_ kind: IndexFileKind, _ body: [UInt8]) throws -> Int {
        let file = try OutputFile(path: path(kind))
        try FileEnvelope.writeHeader(kind, nonce: nonce, to: file)
        try file.write(body)
        try FileEnvelope.finish(file)
        return body.count + FileEnvelope.headerSize + FileEnvelope.footerSize
    }
}
