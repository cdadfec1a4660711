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

    /// Documents per checkpoint of the passages file.
    static let passageCheckpoint = 16

    /// A document's passage record: empty for one passage over the whole body; otherwise
    /// the count, then per passage (span << 1 | 1) and the start's distance from the
    /// previous start when it does not start where the previous one ended, or (span << 1)
    /// when it does; then its length in terms.
    static func encodePassageRecord(_ passages: [PassageBounds], implicit: Bool, into w: inout ByteWriter) {
        if implicit { return }
        w.varint(passages.count)
        var previousStart = 0, previousEnd = 0
        for p in passages {
            let span = p.end - p.start
            if p.start == previousEnd {
                w.varint(span << 1)
            } else {
                w.varint(span << 1 | 1)
                w.varint(p.start - previousStart)
            }
            w.varint(p.length)
            previousStart = p.start
            previousEnd = p.end
        }
    }

    /// Checkpoints, record lengths, records (see docs/FORMAT.md).
    static func encodePassages(offsets: [UInt32], data: [UInt8]) -> [UInt8] {
        let docs = offsets.count - 1
        let checkpoints = (docs + passageCheckpoint - 1) / passageCheckpoint
        var lengths = ByteWriter(capacity: docs + 16)
        var table = ByteWriter(capacity: checkpoints * 8)
        for d in 0..<docs {
            if d % passageCheckpoint == 0 {
                table.u32(offsets[d])
                table.u32(UInt32(lengths.count))
            }
            lengths.varint(offsets[d + 1] - offsets[d])
        }
        var w = ByteWriter(capacity: 12 + table.count + lengths.count + data.count)
        w.u32(UInt32(docs))
        w.u32(UInt32(checkpoints))
        w.u32(UInt32(lengths.count))
        w.append(table.bytes)
        w.append(lengths.bytes)
        w.append(data)
        return w.bytes
    }

    // MARK: .ids

    /// Entries per block of the sorted, prefix-compressed id list.
    static let idBlock = 16

    static func encodeIDs(bytes: [UInt8], offsets: [UInt32]) -> [UInt8] {
        let count = offsets.count - 1
        // Documents sorted by id bytes (ties by document number).
        var order = Array(0..<count)
        bytes.withUnsafeBytes { b in
            order.sort { x, y in
                let a = UnsafeRawBufferPointer(rebasing: b[Int(offsets[x])..<Int(offsets[x + 1])])
                let c = UnsafeRawBufferPointer(rebasing: b[Int(offsets[y])..<Int(offsets[y + 1])])
                let r = compareBytes(a, c)
                return r != 0 ? r < 0 : x < y
            }
        }
        var rank = [UInt32](repeating: 0, count: count)
        for (r, d) in order.enumerated() { rank[d] = UInt32(r) }
        let blocks = (count + idBlock - 1) / idBlock
        var entries = ByteWriter(capacity: bytes.count / 2)
        var blockOffsets: [UInt32] = []
        var previous: ArraySlice<UInt8> = []
        for (r, d) in order.enumerated() {
            let id = bytes[Int(offsets[d])..<Int(offsets[d + 1])]
            if r % idBlock == 0 {
                blockOffsets.append(UInt32(entries.count))
                entries.lengthPrefixed(id)
            } else {
                var shared = 0
                while shared < min(previous.count, id.count) && previous[previous.startIndex + shared] == id[id.startIndex + shared] { shared += 1 }
                entries.varint(shared)
                entries.lengthPrefixed(id.dropFirst(shared))
            }
            entries.varint(d)
            previous = id
        }
        var w = ByteWriter(capacity: 8 + count * 4 + blocks * 4 + entries.count)
        w.u32(UInt32(count))
        w.u32(UInt32(blocks))
        for r in rank { w.u32(r) }
        for o in blockOffsets { w.u32(o) }
        w.append(entries.bytes)
        return w.bytes
    }

    // MARK: .met

    /// Sources, then the source of each document as runs (length, source index).
    static func encodeMeta(sources: [String], docSource: [UInt32]) -> [UInt8] {
        var w = ByteWriter(capacity: 64)
        w.u32(UInt32(docSource.count))
        w.u32(UInt32(sources.count))
        for s in sources { w.string(s) }
        var runs = ByteWriter()
        var runCount = 0
        var i = 0
        while i < docSource.count {
            var j = i + 1
            while j < docSource.count && docSource[j] == docSource[i] { j += 1 }
            runs.varint(j - i)
            runs.varint(docSource[i])
            runCount += 1
            i = j
        }
        w.u32(UInt32(runCount))
        w.append(runs.bytes)
        return w.bytes
    }
}

/// Field lengths of the documents of a segment (`.len`).
@usableFromInline
struct LengthsReader: @unchecked Sendable {
    // @unchecked: a view of immutable mapped bytes owned by the segment reader.
    let docCount: Int
    @usableFromInline let title: UnsafeRawPointer?
    @usableFromInline let body: UnsafeRawPointer?
    @usableFromInline let titleWidth: Int
    @usableFromInline let bodyWidth: Int

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

    @inlinable @inline(__always) static func read(_ p: UnsafeRawPointer?, _ width: Int, _ doc: Int) -> UInt32 {
        guard let p else { return 0 }
        switch width {
        case 1: return UInt32(p.load(fromByteOffset: doc, as: UInt8.self))
        case 2: return UInt32(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: doc * 2, as: UInt16.self)))
        default: return UInt32(littleEndian: p.loadUnaligned(fromByteOffset: doc * 4, as: UInt32.self))
        }
    }

    /// Title length (terms) of `doc` (must be < docCount).
    @inlinable @inline(__always) func titleLength(_ doc: Int) -> UInt32 { LengthsReader.read(title, titleWidth, doc) }
    @inlinable @inline(__always) func bodyLength(_ doc: Int) -> UInt32 { LengthsReader.read(body, bodyWidth, doc) }
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

/// Passage boundaries of the documents of a segment (`.psg`): a checkpoint every 16
/// documents (offset of the record, offset of the record length), the record lengths as
/// varints, and the records.
struct PassagesReader: @unchecked Sendable {
    // @unchecked: a view of immutable mapped bytes owned by the segment reader.
    let name: String
    let docCount: Int
    private let bytes: UnsafeRawBufferPointer
    private let checkpoints: Int
    private let lengthsStart: Int
    private let dataStart: Int

    init(_ bytes: UnsafeRawBufferPointer, name: String, docCount expected: Int) throws(FormatError) {
        self.name = name
        self.bytes = bytes
        var r = ByteReader(bytes, fileOffset: FileEnvelope.headerSize, context: name)
        docCount = Int(try r.u32())
        checkpoints = Int(try r.u32())
        let lengthsBytes = Int(try r.u32())
        lengthsStart = 12 + checkpoints * 8
        dataStart = lengthsStart + lengthsBytes
        guard docCount == expected, checkpoints == (docCount + SegmentFiles.passageCheckpoint - 1) / SegmentFiles.passageCheckpoint,
              dataStart <= bytes.count
        else {
            throw FormatError(file: name, offset: FileEnvelope.headerSize, message: "passages header does not match the segment (\(expected) documents)")
        }
    }

    /// The byte range of `doc`'s record.
    private func record(_ doc: Int) throws(FormatError) -> Range<Int> {
        guard doc >= 0 && doc < docCount else { throw FormatError(file: name, offset: 0, message: "document \(doc) out of range") }
        let c = doc / SegmentFiles.passageCheckpoint
        var offset = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 12 + c * 8, as: UInt32.self)))
        let lengthAt = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 16 + c * 8, as: UInt32.self)))
        guard lengthsStart + lengthAt <= dataStart else {
            throw FormatError(file: name, offset: FileEnvelope.headerSize + 12 + c * 8, message: "passage checkpoint \(c) points outside the file")
        }
        var r = ByteReader(UnsafeRawBufferPointer(rebasing: bytes[(lengthsStart + lengthAt)..<dataStart]),
                           fileOffset: FileEnvelope.headerSize + lengthsStart + lengthAt, context: name)
        for _ in (c * SegmentFiles.passageCheckpoint)..<doc { offset += try r.count(limit: bytes.count, "record length") }
        let length = try r.count(limit: bytes.count, "record length")
        guard dataStart + offset + length <= bytes.count else {
            throw FormatError(file: name, offset: FileEnvelope.headerSize + lengthsStart + lengthAt, message: "passage record of document \(doc) lies outside the file")
        }
        return (dataStart + offset)..<(dataStart + offset + length)
    }

    /// The encoded record of `doc` (empty for the implicit single passage).
    func rawRecord(_ doc: Int, _ body: (UnsafeRawBufferPointer) -> Void) throws(FormatError) {
        body(UnsafeRawBufferPointer(rebasing: bytes[try record(doc)]))
    }

    /// The passages of `doc`; a document whose record is empty has one passage over its
    /// whole body (`bodyPositions` body positions, `bodyLength` terms).
    func passages(_ doc: Int, bodyPositions: Int, bodyLength: Int, into out: inout [PassageBounds]) throws(FormatError) {
        out.removeAll(keepingCapacity: true)
        let range = try record(doc)
        if range.isEmpty {
            out.append(PassageBounds(start: 0, end: bodyPositions, length: bodyLength))
            return
        }
        var r = ByteReader(UnsafeRawBufferPointer(rebasing: bytes[range]), fileOffset: FileEnvelope.headerSize + range.lowerBound, context: name)
        let count = try r.count(limit: range.count, "passage count")
        var start = 0, previousEnd = 0
        for _ in 0..<count {
            let code = try r.count(limit: Int(Int32.max), "passage span")
            if code & 1 == 1 {
                start += try r.count(limit: Int(Int32.max), "passage start")
            } else {
                start = previousEnd
            }
            let span = code >> 1
            let length = try r.count(limit: span, "passage length")
            out.append(PassageBounds(start: start, end: start + span, length: length))
            previousEnd = start + span
        }
    }
}

/// External ids of the documents of a segment (`.ids`): the ids sorted and
/// prefix-compressed in blocks of 16 (each block starting with a whole id), and the rank of
/// every document in that order. The rank orders two documents of a segment by id without
/// decoding either; the id of a document decodes at most 16 entries.
struct IDsReader: @unchecked Sendable {
    // @unchecked: a view of immutable mapped bytes owned by the segment reader.
    let name: String
    let docCount: Int
    private let bytes: UnsafeRawBufferPointer
    private let blockCount: Int
    private let blockOffsetsStart: Int
    private let entriesStart: Int

    init(_ bytes: UnsafeRawBufferPointer, name: String, docCount expected: Int) throws(FormatError) {
        self.name = name
        self.bytes = bytes
        var r = ByteReader(bytes, fileOffset: FileEnvelope.headerSize, context: name)
        docCount = Int(try r.u32())
        blockCount = Int(try r.u32())
        blockOffsetsStart = 8 + docCount * 4
        entriesStart = blockOffsetsStart + blockCount * 4
        guard docCount == expected, blockCount == (docCount + SegmentFiles.idBlock - 1) / SegmentFiles.idBlock,
              bytes.count >= entriesStart
        else {
            throw FormatError(file: name, offset: FileEnvelope.headerSize, message: "ids header does not match the segment (\(expected) documents)")
        }
    }

    /// Position of `doc` in id order.
    @inline(__always)
    func rank(_ doc: Int) -> UInt32 {
        UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 8 + doc * 4, as: UInt32.self))
    }

    private func blockOffset(_ b: Int) -> Int {
        entriesStart + Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: blockOffsetsStart + b * 4, as: UInt32.self)))
    }

    /// Decodes block `b` entry by entry: `visit(id bytes, doc)` returns false to stop.
    private func scan(block b: Int, _ visit: (UnsafeRawBufferPointer, Int) -> Bool) throws(FormatError) {
        let start = blockOffset(b)
        guard start <= bytes.count else { throw FormatError(file: name, offset: FileEnvelope.headerSize + blockOffsetsStart + b * 4, message: "id block \(b) points outside the file") }
        var r = ByteReader(UnsafeRawBufferPointer(rebasing: bytes[start...]), fileOffset: FileEnvelope.headerSize + start, context: name)
        // The current id is rebuilt in one buffer, grown when an id is longer.
        var capacity = 256
        var key = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 1)
        defer { key.deallocate() }
        var length = 0
        let entries = min(SegmentFiles.idBlock, docCount - b * SegmentFiles.idBlock)
        for e in 0..<entries {
            let shared = e == 0 ? 0 : try r.count(limit: length, "shared id prefix")
            let suffix = try r.lengthPrefixed()
            if shared + suffix.count > capacity {
                while capacity < shared + suffix.count { capacity *= 2 }
                let bigger = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 1)
                bigger.copyMemory(from: key, byteCount: shared)
                key.deallocate()
                key = bigger
            }
            if let s = suffix.baseAddress { (key + shared).copyMemory(from: s, byteCount: suffix.count) }
            length = shared + suffix.count
            let doc = try r.count(limit: docCount - 1, "document")
            if !visit(UnsafeRawBufferPointer(start: key, count: length), doc) { return }
        }
    }

    /// Calls `body` with the id bytes of `doc`.
    func withID<R>(_ doc: Int, _ body: (UnsafeRawBufferPointer) -> R) throws(FormatError) -> R {
        let r = Int(rank(doc))
        guard r < docCount else { throw FormatError(file: name, offset: FileEnvelope.headerSize + 8 + doc * 4, message: "rank of document \(doc) out of range") }
        var result: R? = nil
        var seen = 0
        try scan(block: r / SegmentFiles.idBlock) { id, d in
            if seen == r % SegmentFiles.idBlock {
                guard d == doc else { return false }
                result = body(id)
                return false
            }
            seen += 1
            return true
        }
        guard let result else { throw FormatError(file: name, offset: FileEnvelope.headerSize + 8 + doc * 4, message: "document \(doc) is not at its rank") }
        return result
    }

    func id(_ doc: Int) throws(FormatError) -> String { try withID(doc) { String(decoding: $0, as: UTF8.self) } }

    /// A cursor over the ids in sorted order (for merge-joins over segments).
    func sortedCursor() -> IDCursor { IDCursor(reader: self) }

    /// Entry `e` of block `b`'s byte offset in the file body (the cursor's decoding).
    fileprivate func blockStartOffset(_ b: Int) -> Int { blockOffset(b) }
    fileprivate var fileBytes: UnsafeRawBufferPointer { bytes }

    /// Documents with this id (usually one).
    func documents(withID id: UnsafeRawBufferPointer) throws(FormatError) -> [Int] {
        guard blockCount > 0 else { return [] }
        // The last block whose first id is ≤ id, and the one after it (equal ids may span two).
        var lo = 0, hi = blockCount - 1, found = -1
        while lo <= hi {
            let mid = (lo + hi) / 2
            let start = blockOffset(mid)
            var r = ByteReader(UnsafeRawBufferPointer(rebasing: bytes[min(start, bytes.count)...]), context: name)
            let first = try r.lengthPrefixed()
            if compareBytes(first, id) < 0 { found = mid; lo = mid + 1 } else { hi = mid - 1 }
        }
        var result: [Int] = []
        for b in max(0, found)..<min(blockCount, max(0, found) + 2) {
            var past = false
            try scan(block: b) { key, d in
                let c = compareBytes(key, id)
                if c == 0 { result.append(d) }
                if c > 0 { past = true; return false }
                return true
            }
            if past { break }
        }
        return result.sorted()
    }
}

/// Walks a segment's ids in sorted order: `key` and `doc` of the current entry.
struct IDCursor {
    let reader: IDsReader
    private var block = -1
    private var left = 0
    private var r: ByteReader
    private(set) var key: [UInt8] = []
    private(set) var doc = 0

    init(reader: IDsReader) {
        self.reader = reader
        r = ByteReader(UnsafeRawBufferPointer(start: nil, count: 0), context: reader.name)
    }

    /// Moves to the next id; false at the end.
    mutating func next() throws(FormatError) -> Bool {
        if left == 0 {
            block += 1
            let first = block * SegmentFiles.idBlock
            guard first < reader.docCount else { return false }
            left = min(SegmentFiles.idBlock, reader.docCount - first)
            let start = reader.blockStartOffset(block)
            let bytes = reader.fileBytes
            guard start <= bytes.count else { throw FormatError(file: reader.name, offset: start, message: "id block \(block) points outside the file") }
            r = ByteReader(UnsafeRawBufferPointer(rebasing: bytes[start...]), fileOffset: FileEnvelope.headerSize + start, context: reader.name)
            key.removeAll(keepingCapacity: true)
            key.append(contentsOf: try r.lengthPrefixed())
        } else {
            let shared = try r.count(limit: key.count, "shared id prefix")
            key.removeSubrange(shared...)
            key.append(contentsOf: try r.lengthPrefixed())
        }
        doc = try r.count(limit: reader.docCount - 1, "document")
        left -= 1
        return true
    }
}

/// Source metadata of the documents of a segment (`.met`).
struct MetaReader {
    let sources: [String]
    /// The source of each document.
    let docSource: [UInt32]

    init(_ bytes: UnsafeRawBufferPointer, name: String, docCount expected: Int) throws(FormatError) {
        var r = ByteReader(bytes, fileOffset: FileEnvelope.headerSize, context: name)
        let docs = Int(try r.u32())
        let count = Int(try r.u32())
        guard docs == expected, count <= bytes.count else {
            throw FormatError(file: name, offset: FileEnvelope.headerSize, message: "meta header does not match the segment (\(expected) documents)")
        }
        var s: [String] = []
        for _ in 0..<count { s.append(try r.string()) }
        let runs = Int(try r.u32())
        var ds: [UInt32] = []
        ds.reserveCapacity(docs)
        for _ in 0..<runs {
            let length = try r.count(limit: docs - ds.count, "run length")
            let source = try r.count(limit: max(count - 1, 0), "source index")
            ds.append(contentsOf: repeatElement(UInt32(source), count: length))
        }
        guard ds.count == docs, r.isAtEnd else { throw r.error("source runs do not cover the documents") }
        sources = s
        docSource = ds
    }
}
