import QuarryCore

/// What the dictionary knows of a term in one segment.
package struct TermInfo: Sendable, Equatable {
    /// Documents containing the term in any field (= number of postings).
    package var df: Int
    /// Documents containing it in the title / in the body.
    package var dfTitle: Int
    package var dfBody: Int
    /// Passages containing it.
    package var passageDf: Int
    /// Its postings in the `.doc` file and positions in the `.pos` file (body offsets).
    package var docOffset: Int
    package var docLength: Int
    package var posOffset: Int
    package var posLength: Int

    package init(df: Int, dfTitle: Int, dfBody: Int, passageDf: Int, docOffset: Int, docLength: Int, posOffset: Int, posLength: Int) {
        self.df = df
        self.dfTitle = dfTitle
        self.dfBody = dfBody
        self.passageDf = passageDf
        self.docOffset = docOffset
        self.docLength = docLength
        self.posOffset = posOffset
        self.posLength = posLength
    }
}

/// Writes a term dictionary (`.tdx`): sorted terms in blocks of 32, prefix-compressed, with
/// a block index of each block's first term for binary search.
///
/// Per term in a block: shared prefix length with the previous term of the block (varint),
/// suffix length (varint), suffix bytes, df, df − dfTitle... see docs/FORMAT.md.
struct TermDictionaryWriter {
    static let blockTerms = 32

    private(set) var body = ByteWriter(capacity: 1 << 20)
    private var keys = ByteWriter()
    private var index = ByteWriter()
    private var inBlock = 0
    private var previous: [UInt8] = []
    private(set) var termCount = 0
    private var blockCount = 0
    private var docEnd = 0
    private var posEnd = 0

    /// Adds the next term (strictly ascending byte order). Postings must be contiguous:
    /// `info.docOffset` equals the end of the previous term's postings (likewise positions).
    mutating func add(_ term: UnsafeRawBufferPointer, _ info: TermInfo) {
        if inBlock == 0 {
            index.u64(UInt64(body.count))
            index.u64(UInt64(info.docOffset))
            index.u64(UInt64(info.posOffset))
            index.u32(UInt32(keys.count))
            index.u32(UInt32(term.count))
            keys.append(term)
            previous.removeAll(keepingCapacity: true)
            blockCount += 1
        }
        var shared = 0
        let limit = min(previous.count, term.count)
        while shared < limit && previous[shared] == term[shared] { shared += 1 }
        body.varint(shared)
        body.varint(term.count - shared)
        body.append(UnsafeRawBufferPointer(rebasing: term[shared...]))
        body.varint(info.df)
        body.varint(info.df - info.dfBody)
        body.varint(info.dfTitle)
        body.varint(info.passageDf)
        body.varint(info.docLength)
        body.varint(info.posLength)
        previous.removeAll(keepingCapacity: true)
        previous.append(contentsOf: term)
        docEnd = info.docOffset + info.docLength
        posEnd = info.posOffset + info.posLength
        inBlock += 1
        termCount += 1
        if inBlock == TermDictionaryWriter.blockTerms { inBlock = 0 }
    }

    /// The complete file body.
    mutating func finish() -> [UInt8] {
        let keysOffset = body.count
        body.append(keys.bytes)
        let indexOffset = body.count
        body.append(index.bytes)
        body.u64(UInt64(termCount))
        body.u64(UInt64(blockCount))
        body.u64(UInt64(keysOffset))
        body.u64(UInt64(indexOffset))
        return body.bytes
    }
}

/// Reads a term dictionary from a memory-mapped `.tdx` body. Lookups binary-search the
/// block index, then scan one block of at most 32 terms.
struct TermDictionaryReader: @unchecked Sendable {
    // @unchecked: a view of immutable mapped bytes owned by the segment reader.
    let name: String
    private let body: UnsafeRawBufferPointer
    let termCount: Int
    let blockCount: Int
    private let keysOffset: Int
    private let indexOffset: Int
    static let indexEntrySize = 32
    /// Limits that postings offsets must respect (sizes of the .doc and .pos bodies).
    let docLimit: Int
    let posLimit: Int

    /// Verifies the blocks a read touches (nil: not verified).
    private let verifier: BlockVerifier?

    init(body: UnsafeRawBufferPointer, name: String, docLimit: Int, posLimit: Int, verifier: BlockVerifier? = nil) throws(FormatError) {
        self.body = body
        self.name = name
        self.docLimit = docLimit
        self.posLimit = posLimit
        self.verifier = verifier
        guard body.count >= 32 else {
            throw FormatError(file: name, offset: FileEnvelope.headerSize, message: "dictionary trailer missing")
        }
        try verifier?.verify(body: (body.count - 32)..<body.count)
        var t = ByteReader(
            UnsafeRawBufferPointer(rebasing: body[(body.count - 32)...]), fileOffset: FileEnvelope.headerSize + body.count - 32,
            context: name)
        let terms = try t.u64(), blocks = try t.u64(), keys = try t.u64(), index = try t.u64()
        guard keys <= index, index <= UInt64(body.count - 32),
            blocks == (UInt64(body.count - 32) - index) / UInt64(TermDictionaryReader.indexEntrySize),
            (UInt64(body.count - 32) - index) % UInt64(TermDictionaryReader.indexEntrySize) == 0,
            terms >= blocks, terms <= blocks * UInt64(TermDictionaryWriter.blockTerms)
        else {
            throw FormatError(file: name, offset: FileEnvelope.headerSize + body.count - 32, message: "dictionary trailer is inconsistent")
        }
        termCount = Int(terms)
        blockCount = Int(blocks)
        keysOffset = Int(keys)
        indexOffset = Int(index)
    }

    struct BlockStart {
        var offset: Int
        var docOffset: Int
        var posOffset: Int
        var key: UnsafeRawBufferPointer
    }

    func blockStart(_ b: Int) throws(FormatError) -> BlockStart {
        // The key first: it verifies the entry's bytes and checks where the key lies.
        let key = try blockKey(b)
        let at = indexOffset + b * TermDictionaryReader.indexEntrySize
        func u64(_ field: Int) -> UInt64 { UInt64(littleEndian: body.loadUnaligned(fromByteOffset: at + 8 * field, as: UInt64.self)) }
        let offset = u64(0), doc = u64(1), pos = u64(2)
        guard offset < UInt64(keysOffset), doc <= UInt64(docLimit), pos <= UInt64(posLimit) else {
            throw FormatError(
                file: name, offset: FileEnvelope.headerSize + at, message: "dictionary block index entry \(b) points outside the file")
        }
        return BlockStart(offset: Int(offset), docOffset: Int(doc), posOffset: Int(pos), key: key)
    }

    /// The first key of block `b` (what the binary search compares), read in place. An index
    /// entry: block offset, postings offset and positions offset (u64 each), key start and
    /// key length in the keys area (u32 each).
    @inline(__always)
    func blockKey(_ b: Int) throws(FormatError) -> UnsafeRawBufferPointer {
        let at = indexOffset + b * TermDictionaryReader.indexEntrySize
        try verifier?.verify(body: at..<(at + TermDictionaryReader.indexEntrySize))
        let keyStart = Int(UInt32(littleEndian: body.loadUnaligned(fromByteOffset: at + 24, as: UInt32.self)))
        let keyLength = Int(UInt32(littleEndian: body.loadUnaligned(fromByteOffset: at + 28, as: UInt32.self)))
        guard keysOffset + keyStart + keyLength <= indexOffset else {
            throw FormatError(
                file: name, offset: FileEnvelope.headerSize + at, message: "dictionary block index entry \(b) points outside the file")
        }
        try verifier?.verify(body: (keysOffset + keyStart)..<(keysOffset + keyStart + keyLength))
        return UnsafeRawBufferPointer(rebasing: body[(keysOffset + keyStart)..<(keysOffset + keyStart + keyLength)])
    }

    /// Verifies the bytes of term block `b` (that starts at `start`).
    func verifyBlock(_ b: Int, start: Int) throws(FormatError) {
        guard let verifier else { return }
        let end = b + 1 < blockCount ? try blockStart(b + 1).offset : keysOffset
        guard start <= end else {
            throw FormatError(file: name, offset: FileEnvelope.headerSize + start, message: "dictionary block \(b) overlaps the next")
        }
        try verifier.verify(body: start..<end)
    }

    /// The block that would hold `term` (the last block whose first key ≤ term), or nil.
    func findBlock(_ term: UnsafeRawBufferPointer) throws(FormatError) -> Int? {
        var lo = 0, hi = blockCount - 1
        var found: Int? = nil
        while lo <= hi {
            let mid = (lo + hi) / 2
            let c = compareBytes(try blockKey(mid), term)
            if c <= 0 {
                found = mid
                lo = mid + 1
            } else {
                hi = mid - 1
            }
        }
        return found
    }

    /// Looks a term up: binary search of the block index, then a scan of one block that
    /// compares each entry's suffix in place (no allocation).
    func lookup(_ term: UnsafeRawBufferPointer) throws(FormatError) -> TermInfo? {
        guard let b = try findBlock(term) else { return nil }
        let start = try blockStart(b)
        try verifyBlock(b, start: start.offset)
        var r = ByteReader(UnsafeRawBufferPointer(rebasing: body[0..<keysOffset]), fileOffset: FileEnvelope.headerSize, context: name)
        try r.seek(start.offset)
        var docOffset = start.docOffset, posOffset = start.posOffset
        let entries = min(TermDictionaryWriter.blockTerms, termCount - b * TermDictionaryWriter.blockTerms)
        // How many leading bytes of `term` the previous entry matched.
        var matched = 0
        for _ in 0..<entries {
            let shared = try r.shortCount(limit: 1 << 24, "shared prefix")
            let suffix = try r.shortLengthPrefixed()
            let df = try r.shortCount(limit: Int(Int32.max), "df")
            let notBody = try r.shortCount(limit: df, "df outside the body")
            let dfTitle = try r.shortCount(limit: df, "title df")
            let passageDf = try r.shortCount(limit: Int(Int32.max), "passage df")
            let docLength = try r.shortCount(limit: docLimit - docOffset, "postings length")
            let posLength = try r.shortCount(limit: posLimit - posOffset, "positions length")
            // This entry = previous entry's first `shared` bytes + suffix. It can equal `term`
            // only if the previous entry matched at least `shared` bytes of it.
            if shared <= matched {
                // Compare the suffix with term[shared...].
                var i = 0
                let rest = term.count - shared
                while i < suffix.count && i < rest && suffix[i] == term[shared + i] { i += 1 }
                if i == suffix.count && i == rest {
                    return TermInfo(
                        df: df, dfTitle: dfTitle, dfBody: df - notBody, passageDf: passageDf,
                        docOffset: docOffset, docLength: docLength, posOffset: posOffset, posLength: posLength)
                }
                // Entries are sorted: once past the term, it is not here.
                if i < suffix.count && (i == rest || suffix[i] > term[shared + i]) { return nil }
                matched = shared + i
            } else if shared > matched {
                // Shares more with the previous entry than the previous entry shared with
                // `term`: still below it; `matched` stays.
            }
            docOffset += docLength
            posOffset += posLength
        }
        return nil
    }

    /// A cursor over all terms from block `block` on, in order.
    struct TermCursor {
        let dict: TermDictionaryReader
        private var block: Int
        private var reader: ByteReader
        private var inBlock = 0
        /// The current term's bytes (valid after `next()` returned non-nil).
        private(set) var key: [UInt8] = []
        private var docOffset = 0
        private var posOffset = 0
        private var remaining: Int
        /// True after the last term of the current block was returned.
        private(set) var blockFinished = false

        init(_ dict: TermDictionaryReader, block: Int) throws(FormatError) {
            self.dict = dict
            self.block = block
            reader = ByteReader(dict.body, context: dict.name)
            remaining = 0
            try enter(block)
        }

        private mutating func enter(_ b: Int) throws(FormatError) {
            let start = try dict.blockStart(b)
            try dict.verifyBlock(b, start: start.offset)
            reader = ByteReader(
                UnsafeRawBufferPointer(rebasing: dict.body[0..<dict.keysOffset]), fileOffset: FileEnvelope.headerSize, context: dict.name)
            try reader.seek(start.offset)
            docOffset = start.docOffset
            posOffset = start.posOffset
            inBlock = 0
            key.removeAll(keepingCapacity: true)
            let before = b * TermDictionaryWriter.blockTerms
            remaining = min(TermDictionaryWriter.blockTerms, dict.termCount - before)
            block = b
        }

        /// Moves to the next term (its bytes in `key`) and returns its info, or nil after the
        /// last term.
        mutating func next() throws(FormatError) -> TermInfo? {
            if remaining == 0 {
                guard block + 1 < dict.blockCount else { return nil }
                try enter(block + 1)
            }
            let at = reader.position
            let shared = try reader.shortCount(limit: key.count, "shared prefix")
            let suffix = try reader.shortLengthPrefixed()
            key.removeSubrange(shared...)
            key.append(contentsOf: suffix)
            let df = try reader.shortCount(limit: Int(Int32.max), "df")
            let notBody = try reader.shortCount(limit: df, "df outside the body")
            let dfTitle = try reader.shortCount(limit: df, "title df")
            let passageDf = try reader.shortCount(limit: Int(Int32.max), "passage df")
            let docLength = try reader.shortCount(limit: dict.docLimit - docOffset, "postings length")
            let posLength = try reader.shortCount(limit: dict.posLimit - posOffset, "positions length")
            guard df > 0 else { throw reader.error("term with no documents", at: at) }
            let info = TermInfo(
                df: df, dfTitle: dfTitle, dfBody: df - notBody, passageDf: passageDf,
                docOffset: docOffset, docLength: docLength, posOffset: posOffset, posLength: posLength)
            docOffset += docLength
            posOffset += posLength
            inBlock += 1
            remaining -= 1
            blockFinished = remaining == 0
            return info
        }
    }
}
