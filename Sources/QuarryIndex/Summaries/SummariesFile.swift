import QuarryCore

/// Each document's title, path and date (`.sum`): what a result list shows, readable
/// without decompressing a store block (docs/FORMAT.md).
///
/// Body: documents (u32), blocks (u32, ⌈documents / 16⌉), flags (u32: bit 0 set when the
/// date column is there), reserved (u32); the offset of each block from the start of the
/// entries and, last, the entries' length ((blocks + 1) × u32); the date column when
/// flagged (documents × i64: seconds since 1970 UTC, `Int64.min` for no date); the entries,
/// 16 documents per block in document order. A block's first document is its title and
/// path (2 strings); each later one the length of the title prefix it shares with the
/// previous document (varint), the rest of its title (string), and the same for its path.
struct SummariesWriter {
    static let block = 16
    static let noDate = Int64.min

    private var entries = ByteWriter(capacity: 1 << 16)
    private var offsets: [UInt32] = []
    private var dates: [Int64] = []
    private var hasDates = false
    private var previousTitle: [UInt8] = []
    private var previousPath: [UInt8] = []
    private(set) var count = 0

    /// Bytes held (for the RAM budget).
    var memoryBytes: Int {
        entries.bytes.capacity + offsets.capacity * 4 + dates.capacity * 8 + previousTitle.capacity + previousPath.capacity
    }

    /// Adds the next document.
    mutating func add(title: UnsafeRawBufferPointer, path: UnsafeRawBufferPointer, date: Int64?) {
        if count % SummariesWriter.block == 0 {
            offsets.append(UInt32(truncatingIfNeeded: entries.count))
            entries.lengthPrefixed(title)
            entries.lengthPrefixed(path)
        } else {
            SummariesWriter.appendShared(title, previous: previousTitle, into: &entries)
            SummariesWriter.appendShared(path, previous: previousPath, into: &entries)
        }
        previousTitle.removeAll(keepingCapacity: true)
        previousTitle.append(contentsOf: title)
        previousPath.removeAll(keepingCapacity: true)
        previousPath.append(contentsOf: path)
        if date != nil { hasDates = true }
        dates.append(date ?? SummariesWriter.noDate)
        count += 1
    }

    mutating func add(title: String, path: String, date: Int64?) {
        var t = title, p = path
        t.withUTF8 { tb in p.withUTF8 { pb in add(title: UnsafeRawBufferPointer(tb), path: UnsafeRawBufferPointer(pb), date: date) } }
    }

    private static func appendShared(_ value: UnsafeRawBufferPointer, previous: [UInt8], into w: inout ByteWriter) {
        var shared = 0
        let limit = min(previous.count, value.count)
        while shared < limit && previous[shared] == value[shared] { shared += 1 }
        w.varint(shared)
        w.lengthPrefixed(UnsafeRawBufferPointer(rebasing: value[shared...]))
    }

    /// The file body.
    func finish() -> [UInt8] {
        let blocks = (count + SummariesWriter.block - 1) / SummariesWriter.block
        var w = ByteWriter(capacity: 16 + (blocks + 1) * 4 + (hasDates ? count * 8 : 0) + entries.count)
        w.u32(UInt32(count))
        w.u32(UInt32(blocks))
        w.u32(hasDates ? 1 : 0)
        w.u32(0)
        for o in offsets { w.u32(o) }
        w.u32(UInt32(truncatingIfNeeded: entries.count))
        if hasDates { for d in dates { w.u64(UInt64(bitPattern: d)) } }
        w.append(entries.bytes)
        return w.bytes
    }
}

/// Reads `.sum` (a view of the mapped body owned by the segment reader).
struct SummariesReader: @unchecked Sendable {
    // @unchecked: a view of immutable mapped bytes owned by the segment reader.
    let name: String
    let docCount: Int
    private let bytes: UnsafeRawBufferPointer
    private let blockCount: Int
    private let offsetsStart = 16
    /// Start of the date column (when there is one) and of the entries.
    private let datesStart: Int
    let hasDates: Bool
    private let entriesStart: Int

    init(_ bytes: UnsafeRawBufferPointer, name: String, docCount expected: Int) throws(FormatError) {
        self.name = name
        self.bytes = bytes
        var r = ByteReader(bytes, fileOffset: FileEnvelope.headerSize, context: name)
        docCount = Int(try r.u32())
        blockCount = Int(try r.u32())
        let flags = try r.u32()
        _ = try r.u32()
        hasDates = flags & 1 != 0
        datesStart = offsetsStart + (blockCount + 1) * 4
        entriesStart = datesStart + (hasDates ? docCount * 8 : 0)
        guard docCount == expected, blockCount == (docCount + SummariesWriter.block - 1) / SummariesWriter.block,
            flags & ~1 == 0, entriesStart <= bytes.count,
            entriesStart + Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: datesStart - 4, as: UInt32.self))) == bytes.count
        else {
            throw FormatError(
                file: name, offset: FileEnvelope.headerSize, message: "summaries header does not match the segment (\(expected) documents)")
        }
    }

    /// Header, block offsets and date column: what every read of the file relies on.
    var tableRange: Range<Int> { 0..<entriesStart }

    /// The date column (i64 per document), nil when no document of the segment has a date.
    var dates: UnsafeRawPointer? {
        guard hasDates, let base = bytes.baseAddress else { return nil }
        return UnsafeRawPointer(base + datesStart)
    }

    /// The date of `doc` (< docCount), if it has one.
    func date(_ doc: Int) -> Int64? {
        guard hasDates else { return nil }
        let d = Int64(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: datesStart + doc * 8, as: UInt64.self)))
        return d == SummariesWriter.noDate ? nil : d
    }

    private func offset(_ b: Int) -> Int {
        entriesStart + Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offsetsStart + b * 4, as: UInt32.self)))
    }

    /// The byte range of the block holding `doc`.
    func blockRange(_ doc: Int) throws(FormatError) -> Range<Int> {
        guard doc >= 0 && doc < docCount else { throw FormatError(file: name, offset: 0, message: "document \(doc) out of range") }
        let b = doc / SummariesWriter.block
        let start = offset(b), end = offset(b + 1)
        guard start <= end, end <= bytes.count else {
            throw FormatError(
                file: name, offset: FileEnvelope.headerSize + offsetsStart + b * 4, message: "summary block \(b) lies outside the file")
        }
        return start..<end
    }

    /// Calls `body` with the title and path bytes of `doc` (decodes up to 16 entries).
    func withSummary<R>(_ doc: Int, _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> R) throws(FormatError) -> R {
        let range = try blockRange(doc)
        var r = ByteReader(
            UnsafeRawBufferPointer(rebasing: bytes[range]), fileOffset: FileEnvelope.headerSize + range.lowerBound, context: name)
        var title: [UInt8] = [], path: [UInt8] = []
        let first = doc - doc % SummariesWriter.block
        for d in first...doc {
            if d == first {
                title.append(contentsOf: try r.lengthPrefixed())
                path.append(contentsOf: try r.lengthPrefixed())
            } else {
                let sharedTitle = try r.count(limit: title.count, "shared title prefix")
                title.removeSubrange(sharedTitle...)
                title.append(contentsOf: try r.lengthPrefixed())
                let sharedPath = try r.count(limit: path.count, "shared path prefix")
                path.removeSubrange(sharedPath...)
                path.append(contentsOf: try r.lengthPrefixed())
            }
        }
        return title.withUnsafeBytes { t in path.withUnsafeBytes { p in body(t, p) } }
    }

    /// Title and path of `doc`.
    func summary(_ doc: Int) throws(FormatError) -> (title: String, path: String) {
        try withSummary(doc) { (String(decoding: $0, as: UTF8.self), String(decoding: $1, as: UTF8.self)) }
    }
}
