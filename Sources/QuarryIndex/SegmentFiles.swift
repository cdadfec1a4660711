import QuarryCore

/// Encoders and readers of the small per-segment files: segment info (`.seg`), field
/// lengths (`.len`), passage boundaries (`.psg`), external ids (`.ids`) and source
/// metadata (`.met`). Layouts in docs/FORMAT.md.
enum SegmentFiles {
    static let kinds: [IndexFileKind] = [.segmentInfo, .terms, .postings, .positions, .lengths, .passages, .ids, .meta, .store]

    // MARK: .seg

    static func encodeInfo(docCount: Int, stats: CollectionStats, termCount: Int) -> [UInt8] {
        var w = ByteWriter()
        w.u32(UInt32(docCount))
        w.u32(0)
        w.u64(UInt64(termCount))
        stats.encode(into: &w)
        return w.bytes
    }

    struct Info {
        var docCount: Int
        var termCount: Int
        var stats: CollectionStats
    }

    static func decodeInfo(_ body: UnsafeRawBufferPointer, name: String) throws(FormatError) -> Info {
        var r = ByteReader(body, fileOffset: FileEnvelope.headerSize, context: name)
        let docs = Int(try r.u32())
        _ = try r.u32()
        let terms = try r.u64()
        let stats = try CollectionStats.decode(&r)
        guard stats.documents == docs, terms <= UInt64(Int32.max) * 64 else {
            throw FormatError(file: name, offset: FileEnvelope.headerSize, message: "segment info is inconsistent")
        }
        return Info(docCount: docs, termCount: Int(terms), stats: stats)
    }

    // MARK: .len

    static func width(_ values: [UInt32]) -> Int {
        let m = values.max() ?? 0
        return m <= 0xFF ? 1 : (m <= 0xFFFF ? 2 : 4)
    }

    static func encodeLengths(title: [UInt32], body: [UInt32]) -> [UInt8] {
        var w = ByteWriter(capacity: 8 + title.count * 8)
        let wt = width(title), wb = width(body)
        w.u32(UInt32(title.count))
        w.u8(UInt8(wt))
        w.u8(UInt8(wb))
        w.u16(0)
        for (values, width) in [(title, wt), (body, wb)] {
            for v in values {
                switch width {
                case 1: w.u8(UInt8(v))
                case 2: w.u16(UInt16(v))
                default: w.u32(v)
                }
            }
        }
        return w.bytes
    }

    // MARK: .psg

    static func encodePassages(offsets: [UInt32], data: [UInt8]) -> [UInt8] {
        var w = ByteWriter(capacity: 4 + offsets.count * 4 + data.count)
        w.u32(UInt32(offsets.count - 1))
        for o in offsets { w.u32(o) }
        w.append(data)
        return w.bytes
    }

    // MARK: .ids

    static func encodeIDs(bytes: [UInt8], offsets: [UInt32]) -> [UInt8] {
        let count = offsets.count - 1
        // Documents sorted by id bytes.
        var order = Array(0..<count)
        bytes.withUnsafeBytes { b in
            order.sort { x, y in
                let a = UnsafeRawBufferPointer(rebasing: b[Int(offsets[x])..<Int(offsets[x + 1])])
                let c = UnsafeRawBufferPointer(rebasing: b[Int(offsets[y])..<Int(offsets[y + 1])])
                let r = compareBytes(a, c)
                return r != 0 ? r < 0 : x < y
            }
        }
        var w = ByteWriter(capacity: 4 + offsets.count * 8 + bytes.count)
        w.u32(UInt32(count))
        for o in offsets { w.u32(o) }
        for d in order { w.u32(UInt32(d)) }
        w.append(bytes)
        return w.bytes
    }

    // MARK: .met

    static func encodeMeta(sources: [String], docSource: [UInt32], docHash: [UInt64]) -> [UInt8] {
        var w = ByteWriter(capacity: 16 + docSource.count * 12)
        w.u32(UInt32(docSource.count))
        w.u32(UInt32(sources.count))
        for s in sources { w.string(s) }
        w.align(to: 4)
        for s in docSource { w.u32(s) }
        for h in docHash { w.u64(h) }
        return w.bytes
    }
}

/// Field lengths of the documents of a segment (`.len`).
struct LengthsReader: @unchecked Sendable {
    // @unchecked: a view of immutable mapped bytes owned by the segment reader.
    let docCount: Int
    private let title: UnsafeRawPointer?
    private let body: UnsafeRawPointer?
    private let titleWidth: Int
    private let bodyWidth: Int

    init(_ bytes: UnsafeRawBufferPointer, name: String, docCount expected: Int) throws(FormatError) {
        var r = ByteReader(bytes, fileOffset: FileEnvelope.headerSize, context: name)
        docCount = Int(try r.u32())
        titleWidth = Int(try r.u8())
        bodyWidth = Int(try r.u8())
        _ = try r.u16()
        guard docCount == expected, [1, 2, 4].contains(titleWidth), [1, 2, 4].contains(bodyWidth),
              bytes.count == 8 + docCount * (titleWidth + bodyWidth)
        else {
            throw FormatError(file: name, offset: FileEnvelope.headerSize, message: "lengths header does not match the segment (\(expected) documents)")
        }
        let bodyStart = 8 + docCount * titleWidth
        title = bytes.baseAddress.map { UnsafeRawPointer($0 + 8) }
        body = bytes.baseAddress.map { UnsafeRawPointer($0 + bodyStart) }
    }

    @inline(__always) private static func read(_ p: UnsafeRawPointer?, _ width: Int, _ doc: Int) -> UInt32 {
        guard let p else { return 0 }
        switch width {
        case 1: return UInt32(p.load(fromByteOffset: doc, as: UInt8.self))
        case 2: return UInt32(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: doc * 2, as: UInt16.self)))
        default: return UInt32(littleEndian: p.loadUnaligned(fromByteOffset: doc * 4, as: UInt32.self))
        }
    }

    /// Title length (terms) of `doc` (must be < docCount).
    @inline(__always) func titleLength(_ doc: Int) -> UInt32 { LengthsReader.read(title, titleWidth, doc) }
    @inline(__always) func bodyLength(_ doc: Int) -> UInt32 { LengthsReader.read(body, bodyWidth, doc) }
}

/// One passage of a document as the index knows it: body positions `start..<end` and the
/// number of terms in them.
public struct PassageBounds: Sendable, Equatable {
    public var start: Int
    public var end: Int
    public var length: Int

    public init(start: Int, end: Int, length: Int) {
        self.start = start
        self.end = end
        self.length = length
    }
}

/// A file body of the form: count (u32), count + 1 offsets (u32), optional fixed-size
/// tables (`between` bytes), then variable-length records: record i is
/// data[offset[i] ..< offset[i+1]]. Used by `.psg` and `.ids`.
struct OffsetTable: @unchecked Sendable {
    // @unchecked: a view of immutable mapped bytes owned by the segment reader.
    let name: String
    let count: Int
    let bytes: UnsafeRawBufferPointer
    /// Where the records start.
    let dataStart: Int

    init(_ bytes: UnsafeRawBufferPointer, name: String, expected: Int, between: (Int) -> Int = { _ in 0 }) throws(FormatError) {
        self.name = name
        self.bytes = bytes
        var r = ByteReader(bytes, fileOffset: FileEnvelope.headerSize, context: name)
        count = Int(try r.u32())
        dataStart = 4 + (count + 1) * 4 + between(count)
        guard count == expected, bytes.count >= dataStart else {
            throw FormatError(file: name, offset: FileEnvelope.headerSize, message: "header does not match the segment (\(expected) documents)")
        }
        let last = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 + count * 4, as: UInt32.self)))
        guard dataStart + last == bytes.count else {
            throw FormatError(file: name, offset: FileEnvelope.headerSize, message: "data length does not match the file size")
        }
    }

    /// The byte range of record `i` within `bytes`, or nil when its offsets are damaged.
    @inline(__always)
    func record(_ i: Int) -> Range<Int>? {
        let a = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 + i * 4, as: UInt32.self)))
        let b = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 8 + i * 4, as: UInt32.self)))
        guard a <= b, dataStart + b <= bytes.count else { return nil }
        return (dataStart + a)..<(dataStart + b)
    }
}

/// Passage boundaries of the documents of a segment (`.psg`).
struct PassagesReader: Sendable {
    private let table: OffsetTable

    init(_ bytes: UnsafeRawBufferPointer, name: String, docCount expected: Int) throws(FormatError) {
        table = try OffsetTable(bytes, name: name, expected: expected)
    }

    /// The encoded record of `doc` (empty for the implicit single passage).
    func rawRecord(_ doc: Int, _ body: (UnsafeRawBufferPointer) -> Void) throws(FormatError) {
        guard let range = table.record(doc) else {
            throw FormatError(file: table.name, offset: FileEnvelope.headerSize + 4 + doc * 4, message: "passage offsets of document \(doc) are out of order")
        }
        body(UnsafeRawBufferPointer(rebasing: table.bytes[range]))
    }

    /// The passages of `doc`; a document whose record is empty has one passage over its
    /// whole body (`positions` body positions, `bodyLength` terms).
    func passages(_ doc: Int, bodyPositions: Int, bodyLength: Int, into out: inout [PassageBounds]) throws(FormatError) {
        out.removeAll(keepingCapacity: true)
        guard let range = table.record(doc) else {
            throw FormatError(file: table.name, offset: FileEnvelope.headerSize + 4 + doc * 4, message: "passage offsets of document \(doc) are out of order")
        }
        if range.isEmpty {
            out.append(PassageBounds(start: 0, end: bodyPositions, length: bodyLength))
            return
        }
        var r = ByteReader(UnsafeRawBufferPointer(rebasing: table.bytes[range]),
                           fileOffset: FileEnvelope.headerSize + range.lowerBound, context: table.name)
        let count = try r.count(limit: range.count, "passage count")
        var start = 0
        for _ in 0..<count {
            start += try r.count(limit: Int(Int32.max), "passage start")
            let span = try r.count(limit: Int(Int32.max), "passage span")
            let length = try r.count(limit: span, "passage length")
            out.append(PassageBounds(start: start, end: start + span, length: length))
        }
    }
}

/// External ids of the documents of a segment (`.ids`): id of a document, and the document
/// of an id (binary search over the sorted permutation, stored between the offsets and the
/// id bytes).
struct IDsReader: Sendable {
    private let table: OffsetTable
    let docCount: Int

    init(_ bytes: UnsafeRawBufferPointer, name: String, docCount expected: Int) throws(FormatError) {
        table = try OffsetTable(bytes, name: name, expected: expected, between: { $0 * 4 })
        docCount = expected
    }

    private var sortedStart: Int { 4 + (docCount + 1) * 4 }

    /// The id bytes of `doc` (doc < docCount).
    @inline(__always)
    func idBytes(_ doc: Int) -> UnsafeRawBufferPointer {
        guard let range = table.record(doc) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(rebasing: table.bytes[range])
    }

    func id(_ doc: Int) -> String { String(decoding: idBytes(doc), as: UTF8.self) }

    /// Documents with this id (ascending; usually one).
    func documents(withID id: UnsafeRawBufferPointer) -> [Int] {
        var lo = 0, hi = docCount
        while lo < hi {
            let mid = (lo + hi) / 2
            if compareBytes(idBytes(sorted(mid)), id) < 0 { lo = mid + 1 } else { hi = mid }
        }
        var result: [Int] = []
        while lo < docCount {
            let d = sorted(lo)
            if compareBytes(idBytes(d), id) != 0 { break }
            if d < docCount { result.append(d) }
            lo += 1
        }
        return result
    }

    @inline(__always) private func sorted(_ i: Int) -> Int {
        let d = Int(UInt32(littleEndian: table.bytes.loadUnaligned(fromByteOffset: sortedStart + i * 4, as: UInt32.self)))
        return d < docCount ? d : 0
    }
}

/// Source metadata of the documents of a segment (`.met`).
struct MetaReader {
    let sources: [String]
    let docSource: [UInt32]
    let docHash: [UInt64]

    init(_ bytes: UnsafeRawBufferPointer, name: String, docCount expected: Int) throws(FormatError) {
        var r = ByteReader(bytes, fileOffset: FileEnvelope.headerSize, context: name)
        let docs = Int(try r.u32())
        let count = Int(try r.u32())
        guard docs == expected, count <= bytes.count else {
            throw FormatError(file: name, offset: FileEnvelope.headerSize, message: "meta header does not match the segment (\(expected) documents)")
        }
        var s: [String] = []
        for _ in 0..<count { s.append(try r.string()) }
        while r.position % 4 != 0 { _ = try r.u8() }
        var ds: [UInt32] = []
        ds.reserveCapacity(docs)
        for _ in 0..<docs {
            let v = try r.u32()
            guard Int(v) < max(count, 1) else { throw r.error("source index \(v) out of range", at: r.position - 4) }
            ds.append(v)
        }
        var dh: [UInt64] = []
        dh.reserveCapacity(docs)
        for _ in 0..<docs { dh.append(try r.u64()) }
        guard r.isAtEnd else { throw r.error("unexpected bytes after the metadata") }
        sources = s
        docSource = ds
        docHash = dh
    }
}
