import QuarryCore

#if canImport(Glibc)
import Glibc
#endif

/// One segment of an open snapshot: its memory-mapped files and their readers.
///
/// Damage detection (docs/FORMAT.md, "Checksums"): opened with `verify`, the segment's
/// `.chk` (checksums of every 64 KiB block of its other files) is verified whole and
/// checked against the files' sizes; small files are verified whole at once; every other
/// read goes through a reader that verifies the blocks it touches first, once per process.
/// The whole-file checksum in each footer is verified by `verifyWholeFiles` (checks, merges).
package final class SegmentReader: @unchecked Sendable {
    // @unchecked: every stored property is immutable after init; mapped files are read-only.
    package let entry: SegmentEntry
    package let directory: String
    let info: SegmentFiles.Info
    let dictionary: TermDictionaryReader
    @usableFromInline let lengths: LengthsReader
    let passages: PassagesReader
    let ids: IDsReader
    let store: StoreReader
    let summaries: SummariesReader
    let deletions: DeletionsReader?
    private let postingsBody: UnsafeRawBufferPointer
    private let positionsBody: UnsafeRawBufferPointer
    private let files: [MappedFile]
    private let postingsName: String
    /// Whole-file checksums (the footers), verified on request.
    private let wholeFiles: [IndexFileKind: LazyVerification]
    /// Block verifiers of the covered files (empty when opened without verification).
    private let blocks: [IndexFileKind: BlockVerifier]
    private let postingsVerifier: BlockVerifier?
    private let positionsVerifier: BlockVerifier?
    /// What every scoring search reads: lengths, id ranks (verified once, on first use).
    private let scoringReady = LazyOnce()

    /// Files up to this size are verified whole when the segment is opened (one block);
    /// larger ones block by block as they are read. Segment info and origins are always
    /// verified at open. Tests lower the size with QUARRY_EAGER_VERIFY_BYTES to exercise
    /// the block path on small indexes.
    static let eagerVerificationBytes: Int = {
        if let v = getenv("QUARRY_EAGER_VERIFY_BYTES"), let n = Int(String(cString: v)) { return n }
        return BlockChecksums.blockBytes
    }()

    /// Opens the segment's files. With `verify`, reads are verified against `.chk` (see the
    /// type's description).
    init(directory: String, entry: SegmentEntry, verify: Bool) throws {
        self.entry = entry
        self.directory = directory
        var mapped: [IndexFileKind: (MappedFile, UnsafeRawBufferPointer)] = [:]
        var all: [MappedFile] = []
        var whole: [IndexFileKind: LazyVerification] = [:]
        func name(_ k: IndexFileKind) -> String { directory + "/" + entry.name + "." + k.fileExtension }
        for kind in SegmentFiles.kinds {
            let path = name(kind)
            let file = try MappedFile(path: path)
            let body = try FileEnvelope.open(file.bytes, kind: kind, name: path, verifyChecksum: verify && kind == .checksums)
            guard FileEnvelope.nonce(file.bytes) == entry.nonce else {
                throw FormatError(file: path, offset: 8, message: "file belongs to another segment (nonce mismatch)")
            }
            whole[kind] = LazyVerification(path: path, alreadyVerified: !verify || kind == .checksums)
            mapped[kind] = (file, body)
            all.append(file)
        }
        func body(_ k: IndexFileKind) -> UnsafeRawBufferPointer { mapped[k]?.1 ?? UnsafeRawBufferPointer(start: nil, count: 0) }
        var verifiers: [IndexFileKind: BlockVerifier] = [:]
        if verify {
            let (shift, covered) = try BlockChecksums.decode(body(.checksums), name: name(.checksums))
            for kind in SegmentFiles.covered {
                guard let (file, _) = mapped[kind], let c = covered[kind] else {
                    throw FormatError(
                        file: name(.checksums), offset: FileEnvelope.headerSize,
                        message: "has no checksums for the \(kind.fileExtension) file")
                }
                guard c.length == file.count else {
                    throw FormatError(
                        file: name(kind), offset: 0,
                        message: "is \(file.count) bytes long, its checksums cover \(c.length): the file is damaged or truncated")
                }
                let v = BlockVerifier(path: name(kind), file: file.bytes, hashes: c.hashes, shift: shift)
                if file.count <= SegmentReader.eagerVerificationBytes || kind == .segmentInfo || kind == .meta { try v.verifyAll() }
                verifiers[kind] = v
            }
        }
        info = try SegmentFiles.decodeInfo(body(.segmentInfo), name: name(.segmentInfo))
        guard info.docCount == entry.documents else {
            throw FormatError(
                file: name(.segmentInfo), offset: FileEnvelope.headerSize,
                message: "holds \(info.docCount) documents, the manifest says \(entry.documents)")
        }
        postingsBody = body(.postings)
        positionsBody = body(.positions)
        postingsName = name(.postings)
        postingsVerifier = verifiers[.postings]
        positionsVerifier = verifiers[.positions]
        dictionary = try TermDictionaryReader(
            body: body(.terms), name: name(.terms), docLimit: postingsBody.count, posLimit: positionsBody.count,
            verifier: verifiers[.terms])
        try verifiers[.lengths]?.verify(body: 0..<min(8, body(.lengths).count))
        lengths = try LengthsReader(body(.lengths), name: name(.lengths), docCount: info.docCount)
        passages = try PassagesReader(body(.passages), name: name(.passages), docCount: info.docCount, verifier: verifiers[.passages])
        ids = try IDsReader(body(.ids), name: name(.ids), docCount: info.docCount, verifier: verifiers[.ids])
        try verifiers[.summaries]?.verify(body: 0..<min(16, body(.summaries).count))
        summaries = try SummariesReader(body(.summaries), name: name(.summaries), docCount: info.docCount)
        guard let (storeFile, _) = mapped[.store] else { throw FormatError(file: name(.store), offset: 0, message: "missing") }
        store = try StoreReader(file: storeFile, name: name(.store), verify: false, verifier: verifiers[.store])
        guard store.docCount == info.docCount else {
            throw FormatError(file: name(.store), offset: 0, message: "holds \(store.docCount) documents, the segment \(info.docCount)")
        }
        if let d = entry.deletionsFile {
            let path = directory + "/" + d
            let file = try MappedFile(path: path)
            let b = try FileEnvelope.open(file.bytes, kind: .deletions, name: path, verifyChecksum: verify)
            guard FileEnvelope.nonce(file.bytes) == entry.nonce else {
                throw FormatError(file: path, offset: 8, message: "file belongs to another segment (nonce mismatch)")
            }
            let reader = try DeletionsReader(b, name: path, docCount: info.docCount)
            guard reader.deletedCount == entry.deleted else {
                throw FormatError(
                    file: path, offset: FileEnvelope.headerSize,
                    message: "holds \(reader.deletedCount) deletions, the manifest says \(entry.deleted)")
            }
            deletions = reader
            all.append(file)
        } else {
            guard entry.deleted == 0 else { throw IndexError.internalError("segment \(entry.name) has deletions but no deletions file") }
            deletions = nil
        }
        files = all
        wholeFiles = whole
        blocks = verifiers
    }

    /// Verifies the whole-file checksums (footers) of files of these kinds, once per process:
    /// what `quarry check` and merges do before they read everything.
    package func verifyWholeFiles(_ kinds: [IndexFileKind] = SegmentFiles.kinds) throws {
        for k in kinds { try wholeFiles[k]?.ensure() }
    }

    /// Verifies every block of every covered file against `.chk` (checks).
    func verifyAllBlocks() throws(FormatError) {
        for k in SegmentFiles.covered { try blocks[k]?.verifyAll() }
    }

    /// Verifies what every scoring search reads without a reader of its own: the lengths and
    /// the id ranks (once per process).
    package func prepareForScoring() throws {
        try scoringReady.run { () throws(FormatError) in
            try blocks[.lengths]?.verifyAll()
            try blocks[.ids]?.verify(body: ids.tableRange)
        }
    }

    /// Drops the resident pages of the segment's files (see `MappedFile.releaseResidentPages`).
    func releaseResidentPages() {
        for f in files { f.releaseResidentPages() }
    }

    package var documentCount: Int { info.docCount }
    package var liveDocumentCount: Int { info.docCount - (deletions?.deletedCount ?? 0) }

    /// Statistics of the live documents.
    package var liveStats: CollectionStats {
        if let d = deletions { return info.stats - d.stats }
        return info.stats
    }

    @inline(__always) package func isDeleted(_ doc: Int) -> Bool { deletions?.isDeleted(doc) ?? false }

    /// Field lengths and deletions as plain values, for tight loops over documents.
    package var documentView: DocumentView { DocumentView(lengths: lengths, deleted: deletions?.bitmapBase, idRanks: ids.rankTable) }
    package var hasDeletions: Bool { deletions != nil }

    /// Dictionary entry of a term.
    package func termInfo(_ term: UnsafeRawBufferPointer) throws(FormatError) -> TermInfo? {
        try dictionary.lookup(term)
    }

    /// Live statistics of a term (what deletions removed is subtracted).
    package func termStats(_ term: UnsafeRawBufferPointer, info: TermInfo) throws(FormatError) -> TermStats {
        let all = TermStats(df: info.df, dfTitle: info.dfTitle, dfBody: info.dfBody, passageDf: info.passageDf)
        guard let d = deletions else { return all }
        return all - (try d.termStats(term))
    }

    /// A cursor over a term's postings.
    package func postings(_ info: TermInfo) throws(FormatError) -> PostingsCursor {
        guard info.docOffset + info.docLength <= postingsBody.count, info.posOffset + info.posLength <= positionsBody.count else {
            throw FormatError(file: postingsName, offset: info.docOffset, message: "term postings lie outside the file")
        }
        try postingsVerifier?.verify(body: info.docOffset..<(info.docOffset + info.docLength))
        return try PostingsCursor(
            region: UnsafeRawBufferPointer(rebasing: postingsBody[info.docOffset..<(info.docOffset + info.docLength)]),
            positions: UnsafeRawBufferPointer(rebasing: positionsBody[info.posOffset..<(info.posOffset + info.posLength)]),
            df: info.df, name: postingsName, regionOffset: FileEnvelope.headerSize + info.docOffset,
            positionsVerifier: positionsVerifier, positionsRange: info.posOffset..<(info.posOffset + info.posLength))
    }

    @inlinable @inline(__always) package func titleLength(_ doc: Int) -> UInt32 { lengths.titleLength(doc) }
    @inlinable @inline(__always) package func bodyLength(_ doc: Int) -> UInt32 { lengths.bodyLength(doc) }
    /// Title + body length (the flat form's document length).
    @inlinable @inline(__always) package func flatLength(_ doc: Int) -> UInt32 { lengths.titleLength(doc) &+ lengths.bodyLength(doc) }

    /// The passages of a document (body positions and lengths). `bodyPositions` is the
    /// number of words in its body (used for the implicit single passage).
    package func passageBounds(_ doc: Int, bodyPositions: Int = Int(Int32.max), into out: inout [PassageBounds]) throws(FormatError) {
        try passages.passages(doc, bodyPositions: bodyPositions, bodyLength: Int(lengths.bodyLength(doc)), into: &out)
    }

    /// External id of a document.
    package func externalID(_ doc: Int) throws -> String {
        try ids.id(doc)
    }

    /// Calls `body` with the id bytes of a document.
    package func withExternalID<R>(_ doc: Int, _ body: (UnsafeRawBufferPointer) -> R) throws -> R {
        try ids.withID(doc, body)
    }

    /// Position of a document in the segment's id order: comparing ranks compares ids.
    @inline(__always) package func idRank(_ doc: Int) -> UInt32 { ids.rank(doc) }

    /// The id ranks (see `idRank`) of the documents whose external id starts with `prefix`
    /// (UTF-8 bytes): a contiguous range, since ranks follow byte order.
    package func idRanks(withPrefix prefix: [UInt8]) throws -> Range<UInt32> {
        try prepareForScoring()
        let r = try ids.ranks(withPrefix: prefix)
        return UInt32(r.lowerBound)..<UInt32(r.upperBound)
    }

    /// The ids in sorted order (live or not).
    func sortedIDs() throws(FormatError) -> IDCursor {
        try blocks[.ids]?.verifyAll()
        return ids.sortedCursor()
    }

    /// Documents (live or not) with an external id.
    package func documents(withID id: String) throws -> [Int] {
        var id = id
        return try id.withUTF8 { try ids.documents(withID: UnsafeRawBufferPointer($0)) }
    }

    /// The stored document: id, title, path and date, and the stored text.
    package func storedDocument(_ doc: Int) throws -> StoredDocument {
        let (title, path) = try summary(doc)
        return StoredDocument(id: try externalID(doc), path: path, title: title, date: try date(doc), text: try store.document(doc))
    }

    /// The stored text of a document (body, blocks, passages).
    func storedText(_ doc: Int) throws -> StoredText {
        try store.document(doc)
    }

    /// Title and path of a document (no store block is decompressed).
    package func summary(_ doc: Int) throws(FormatError) -> (title: String, path: String) {
        try blocks[.summaries]?.verify(body: try summaries.blockRange(doc))
        return try summaries.summary(doc)
    }

    /// The date column (verified), nil when no document of the segment has a date.
    package func dateColumn() throws(FormatError) -> DateColumn? {
        guard summaries.hasDates, let dates = summaries.dates else { return nil }
        try blocks[.summaries]?.verify(body: summaries.tableRange)
        return DateColumn(dates: dates)
    }

    /// The date of a document, if it has one.
    package func date(_ doc: Int) throws(FormatError) -> Int64? {
        guard summaries.hasDates else { return nil }
        try blocks[.summaries]?.verify(body: summaries.tableRange)
        return summaries.date(doc)
    }

    /// Reads the origins file (writers, merges and checks only).
    func origins() throws -> OriginsReader {
        let path = directory + "/" + entry.name + "." + IndexFileKind.meta.fileExtension
        let file = try MappedFile(path: path)
        let body = try FileEnvelope.open(file.bytes, kind: .meta, name: path, verifyChecksum: false)
        return try OriginsReader(body, name: path, docCount: info.docCount)
    }

    /// Number of distinct terms.
    package var termCount: Int { info.termCount }

    /// Bytes of the segment's files.
    package var fileBytes: Int { files.reduce(0) { $0 + $1.count } }

    /// Bytes per component kind.
    package func fileBytes(_ kind: IndexFileKind) -> Int {
        (try? FileSystem.status(directory + "/" + entry.name + "." + kind.fileExtension).size).map { Int($0) } ?? 0
    }

    /// Visits terms from the first one ≥ `from` (all when nil), in order, until `body` returns false.
    package func forEachTerm(from: [UInt8]? = nil, _ body: ([UInt8], TermInfo) throws -> Bool) throws {
        guard dictionary.blockCount > 0 else { return }
        var start = 0
        if let from {
            start = try from.withUnsafeBytes { try dictionary.findBlock($0) } ?? 0
        }
        var cursor = try TermDictionaryReader.TermCursor(dictionary, block: start)
        while let info = try cursor.next() {
            if let from, cursor.key.lexicographicallyPrecedes(from) { continue }
            if try !body(cursor.key, info) { return }
        }
    }
}
