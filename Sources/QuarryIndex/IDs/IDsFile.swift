import QuarryCore

/// External ids (`.ids`).
extension SegmentFiles {
    /// Entries per block of the sorted, prefix-compressed id list.
    static let idBlock = 16

    /// The `.ids` body in its three consecutive parts (count, block count and every
    /// document's rank; the block offsets; the entries), so that a large one is written
    /// without one more copy of the whole.
    static func encodeIDParts(bytes: [UInt8], offsets: [UInt32]) -> [[UInt8]] {
        let count = offsets.count - 1
        // Documents sorted by id bytes (ties by document number).
        var order = [UInt32](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count { buffer.initializeElement(at: i, to: UInt32(i)) }
            initialized = count
        }
        bytes.withUnsafeBytes { b in
            order.sort { x, y in
                let a = UnsafeRawBufferPointer(rebasing: b[Int(offsets[Int(x)])..<Int(offsets[Int(x) + 1])])
                let c = UnsafeRawBufferPointer(rebasing: b[Int(offsets[Int(y)])..<Int(offsets[Int(y) + 1])])
                let r = compareBytes(a, c)
                return r != 0 ? r < 0 : x < y
            }
        }
        let blocks = (count + idBlock - 1) / idBlock
        var head = ByteWriter(capacity: 8 + count * 4)
        head.u32(UInt32(count))
        head.u32(UInt32(blocks))
        do {
            var rank = [UInt32](repeating: 0, count: count)
            for (r, d) in order.enumerated() { rank[Int(d)] = UInt32(r) }
            for r in rank { head.u32(r) }
        }
        var entries = ByteWriter(capacity: bytes.count / 2)
        var blockOffsets = ByteWriter(capacity: blocks * 4)
        var previous: ArraySlice<UInt8> = []
        for (r, d32) in order.enumerated() {
            let d = Int(d32)
            let id = bytes[Int(offsets[d])..<Int(offsets[d + 1])]
            if r % idBlock == 0 {
                blockOffsets.u32(UInt32(entries.count))
                entries.lengthPrefixed(id)
            } else {
                var shared = 0
                while shared < min(previous.count, id.count) && previous[previous.startIndex + shared] == id[id.startIndex + shared] {
                    shared += 1
                }
                entries.varint(shared)
                entries.lengthPrefixed(id.dropFirst(shared))
            }
            entries.varint(d)
            previous = id
        }
        return [head.bytes, blockOffsets.bytes, entries.bytes]
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
    /// Verifies the blocks a read touches (nil: not verified).
    private let verifier: BlockVerifier?

    init(_ bytes: UnsafeRawBufferPointer, name: String, docCount expected: Int, verifier: BlockVerifier? = nil) throws(FormatError) {
        self.name = name
        self.bytes = bytes
        self.verifier = verifier
        try verifier?.verify(body: 0..<min(8, bytes.count))
        var r = ByteReader(bytes, fileOffset: FileEnvelope.headerSize, context: name)
        docCount = Int(try r.u32())
        blockCount = Int(try r.u32())
        blockOffsetsStart = 8 + docCount * 4
        entriesStart = blockOffsetsStart + blockCount * 4
        guard docCount == expected, blockCount == (docCount + SegmentFiles.idBlock - 1) / SegmentFiles.idBlock,
            bytes.count >= entriesStart
        else {
            throw FormatError(
                file: name, offset: FileEnvelope.headerSize, message: "ids header does not match the segment (\(expected) documents)")
        }
    }

    /// Header, ranks and block offsets: verified before ranks are compared.
    var tableRange: Range<Int> { 0..<entriesStart }

    /// The bytes of id block `b`, verified.
    private func verifiedBlock(_ b: Int) throws(FormatError) -> Range<Int> {
        let start = blockOffset(b)
        let end = b + 1 < blockCount ? blockOffset(b + 1) : bytes.count
        guard start <= end, end <= bytes.count else {
            throw FormatError(
                file: name, offset: FileEnvelope.headerSize + blockOffsetsStart + b * 4, message: "id block \(b) points outside the file")
        }
        try verifier?.verify(body: (blockOffsetsStart + b * 4)..<(blockOffsetsStart + b * 4 + 4))
        try verifier?.verify(body: start..<end)
        return start..<end
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
        let range = try verifiedBlock(b)
        var r = ByteReader(
            UnsafeRawBufferPointer(rebasing: bytes[range]), fileOffset: FileEnvelope.headerSize + range.lowerBound, context: name)
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
        try verifier?.verify(body: (8 + doc * 4)..<(12 + doc * 4))
        let r = Int(rank(doc))
        guard r < docCount else {
            throw FormatError(file: name, offset: FileEnvelope.headerSize + 8 + doc * 4, message: "rank of document \(doc) out of range")
        }
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
        guard let result else {
            throw FormatError(file: name, offset: FileEnvelope.headerSize + 8 + doc * 4, message: "document \(doc) is not at its rank")
        }
        return result
    }

    func id(_ doc: Int) throws(FormatError) -> String { try withID(doc) { String(decoding: $0, as: UTF8.self) } }

    /// A cursor over the ids in sorted order (for merge-joins over segments).
    func sortedCursor() -> IDCursor { IDCursor(reader: self) }

    /// Entry `e` of block `b`'s byte offset in the file body (the cursor's decoding).
    fileprivate func blockStartOffset(_ b: Int) -> Int { blockOffset(b) }
    fileprivate var fileBytes: UnsafeRawBufferPointer { bytes }

    /// The rank table (a little-endian UInt32 per document, from byte 8 of the body).
    var rankTable: UnsafeRawPointer? { bytes.baseAddress.map { $0 + 8 } }

    /// The ranks (positions in id order) of the ids that are at least `key`: the first such
    /// rank, or `docCount` when every id is smaller. Binary search over the blocks' first
    /// ids, then one block decoded.
    func lowerBound(_ key: UnsafeRawBufferPointer) throws(FormatError) -> Int {
        guard blockCount > 0 else { return 0 }
        // The last block whose first id is < key (-1: none).
        var lo = 0, hi = blockCount - 1, found = -1
        while lo <= hi {
            let mid = (lo + hi) / 2
            let range = try verifiedBlock(mid)
            var r = ByteReader(UnsafeRawBufferPointer(rebasing: bytes[range]), context: name)
            let first = try r.lengthPrefixed()
            if compareBytes(first, key) < 0 {
                found = mid
                lo = mid + 1
            } else {
                hi = mid - 1
            }
        }
        if found < 0 { return 0 }
        var below = 0
        try scan(block: found) { id, _ in
            guard compareBytes(id, key) < 0 else { return false }
            below += 1
            return true
        }
        return found * SegmentFiles.idBlock + below
    }

    /// The ranks of the ids that start with `prefix` (a contiguous range in id order).
    func ranks(withPrefix prefix: [UInt8]) throws -> Range<Int> {
        if prefix.isEmpty { return 0..<docCount }
        let lower = try prefix.withUnsafeBytes { try lowerBound($0) }
        // The smallest byte string above every string with the prefix: the prefix without
        // its trailing 0xFF bytes, its last byte incremented.
        var successor = prefix
        while let last = successor.last, last == 0xFF { successor.removeLast() }
        guard !successor.isEmpty else { return lower..<docCount }
        successor[successor.count - 1] += 1
        let upper = try successor.withUnsafeBytes { try lowerBound($0) }
        return lower..<max(lower, upper)
    }

    /// Documents with this id (usually one).
    func documents(withID id: UnsafeRawBufferPointer) throws(FormatError) -> [Int] {
        guard blockCount > 0 else { return [] }
        // The last block whose first id is ≤ id, and the one after it (equal ids may span two).
        var lo = 0, hi = blockCount - 1, found = -1
        while lo <= hi {
            let mid = (lo + hi) / 2
            let range = try verifiedBlock(mid)
            var r = ByteReader(UnsafeRawBufferPointer(rebasing: bytes[range]), context: name)
            let first = try r.lengthPrefixed()
            if compareBytes(first, id) < 0 {
                found = mid
                lo = mid + 1
            } else {
                hi = mid - 1
            }
        }
        var result: [Int] = []
        for b in max(0, found)..<min(blockCount, max(0, found) + 2) {
            var past = false
            try scan(block: b) { key, d in
                let c = compareBytes(key, id)
                if c == 0 { result.append(d) }
                if c > 0 {
                    past = true
                    return false
                }
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
            guard start <= bytes.count else {
                throw FormatError(file: reader.name, offset: start, message: "id block \(block) points outside the file")
            }
            r = ByteReader(
                UnsafeRawBufferPointer(rebasing: bytes[start...]), fileOffset: FileEnvelope.headerSize + start, context: reader.name)
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
