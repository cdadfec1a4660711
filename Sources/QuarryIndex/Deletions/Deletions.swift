import QuarryCore

/// The deleted documents of a segment as of one commit, and exactly what they had added
/// to the statistics, so that a search after deletions scores like a fresh build of the
/// remaining documents.
///
/// File (`NAME_GEN.del`) body: document count (u32), deleted count (u32), bitmap words (u32),
/// reserved (u32), the deleted documents' `CollectionStats` (8 × u64), the bitmap (u64 words,
/// bit d%64 of word d/64 set when document d is deleted), then a term dictionary (the `.tdx`
/// layout) whose entries carry the deleted documents' df, title df, body df and passage df
/// per term (postings lengths 0).
struct Deletions {
    let docCount: Int
    private(set) var bitmap: [UInt64]
    private(set) var deletedCount = 0
    /// Sum of the deleted documents' contributions.
    var stats = CollectionStats()
    /// Per term: the deleted documents' contributions.
    var terms = DeletedTermTable()

    init(docCount: Int) {
        self.docCount = docCount
        bitmap = [UInt64](repeating: 0, count: (docCount + 63) / 64)
    }

    @inline(__always) func isDeleted(_ doc: Int) -> Bool {
        bitmap[doc >> 6] & (1 << UInt64(doc & 63)) != 0
    }

    /// Marks a document; returns false when it was already deleted.
    mutating func mark(_ doc: Int) -> Bool {
        if isDeleted(doc) { return false }
        bitmap[doc >> 6] |= 1 << UInt64(doc & 63)
        deletedCount += 1
        return true
    }

    func encode() -> [UInt8] {
        var w = ByteWriter(capacity: 96 + bitmap.count * 8)
        w.u32(UInt32(docCount))
        w.u32(UInt32(deletedCount))
        w.u32(UInt32(bitmap.count))
        w.u32(0)
        stats.encode(into: &w)
        for word in bitmap { w.u64(word) }
        var dict = TermDictionaryWriter()
        for (term, s) in terms.sorted() {
            term.withUnsafeBytes {
                dict.add(
                    $0,
                    TermInfo(
                        df: s.df, dfTitle: s.dfTitle, dfBody: s.dfBody, passageDf: s.passageDf,
                        docOffset: 0, docLength: 0, posOffset: 0, posLength: 0))
            }
        }
        w.append(dict.finish())
        return w.bytes
    }
}

/// Deleted-term statistics while they are being accumulated.
struct DeletedTermTable {
    private var table = ByteStringTable(capacity: 1024)
    private var values: [TermStats] = []

    var count: Int { values.count }

    mutating func add(_ term: UnsafeRawBufferPointer, _ s: TermStats) {
        let (id, inserted) = table.insert(term)
        if inserted { values.append(s) } else { values[id] = values[id] + s }
    }

    func sorted() -> [([UInt8], TermStats)] {
        var all = (0..<values.count).map { (table.key($0), values[$0]) }
        all.sort { a, b in a.0.withUnsafeBytes { x in b.0.withUnsafeBytes { y in compareBytes(x, y) < 0 } } }
        return all
    }
}

/// A deletions file opened for reading.
struct DeletionsReader: @unchecked Sendable {
    // @unchecked: a view of immutable mapped bytes owned by the segment reader.
    let name: String
    let docCount: Int
    let deletedCount: Int
    let stats: CollectionStats
    private let bitmap: UnsafeRawBufferPointer
    let terms: TermDictionaryReader

    init(_ body: UnsafeRawBufferPointer, name: String, docCount expected: Int) throws(FormatError) {
        self.name = name
        var r = ByteReader(body, fileOffset: FileEnvelope.headerSize, context: name)
        docCount = Int(try r.u32())
        deletedCount = Int(try r.u32())
        let words = Int(try r.u32())
        _ = try r.u32()
        stats = try CollectionStats.decode(&r)
        guard docCount == expected, words == (docCount + 63) / 64, deletedCount <= docCount, stats.documents == deletedCount else {
            throw FormatError(
                file: name, offset: FileEnvelope.headerSize, message: "deletions header does not match the segment (\(expected) documents)")
        }
        bitmap = try r.bytes(words * 8)
        let rest = UnsafeRawBufferPointer(rebasing: body[r.position...])
        terms = try TermDictionaryReader(body: rest, name: name, docLimit: 0, posLimit: 0)
        var count = 0
        for i in 0..<words { count += UInt64(littleEndian: bitmap.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)).nonzeroBitCount }
        guard count == deletedCount else {
            throw FormatError(
                file: name, offset: FileEnvelope.headerSize + 80, message: "bitmap holds \(count) deletions, header says \(deletedCount)")
        }
    }

    @inline(__always) func isDeleted(_ doc: Int) -> Bool {
        let word = UInt64(littleEndian: bitmap.loadUnaligned(fromByteOffset: (doc >> 6) * 8, as: UInt64.self))
        return word & (1 << UInt64(doc & 63)) != 0
    }

    /// The bitmap's words (see `DocumentView`).
    var bitmapBase: UnsafeRawPointer? { bitmap.baseAddress }

    /// The deleted documents' contribution to a term's statistics.
    func termStats(_ term: UnsafeRawBufferPointer) throws(FormatError) -> TermStats {
        guard let info = try terms.lookup(term) else { return TermStats() }
        return TermStats(df: info.df, dfTitle: info.dfTitle, dfBody: info.dfBody, passageDf: info.passageDf)
    }

    /// The bitmap and statistics as a mutable `Deletions` (terms loaded too).
    func load() throws(FormatError) -> Deletions {
        var d = Deletions(docCount: docCount)
        for doc in 0..<docCount where isDeleted(doc) { _ = d.mark(doc) }
        d.stats = stats
        if terms.blockCount > 0 {
            var cursor = try TermDictionaryReader.TermCursor(terms, block: 0)
            while let info = try cursor.next() {
                cursor.key.withUnsafeBytes {
                    d.terms.add($0, TermStats(df: info.df, dfTitle: info.dfTitle, dfBody: info.dfBody, passageDf: info.passageDf))
                }
            }
        }
        return d
    }
}
