import QuarryCore

/// Encodes one term's postings (docs/FORMAT.md, "Postings" and "Positions").
///
/// A term with at most 128 documents is a list of varint entries. A longer term has a
/// header (impacts area length, u32), a skip table of 16-byte entries (one per block of 128
/// documents: last doc, offset of the block's doc data, offset of its positions, offset of
/// its impacts), the impacts area (the whole term's impacts, then each block's), the full
/// blocks bit-packed, and the remaining documents as varint entries.
struct PostingsEncoder {
    static let blockSize = BitPacking.blockSize

    private(set) var docBytes: [UInt8] = []
    private(set) var posBytes: [UInt8] = []

    private var df = 0
    private var added = 0
    private var lastDoc: Int64 = -1
    // Current block.
    private var deltas = [UInt32](repeating: 0, count: 128)
    private var tfBody = [UInt32](repeating: 0, count: 128)
    private var tfTitle = [UInt32](repeating: 0, count: 128)
    private var inBlock = 0
    private var blockPosStart = 0
    // Long terms.
    private var skip = ByteWriter()
    private var impactsArea = ByteWriter()
    private var blocks: [UInt8] = []
    private var tail = ByteWriter()
    private var blockImpacts = ImpactsBuilder()
    private var termImpacts = ImpactsBuilder()
    private var blockImpactList: [Impacts] = []
    private var positionsScratch = ByteWriter()

    init() {
        docBytes.reserveCapacity(1 << 16)
        posBytes.reserveCapacity(1 << 16)
    }

    mutating func begin(df: Int) {
        self.df = df
        added = 0
        lastDoc = -1
        inBlock = 0
        blockPosStart = 0
        docBytes.removeAll(keepingCapacity: true)
        posBytes.removeAll(keepingCapacity: true)
        skip.removeAll()
        impactsArea.removeAll()
        blocks.removeAll(keepingCapacity: true)
        tail.removeAll()
        blockImpacts.reset()
        termImpacts.reset()
        blockImpactList.removeAll(keepingCapacity: true)
    }

    var isLong: Bool { df > PostingsEncoder.blockSize }

    /// Adds the next document (ascending). `titlePositions` and `bodyPositions` ascending.
    mutating func add(
        doc: UInt32, titlePositions: UnsafeBufferPointer<UInt32>, bodyPositions: UnsafeBufferPointer<UInt32>,
        lengthTitle: UInt32, lengthBody: UInt32
    ) {
        let tfT = UInt32(titlePositions.count), tfB = UInt32(bodyPositions.count)
        let delta = UInt32(Int64(doc) - lastDoc)
        lastDoc = Int64(doc)
        // Positions: title then body, each delta-coded from 0.
        var prev: UInt32 = 0
        for p in titlePositions {
            PostingsEncoder.appendVarint(&posBytes, p - prev)
            prev = p
        }
        prev = 0
        for p in bodyPositions {
            PostingsEncoder.appendVarint(&posBytes, p - prev)
            prev = p
        }
        added += 1
        let fullBlocks = df / PostingsEncoder.blockSize
        let inFullBlock = isLong && (added - 1) / PostingsEncoder.blockSize < fullBlocks
        blockImpacts.add(tfTitle: tfT, tfBody: tfB, lengthTitle: lengthTitle, lengthBody: lengthBody)
        if inFullBlock {
            deltas[inBlock] = delta - 1
            tfBody[inBlock] = tfB
            tfTitle[inBlock] = tfT
            inBlock += 1
            if inBlock == PostingsEncoder.blockSize { finishPackedBlock(lastDoc: doc) }
        } else {
            tail.varint(UInt64(delta - 1) << 1 | (tfT > 0 ? 1 : 0))
            if tfT > 0 { tail.varint(tfT) }
            tail.varint(tfB)
            inBlock += 1
            if added == df && isLong { finishTailBlock(lastDoc: doc) }
        }
    }

    private static func appendVarint(_ out: inout [UInt8], _ value: UInt32) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    private mutating func addSkipEntry(lastDoc: UInt32, docStart: Int) {
        let impacts = blockImpacts.build()
        termImpacts.merge(impacts)
        blockImpactList.append(impacts)
        skip.u32(lastDoc)
        skip.u32(UInt32(docStart))
        skip.u32(UInt32(blockPosStart))
        skip.u32(0)  // impacts offset: patched in finish()
        blockImpacts.reset()
        blockPosStart = posBytes.count
        inBlock = 0
    }

    private mutating func finishPackedBlock(lastDoc: UInt32) {
        let start = blocks.count
        deltas.withUnsafeBufferPointer { d in
            tfBody.withUnsafeBufferPointer { b in
                tfTitle.withUnsafeBufferPointer { t in
                    let wd = BitPacking.bitWidth(d), wb = BitPacking.bitWidth(b), wt = BitPacking.bitWidth(t)
                    blocks.append(UInt8(wd))
                    blocks.append(UInt8(wb))
                    blocks.append(UInt8(wt))
                    BitPacking.pack(d, width: wd, into: &blocks)
                    BitPacking.pack(b, width: wb, into: &blocks)
                    BitPacking.pack(t, width: wt, into: &blocks)
                }
            }
        }
        addSkipEntry(lastDoc: lastDoc, docStart: start)
    }

    private mutating func finishTailBlock(lastDoc: UInt32) {
        addSkipEntry(lastDoc: lastDoc, docStart: blocks.count)
    }

    /// Finishes the term: `docBytes` and `posBytes` hold its regions.
    mutating func finish() {
        precondition(added == df, "postings count does not match df")
        if !isLong {
            docBytes.append(contentsOf: tail.bytes)
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
        docBytes.append(contentsOf: header.bytes)
        docBytes.append(contentsOf: table)
        docBytes.append(contentsOf: area.bytes)
        docBytes.append(contentsOf: blocks)
        docBytes.append(contentsOf: tail.bytes)
    }
}
