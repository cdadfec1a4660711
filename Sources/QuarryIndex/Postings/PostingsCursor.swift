import QuarryCore

/// Iterates one term's postings in one segment: documents in ascending order with their
/// title and body term frequencies, positions on demand, and per-block upper bounds
/// (impacts) for dynamic pruning. Every offset read from the file is checked against the
/// term's region, so damaged data is an error, never a crash.
///
/// Public only so that its `@inlinable` members inline into other modules of the package
/// (Swift 6.3 does not inline `@inlinable` members of package-level types across modules);
/// none of it is usable outside the package.
public final class PostingsCursor {
    /// "No more documents".
    @inlinable package static var end: Int32 { Int32.max }
    static let blockSize = BitPacking.blockSize

    package let df: Int
    private let region: UnsafeRawBufferPointer
    private let positionsRegion: UnsafeRawBufferPointer
    private let name: String
    /// `name (positions)`, made once: readers are made per document.
    private let positionsName: String
    private let regionOffset: Int

    /// Number of blocks (1 for a term of at most 128 documents).
    package let blockCount: Int
    @usableFromInline let isLong: Bool
    private let fullBlocks: Int
    private let skipStart = 4
    @exclusivity(unchecked) private var impactsStart = 0
    @exclusivity(unchecked) private var blocksStart = 0

    // Decoded current block: documents and term frequencies, `blockLength` of them, the
    // current one at `index`. Readable from other modules so that collectors can walk a
    // block in a tight loop (`seek(index:)` moves the cursor within it).
    @usableFromInline let docBuffer: UnsafeMutablePointer<UInt32>
    @usableFromInline let tfBodyBuffer: UnsafeMutablePointer<UInt32>
    @usableFromInline let tfTitleBuffer: UnsafeMutablePointer<UInt32>
    /// The current block's documents, body and title frequencies (`blockLength` of each).
    @inlinable package var docs: UnsafeMutablePointer<UInt32> { docBuffer }
    @inlinable package var tfBodies: UnsafeMutablePointer<UInt32> { tfBodyBuffer }
    @inlinable package var tfTitles: UnsafeMutablePointer<UInt32> { tfTitleBuffer }
    @usableFromInline @exclusivity(unchecked) var currentBlock = -1
    @usableFromInline @exclusivity(unchecked) var currentLength = 0
    @usableFromInline @exclusivity(unchecked) var currentIndex = 0
    @usableFromInline @exclusivity(unchecked) var currentDoc: Int32 = -1
    /// The current block's number (-1 before the first).
    @inlinable package var block: Int { currentBlock }
    /// Entries of the current block.
    @inlinable package var blockLength: Int { currentLength }
    /// The current entry of the block.
    @inlinable package var index: Int { currentIndex }
    /// Current document, or `PostingsCursor.end`.
    @inlinable package var doc: Int32 { currentDoc }
    // Positions of the current block: next unread doc index and its byte offset.
    @exclusivity(unchecked) private var positionsDoc = 0
    @exclusivity(unchecked) private var positionsOffset = 0
    @exclusivity(unchecked) private var positionsBlock = -1

    /// Verifies the term's positions region (`positionsRange` of the `.pos` body) before
    /// they are first read.
    private let positionsVerifier: BlockVerifier?
    private let positionsRange: Range<Int>
    @exclusivity(unchecked) private var positionsVerified = false

    init(
        region: UnsafeRawBufferPointer, positions: UnsafeRawBufferPointer, df: Int, name: String, regionOffset: Int,
        positionsVerifier: BlockVerifier? = nil, positionsRange: Range<Int> = 0..<0
    ) throws(FormatError) {
        self.positionsVerifier = positionsVerifier
        self.positionsRange = positionsRange
        self.region = region
        self.positionsRegion = positions
        self.df = df
        self.name = name
        positionsName = name + " (positions)"
        self.regionOffset = regionOffset
        isLong = df > PostingsCursor.blockSize
        fullBlocks = isLong ? df / PostingsCursor.blockSize : 0
        blockCount = isLong ? (df + PostingsCursor.blockSize - 1) / PostingsCursor.blockSize : 1
        docBuffer = .allocate(capacity: PostingsCursor.blockSize)
        tfBodyBuffer = .allocate(capacity: PostingsCursor.blockSize)
        tfTitleBuffer = .allocate(capacity: PostingsCursor.blockSize)
        if isLong {
            guard region.count >= 4 + blockCount * 16 else { throw fail("postings region too short for its skip table", 0) }
            let impactsLength = Int(UInt32(littleEndian: region.loadUnaligned(fromByteOffset: 0, as: UInt32.self)))
            impactsStart = skipStart + blockCount * 16
            blocksStart = impactsStart + impactsLength
            guard blocksStart <= region.count else { throw fail("impacts area runs past the postings region", 0) }
        }
    }

    deinit {
        docs.deallocate()
        tfBodies.deallocate()
        tfTitles.deallocate()
    }

    private func fail(_ message: String, _ at: Int) -> FormatError {
        FormatError(file: name, offset: regionOffset + at, message: message)
    }

    // MARK: Skip table

    @inline(__always) private func skipU32(_ b: Int, _ field: Int) -> Int {
        Int(UInt32(littleEndian: region.loadUnaligned(fromByteOffset: skipStart + b * 16 + field * 4, as: UInt32.self)))
    }

    /// Last document of block `b` (long terms only; for a short term, its last document).
    @inline(__always) package func blockLastDoc(_ b: Int) -> Int32 {
        Int32(truncatingIfNeeded: skipU32(b, 0))
    }

    /// Upper bounds of what block `b` can score (long terms).
    package func blockImpacts(_ b: Int) throws(FormatError) -> Impacts {
        var r = try blockImpactsReader(b)
        return try Impacts.decode(&r)
    }

    /// A reader at block `b`'s encoded impacts (long terms), for `Impacts.visit`.
    package func blockImpactsReader(_ b: Int) throws(FormatError) -> ByteReader {
        let at = impactsStart + skipU32(b, 3)
        guard at < blocksStart else { throw fail("block impacts offset out of range", skipStart + b * 16 + 12) }
        return ByteReader(UnsafeRawBufferPointer(rebasing: region[at..<blocksStart]), fileOffset: regionOffset + at, context: name)
    }

    /// A reader at the whole term's encoded impacts (long terms), for `Impacts.visit`.
    package func termImpactsReader() throws(FormatError) -> ByteReader {
        ByteReader(
            UnsafeRawBufferPointer(rebasing: region[impactsStart..<blocksStart]), fileOffset: regionOffset + impactsStart, context: name)
    }

    /// Upper bounds over the whole term. For short terms, computed from the postings
    /// (with the lengths function giving each document's title and body lengths).
    package func termImpacts(lengths: (Int) -> (UInt32, UInt32)) throws(FormatError) -> Impacts {
        if isLong {
            var r = ByteReader(
                UnsafeRawBufferPointer(rebasing: region[impactsStart..<blocksStart]), fileOffset: regionOffset + impactsStart, context: name
            )
            return try Impacts.decode(&r)
        }
        try loadBlock(0)
        decodeFrequencies()
        var builder = ImpactsBuilder()
        for i in 0..<currentLength {
            let (lt, lb) = lengths(Int(docs[i]))
            builder.add(tfTitle: tfTitles[i], tfBody: tfBodies[i], lengthTitle: lt, lengthBody: lb)
        }
        currentBlock = -1
        return builder.build()
    }

    // MARK: Decoding

    private func loadBlock(_ b: Int) throws(FormatError) {
        currentBlock = b
        currentIndex = 0
        positionsBlock = -1
        var previous: Int64 = -1
        if isLong && b > 0 { previous = Int64(blockLastDoc(b - 1)) }
        if isLong && b < fullBlocks {
            let start = blocksStart + skipU32(b, 1)
            guard start + 3 <= region.count else { throw fail("block \(b) starts outside the postings region", skipStart + b * 16 + 4) }
            let wd = Int(region[start]), wb = Int(region[start + 1]), wt = Int(region[start + 2])
            guard wd <= 32, wb <= 32, wt <= 32, start + 3 + 16 * (wd + wb + wt) <= region.count else {
                throw fail("block \(b) has invalid bit widths or runs past the region", start)
            }
            guard let base = region.baseAddress else { throw fail("empty postings region", 0) }
            let p = base + start + 3
            BitPacking.unpack(p, width: wd, into: docs)
            // Frequencies are unpacked when first asked for (`decodeFrequencies`): lists
            // that are only consulted for some documents skip most of them.
            pendingFrequencies = (p + 16 * wd, wb, wt)
            frequenciesPending = true
            // Deltas are < 2³², so 128 of them cannot overflow an Int64.
            var d = previous
            for i in 0..<PostingsCursor.blockSize {
                d &+= Int64(docs[i]) &+ 1
                docs[i] = UInt32(truncatingIfNeeded: d)
            }
            guard d < Int64(Int32.max), Int32(truncatingIfNeeded: d) == blockLastDoc(b) else {
                throw fail("block \(b) does not end at the document its skip entry names", start)
            }
            currentLength = PostingsCursor.blockSize
        } else {
            frequenciesPending = false
            let start = isLong ? blocksStart + skipU32(b, 1) : 0
            let count = isLong ? df - fullBlocks * PostingsCursor.blockSize : df
            guard start <= region.count else { throw fail("tail block starts outside the postings region", 0) }
            var r = ByteReader(UnsafeRawBufferPointer(rebasing: region[start...]), fileOffset: regionOffset + start, context: name)
            var d = previous
            for i in 0..<count {
                let code = try r.varint()
                d += Int64(code >> 1) + 1
                tfTitles[i] = code & 1 == 1 ? UInt32(truncatingIfNeeded: try r.varint()) : 0
                tfBodies[i] = UInt32(truncatingIfNeeded: try r.varint())
                docs[i] = UInt32(truncatingIfNeeded: d)
            }
            guard d < Int64(Int32.max) else { throw fail("document id out of range", start) }
            if isLong && Int32(truncatingIfNeeded: d) != blockLastDoc(b) {
                throw fail("last block does not end at the document its skip entry names", start)
            }
            currentLength = count
        }
    }

    /// Moves to the next document; returns it (or `end`).
    @inlinable @inline(__always)
    package func next() throws(FormatError) -> Int32 {
        currentIndex += 1
        if currentBlock >= 0 && currentIndex < currentLength {
            currentDoc = Int32(bitPattern: docBuffer[currentIndex])
            return currentDoc
        }
        return try nextInNextBlock()
    }

    @usableFromInline func nextInNextBlock() throws(FormatError) -> Int32 {
        let nextBlock = currentBlock + 1
        if nextBlock >= blockCount {
            currentDoc = PostingsCursor.end
            return currentDoc
        }
        try loadBlock(nextBlock)
        currentDoc = Int32(bitPattern: docs[0])
        return currentDoc
    }

    /// Moves to the first document ≥ `target`; returns it (or `end`).
    @inlinable @inline(__always)
    package func advance(to target: Int32) throws(FormatError) -> Int32 {
        if currentDoc >= target { return currentDoc }
        // Within the current block (its last document is at least the target).
        if currentBlock >= 0 && currentLength > 0 && Int32(bitPattern: docBuffer[currentLength - 1]) >= target {
            var i = currentIndex
            while Int32(bitPattern: docBuffer[i]) < target { i += 1 }
            currentIndex = i
            currentDoc = Int32(bitPattern: docBuffer[i])
            return currentDoc
        }
        return try advanceAcrossBlocks(to: target)
    }

    @usableFromInline func advanceAcrossBlocks(to target: Int32) throws(FormatError) -> Int32 {
        if target == PostingsCursor.end {
            currentDoc = PostingsCursor.end
            return currentDoc
        }
        // Skip whole blocks using the skip table.
        if isLong {
            var b = max(currentBlock, 0)
            if currentBlock < 0 || blockLastDoc(b) < target {
                while b < blockCount && blockLastDoc(b) < target { b += 1 }
                if b >= blockCount {
                    currentDoc = PostingsCursor.end
                    return currentDoc
                }
                if b != currentBlock { try loadBlock(b) }
            }
        } else if currentBlock < 0 {
            try loadBlock(0)
        }
        while currentIndex < currentLength && Int32(bitPattern: docs[currentIndex]) < target { currentIndex += 1 }
        if currentIndex >= currentLength {
            currentDoc = PostingsCursor.end
            return currentDoc
        }
        currentDoc = Int32(bitPattern: docs[currentIndex])
        return currentDoc
    }

    /// Moves to entry `i` of the current block (`i` < `blockLength`, at or after `index`):
    /// the end of a tight loop over the block's arrays.
    @inlinable @inline(__always)
    package func seek(index i: Int) {
        currentIndex = i
        currentDoc = Int32(bitPattern: docs[i])
    }

    /// Decodes the next block and moves to its first entry; false (at `end`) when there is
    /// none.
    package func nextBlock() throws(FormatError) -> Bool {
        let nextBlock = currentBlock + 1
        if nextBlock >= blockCount {
            currentIndex = currentLength
            currentDoc = PostingsCursor.end
            return false
        }
        try loadBlock(nextBlock)
        currentDoc = Int32(bitPattern: docs[0])
        return true
    }

    /// The block holding the first document ≥ `target` (without decoding), or `blockCount`.
    @inline(__always)
    package func blockFor(_ target: Int32) -> Int {
        guard isLong else { return 0 }
        var b = max(currentBlock, 0)
        while b < blockCount && blockLastDoc(b) < target { b += 1 }
        return b
    }

    /// Moves the shallow block pointer (never backwards) to the block that would hold the
    /// first document ≥ `target`, without decoding anything; returns that block's last
    /// document (`end` when there is none; a short list is one block ending at `end`).
    @exclusivity(unchecked) private var shallow = 0

    @inline(__always)
    package func shallowAdvance(to target: Int32) -> (block: Int, lastDoc: Int32) {
        guard isLong else { return (0, PostingsCursor.end) }
        var b = max(shallow, currentBlock, 0)
        while b < blockCount && blockLastDoc(b) < target { b += 1 }
        shallow = b
        return b < blockCount ? (b, blockLastDoc(b)) : (b, PostingsCursor.end)
    }

    /// True for a list of more than one block (only those have per-block impacts).
    @inlinable package var hasBlocks: Bool { isLong }

    /// Title term frequency of the current document.
    @inlinable @inline(__always) package var tfTitle: UInt32 {
        decodeFrequencies()
        return tfTitles[currentIndex]
    }
    /// Body term frequency of the current document.
    @inlinable @inline(__always) package var tfBody: UInt32 {
        decodeFrequencies()
        return tfBodies[currentIndex]
    }

    /// True when the current block's frequencies are still packed.
    @usableFromInline @exclusivity(unchecked) var frequenciesPending = false
    /// Where they are, and their bit widths (body, title).
    @exclusivity(unchecked) private var pendingFrequencies: (UnsafeRawPointer, Int, Int) = (
        UnsafeRawPointer(bitPattern: 1).unsafelyUnwrapped, 0, 0
    )

    /// Makes `tfTitles` and `tfBodies` valid for the current block (call before reading
    /// them directly).
    @inlinable @inline(__always) package func decodeFrequencies() {
        if frequenciesPending { unpackFrequencies() }
    }

    @usableFromInline func unpackFrequencies() {
        let (p, wb, wt) = pendingFrequencies
        BitPacking.unpack(p, width: wb, into: tfBodies)
        BitPacking.unpack(p + 16 * wb, width: wt, into: tfTitles)
        frequenciesPending = false
    }

    /// Moves the positions reader to the current document's positions; returns the reader.
    private func positionsReader() throws(FormatError) -> ByteReader {
        if !positionsVerified {
            try positionsVerifier?.verify(body: positionsRange)
            positionsVerified = true
        }
        decodeFrequencies()
        if positionsBlock != currentBlock || currentIndex < positionsDoc {
            positionsBlock = currentBlock
            positionsDoc = 0
            positionsOffset = isLong ? skipU32(currentBlock, 2) : 0
        }
        guard positionsOffset <= positionsRegion.count else { throw fail("positions offset out of range", 0) }
        var r = ByteReader(UnsafeRawBufferPointer(rebasing: positionsRegion[positionsOffset...]), context: positionsName)
        var skipped = 0
        while positionsDoc < currentIndex {
            skipped += Int(tfTitles[positionsDoc]) + Int(tfBodies[positionsDoc])
            positionsDoc += 1
        }
        try r.skipVarints(skipped)
        return r
    }

    /// Appends the current document's positions, encoded as they are in the file, to `out`
    /// (merging copies them without decoding).
    func copyPositions(into out: inout RawBuffer<UInt8>) throws(FormatError) {
        var r = try positionsReader()
        let start = r.position
        try r.skipVarints(Int(tfTitles[currentIndex]) + Int(tfBodies[currentIndex]))
        out.append(UnsafeRawBufferPointer(rebasing: r.base[start..<r.position]))
        positionsDoc = currentIndex + 1
        positionsOffset += r.position
    }

    /// Appends the current document's positions in the fields asked for to `title` and
    /// `body` (phrase matching); a field not asked for is skipped without decoding.
    package func appendPositions(
        title: inout RawBuffer<UInt32>, body: inout RawBuffer<UInt32>, wantTitle: Bool, wantBody: Bool
    ) throws(FormatError) {
        var r = try positionsReader()
        try PostingsCursor.appendField(&r, Int(tfTitles[currentIndex]), to: &title, wanted: wantTitle)
        try PostingsCursor.appendField(&r, Int(tfBodies[currentIndex]), to: &body, wanted: wantBody)
        positionsDoc = currentIndex + 1
        positionsOffset += r.position
    }

    /// One field's `count` delta-coded positions: appended to `out`, or skipped.
    @inline(__always)
    private static func appendField(_ r: inout ByteReader, _ count: Int, to out: inout RawBuffer<UInt32>, wanted: Bool) throws(FormatError)
    {
        guard wanted else { return try r.skipVarints(count) }
        var p: UInt32 = 0
        for _ in 0..<count {
            p &+= UInt32(truncatingIfNeeded: try r.varint())
            out.append(p)
        }
    }

    /// Positions of the current document: title positions, then body positions.
    package func positions(title: inout [UInt32], body: inout [UInt32]) throws(FormatError) {
        title.removeAll(keepingCapacity: true)
        body.removeAll(keepingCapacity: true)
        var r = try positionsReader()
        var p: UInt32 = 0
        for _ in 0..<tfTitles[currentIndex] {
            p &+= UInt32(truncatingIfNeeded: try r.varint())
            title.append(p)
        }
        p = 0
        for _ in 0..<tfBodies[currentIndex] {
            p &+= UInt32(truncatingIfNeeded: try r.varint())
            body.append(p)
        }
        positionsDoc = currentIndex + 1
        positionsOffset += r.position
    }
}
