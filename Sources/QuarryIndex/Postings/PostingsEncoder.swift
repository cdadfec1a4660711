import QuarryCore

/// Encodes one term's postings (docs/FORMAT.md, "Postings" and "Positions").
///
/// A term with at most 128 documents is a list of varint entries. A longer term has a
/// header (impacts area length, u32), a skip table of 16-byte entries (one per block of 128
/// documents: last doc, offset of the block's doc data, offset of its positions, offset of
/// its impacts), the impacts area (the whole term's impacts, then each block's), the full
/// blocks bit-packed, and the remaining documents as varint entries.
///
/// Usage per term: `begin(df:)`, then per document `add(...)` followed by appending that
/// document's positions to `positions` (`appendPositions`, or raw bytes already in the
/// format), then `finish()`; the regions are `docBytes` and `positions`.
struct PostingsEncoder {
    static let blockSize = BitPacking.blockSize

    /// The term's postings region (valid after `finish`).
    private(set) var docBytes = RawBuffer<UInt8>(capacity: 1 << 16)
    /// The term's positions region, appended to by the caller after each `add`.
    var positions = RawBuffer<UInt8>(capacity: 1 << 16)

    private var df = 0
    private var added = 0
    private var lastDoc: Int64 = -1
    private var fullBlocks = 0
    // Current block: deltas − 1, body tfs, title tfs, and (tf, length) pairs for impacts.
    private let deltas = UnsafeMutablePointer<UInt32>.allocate(capacity: 128)
    private let tfBody = UnsafeMutablePointer<UInt32>.allocate(capacity: 128)
    private let tfTitle = UnsafeMutablePointer<UInt32>.allocate(capacity: 128)
    private var inBlock = 0
    private var blockPositionsStart = 0
    private var impacts = ImpactsBuilder()
    // Long terms.
    private var skip = ByteWriter()
    private var blocks = RawBuffer<UInt8>(capacity: 1 << 12)
    private var tail = ByteWriter()
    private var termImpacts = ImpactsBuilder()
    private var blockImpactList: [Impacts] = []

    init() {}

    /// Releases the scratch memory.
    func free() {
        docBytes.free()
        positions.free()
        deltas.deallocate()
        tfBody.deallocate()
        tfTitle.deallocate()
        blocks.free()
        impacts.free()
        termImpacts.free()
    }

    mutating func begin(df: Int) {
        self.df = df
        added = 0
        lastDoc = -1
        inBlock = 0
        blockPositionsStart = 0
        fullBlocks = df > PostingsEncoder.blockSize ? df / PostingsEncoder.blockSize : 0
        docBytes.removeAll()
        positions.removeAll()
        skip.removeAll()
        blocks.removeAll()
        tail.removeAll()
        impacts.reset()
        termImpacts.reset()
        blockImpactList.removeAll(keepingCapacity: true)
    }

    var isLong: Bool { df > PostingsEncoder.blockSize }

    /// Adds the next document (ascending). Its positions must be appended to `positions`
    /// right after.
    @inline(__always)
    mutating func add(doc: UInt32, tfTitle tfT: UInt32, tfBody tfB: UInt32, lengthTitle: UInt32, lengthBody: UInt32) {
        let delta = UInt32(truncatingIfNeeded: Int64(doc) - lastDoc)
        lastDoc = Int64(doc)
        if inBlock == 0 { blockPositionsStart = positions.count }
        added += 1
        if !isLong {
            tail.varint(UInt64(delta - 1) << 1 | (tfT > 0 ? 1 : 0))
            if tfT > 0 { tail.varint(tfT) }
            tail.varint(tfB)
            return
        }
        impacts.add(tfTitle: tfT, tfBody: tfB, lengthTitle: lengthTitle, lengthBody: lengthBody)
        if (added - 1) / PostingsEncoder.blockSize < fullBlocks {
            deltas[inBlock] = delta - 1
            tfBody[inBlock] = tfB
            tfTitle[inBlock] = tfT
            inBlock += 1
            if inBlock == PostingsEncoder.blockSize {
                let start = blocks.count
                packBlock()
                addSkipEntry(lastDoc: doc, docStart: start)
            }
        } else {
            tail.varint(UInt64(delta - 1) << 1 | (tfT > 0 ? 1 : 0))
            if tfT > 0 { tail.varint(tfT) }
            tail.varint(tfB)
            inBlock += 1
            if added == df { addSkipEntry(lastDoc: doc, docStart: blocks.count) }
        }
    }

    /// Appends a document's positions (title then body, each ascending) in the format.
    mutating func appendPositions(title: UnsafeBufferPointer<UInt32>, body: UnsafeBufferPointer<UInt32>) {
        var previous: UInt32 = 0
        for p in title {
            appendVarint(p - previous)
            previous = p
        }
        previous = 0
        for p in body {
            appendVarint(p - previous)
            previous = p
        }
    }

    @inline(__always)
    private mutating func appendVarint(_ value: UInt32) {
        var v = value
        while v >= 0x80 {
            positions.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        positions.append(UInt8(v))
    }

    private mutating func packBlock() {
        let d = UnsafeBufferPointer(start: deltas, count: 128)
        let b = UnsafeBufferPointer(start: tfBody, count: 128)
        let t = UnsafeBufferPointer(start: tfTitle, count: 128)
        let wd = BitPacking.bitWidth(d), wb = BitPacking.bitWidth(b), wt = BitPacking.bitWidth(t)
        blocks.append(UInt8(wd))
        blocks.append(UInt8(wb))
        blocks.append(UInt8(wt))
        BitPacking.pack(d, width: wd, into: &blocks)
        BitPacking.pack(b, width: wb, into: &blocks)
        BitPacking.pack(t, width: wt, into: &blocks)
    }

    private mutating func addSkipEntry(lastDoc: UInt32, docStart: Int) {
        let blockImpacts = impacts.build()
        termImpacts.merge(blockImpacts)
        blockImpactList.append(blockImpacts)
        skip.u32(lastDoc)
        skip.u32(UInt32(docStart))
        skip.u32(UInt32(blockPositionsStart))
        skip.u32(0)  // impacts offset: patched in finish()
        impacts.reset()
        inBlock = 0
    }

    /// Finishes the term: `docBytes` and `positions` hold its regions.
    mutating func finish() {
        if !isLong {
            docBytes.append(tail.bytes)
            return
        }
        // Impacts area: term impacts, then each block's; patch the offsets into the skip table.
        var area = ByteWriter()
        termImpacts.build().encode(into: &area)
        var table = skip.bytes
        for (i, impacts) in blockImpactList.enumerated() {
            let offset = UInt32(area.count)
            withUnsafeBytes(of: offset.littleEndian) { src in
                for k in 0..<4 { table[i * 16 + 12 + k] = src[k] }
            }
            impacts.encode(into: &area)
        }
        var header = ByteWriter()
        header.u32(UInt32(area.count))
        docBytes.append(header.bytes)
        docBytes.append(table)
        docBytes.append(area.bytes)
        docBytes.append(UnsafeRawBufferPointer(blocks.elements))
        docBytes.append(tail.bytes)
    }
}

extension RawBuffer where Element == UInt8 {
    /// Appends bytes.
    @inline(__always)
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        reserve(count + bytes.count)
        for b in bytes { append(b) }
    }

    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// The bytes written.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(elements) }
}
