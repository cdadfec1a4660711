#if canImport(Glibc)
import Glibc
#endif
import QuarryCore

/// One segment of an open snapshot: its memory-mapped files and their readers.
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
    let deletions: DeletionsReader?
    private let postingsBody: UnsafeRawBufferPointer
    private let positionsBody: UnsafeRawBufferPointer
    private let files: [MappedFile]
    private let postingsName: String
    /// Checksum verification of the large files, done on first use.
    private let checks: [IndexFileKind: LazyVerification]

    /// Files up to this size are verified when the segment is opened; larger ones the first
    /// time a search reads them. Segment info, lengths (every search scores with them) and
    /// source metadata (searches never read it) are always verified at open. Tests lower the
    /// size with QUARRY_EAGER_VERIFY_BYTES to exercise the lazy path.
    static let eagerVerificationBytes: Int = {
        if let v = getenv("QUARRY_EAGER_VERIFY_BYTES"), let n = Int(String(cString: v)) { return n }
        return 1 << 20
    }()

    /// Opens the segment's files. With `verify`, every file's checksum is checked: small
    /// files now, large files on first use.
    init(directory: String, entry: SegmentEntry, verify: Bool) throws {
        self.entry = entry
        self.directory = directory
        var mapped: [IndexFileKind: (MappedFile, UnsafeRawBufferPointer)] = [:]
        var all: [MappedFile] = []
        var checks: [IndexFileKind: LazyVerification] = [:]
        for kind in SegmentFiles.kinds {
            let path = directory + "/" + entry.name + "." + kind.fileExtension
            let file = try MappedFile(path: path)
            let eager = verify && (file.count <= SegmentReader.eagerVerificationBytes || kind == .lengths || kind == .segmentInfo || kind == .meta)
            let body = try FileEnvelope.open(file.bytes, kind: kind, name: path, verifyChecksum: eager)
            checks[kind] = LazyVerification(path: path, alreadyVerified: eager || !verify)
            guard FileEnvelope.nonce(file.bytes) == entry.nonce else {
                throw FormatError(file: path, offset: 8, message: "file belongs to another segment (nonce mismatch)")
            }
            mapped[kind] = (file, body)
            all.append(file)
        }
        func body(_ k: IndexFileKind) -> UnsafeRawBufferPointer { mapped[k]?.1 ?? UnsafeRawBufferPointer(start: nil, count: 0) }
        func name(_ k: IndexFileKind) -> String { directory + "/" + entry.name + "." + k.fileExtension }
        info = try SegmentFiles.decodeInfo(body(.segmentInfo), name: name(.segmentInfo))
        guard info.docCount == entry.documents else {
            throw FormatError(file: name(.segmentInfo), offset: FileEnvelope.headerSize, message: "holds \(info.docCount) documents, the manifest says \(entry.documents)")
        }
        postingsBody = body(.postings)
        positionsBody = body(.positions)
        postingsName = name(.postings)
        dictionary = try TermDictionaryReader(body: body(.terms), name: name(.terms), docLimit: postingsBody.count, posLimit: positionsBody.count)
        lengths = try LengthsReader(body(.lengths), name: name(.lengths), docCount: info.docCount)
        passages = try PassagesReader(body(.passages), name: name(.passages), docCount: info.docCount)
        ids = try IDsReader(body(.ids), name: name(.ids), docCount: info.docCount)
        if let (file, _) = mapped[.store] {
            store = try StoreReader(file: file, name: name(.store), verify: false)
        } else {
            throw FormatError(file: name(.store), offset: 0, message: "missing")
        }
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
                throw FormatError(file: path, offset: FileEnvelope.headerSize, message: "holds \(reader.deletedCount) deletions, the manifest says \(entry.deleted)")
            }
            deletions = reader
            all.append(file)
        } else {
            guard entry.deleted == 0 else { throw IndexError.internalError("segment \(entry.name) has deletions but no deletions file") }
            deletions = nil
        }
        files = all
        self.checks = checks
    }

    /// Verifies files of these kinds (once per process), so that an operation that reads
    /// them reports any damage in them, whichever documents it ends up reading.
    package func verify(_ kinds: [IndexFileKind]) throws {
        for k in kinds { try ensureVerified(k) }
    }

    /// Verifies a lazily checked file (once).
    @inline(__always)
    func ensureVerified(_ kind: IndexFileKind) throws(FormatError) {
        try checks[kind]?.ensure()
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
    package var hasDeletions: Bool { deletions != nil }

    /// Dictionary entry of a term.
    package func termInfo(_ term: UnsafeRawBufferPointer) throws(FormatError) -> TermInfo? {
        try ensureVerified(.terms)
        return try dictionary.lookup(term)
    }

    /// Live statistics of a term (what deletions removed is subtracted).
    package func termStats(_ term: UnsafeRawBufferPointer, info: TermInfo) throws(FormatError) -> TermStats {
        let all = TermStats(df: info.df, dfTitle: info.dfTitle, dfBody: info.dfBody, passageDf: info.passageDf)
        guard let d = deletions else { return all }
        return all - (try d.termStats(term))
    }

    /// A cursor over a term's postings.
    package func postings(_ info: TermInfo) throws(FormatError) -> PostingsCursor {
        try ensureVerified(.postings)
        guard info.docOffset + info.docLength <= postingsBody.count, info.posOffset + info.posLength <= positionsBody.count else {
            throw FormatError(file: postingsName, offset: info.docOffset, message: "term postings lie outside the file")
        }
        return try PostingsCursor(
            region: UnsafeRawBufferPointer(rebasing: postingsBody[info.docOffset..<(info.docOffset + info.docLength)]),
            positions: UnsafeRawBufferPointer(rebasing: positionsBody[info.posOffset..<(info.posOffset + info.posLength)]),
            df: info.df, name: postingsName, regionOffset: FileEnvelope.headerSize + info.docOffset,
            positionsCheck: checks[.positions])
    }

    @inlinable @inline(__always) package func titleLength(_ doc: Int) -> UInt32 { lengths.titleLength(doc) }
    @inlinable @inline(__always) package func bodyLength(_ doc: Int) -> UInt32 { lengths.bodyLength(doc) }
    /// Title + body length (the flat form's document length).
    @inlinable @inline(__always) package func flatLength(_ doc: Int) -> UInt32 { lengths.titleLength(doc) &+ lengths.bodyLength(doc) }

    /// The passages of a document (body positions and lengths). `bodyPositions` is the
    /// number of words in its body (used for the implicit single passage).
    package func passageBounds(_ doc: Int, bodyPositions: Int = Int(Int32.max), into out: inout [PassageBounds]) throws(FormatError) {
        try ensureVerified(.passages)
        try passages.passages(doc, bodyPositions: bodyPositions, bodyLength: Int(lengths.bodyLength(doc)), into: &out)
    }

    /// External id of a document.
    package func externalID(_ doc: Int) throws -> String {
        try ensureVerified(.ids)
        return try ids.id(doc)
    }

    /// Calls `body` with the id bytes of a document.
    package func withExternalID<R>(_ doc: Int, _ body: (UnsafeRawBufferPointer) -> R) throws -> R {
        try ensureVerified(.ids)
        return try ids.withID(doc, body)
    }

    /// Position of a document in the segment's id order: comparing ranks compares ids.
    @inline(__always) package func idRank(_ doc: Int) -> UInt32 { ids.rank(doc) }

    /// The id ranks (see `idRank`) of the documents whose external id starts with `prefix`
    /// (UTF-8 bytes): a contiguous range, since ranks follow byte order.
    package func idRanks(withPrefix prefix: [UInt8]) throws -> Range<UInt32> {
        try ensureVerified(.ids)
        let r = try ids.ranks(withPrefix: prefix)
        return UInt32(r.lowerBound)..<UInt32(r.upperBound)
    }

    /// The ids in sorted order (live or not).
    func sortedIDs() throws(FormatError) -> IDCursor {
        try ensureVerified(.ids)
        return ids.sortedCursor()
    }

    /// Documents (live or not) with an external id.
    package func documents(withID id: String) throws -> [Int] {
        try ensureVerified(.ids)
        var id = id
        return try id.withUTF8 { try ids.documents(withID: UnsafeRawBufferPointer($0)) }
    }

    /// The stored document.
    package func storedDocument(_ doc: Int) throws -> StoredDocument {
        try ensureVerified(.store)
        return try store.document(doc)
    }

    /// Reads the origins file (writers, merges and checks only).
    func origins() throws -> OriginsReader {
        try ensureVerified(.meta)
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
