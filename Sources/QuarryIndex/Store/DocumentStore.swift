import CZstd
import QuarryCore

/// Writes the stored-documents file of a segment: records packed into blocks of about
/// `blockBytes`, each block compressed with Zstandard, then a block index.
final class StoreWriter {
    let file: OutputFile
    let name: String
    private let blockBytes: Int
    private let level: Int32
    private var block = ByteWriter(capacity: 1 << 16)
    private var blockFirstDoc = 0
    private var docs = 0
    private var index = ByteWriter()
    private var blockCount = 0
    private var compressed: [UInt8] = []
    private let context: OpaquePointer?

    init(path: String, nonce: UInt64, blockBytes: Int = 16 << 10, level: Int32 = 3) throws {
        file = try OutputFile(path: path, blockChecksumBytes: BlockChecksums.blockBytes)
        name = path
        self.blockBytes = blockBytes
        self.level = level
        context = ZSTD_createCCtx()
        try FileEnvelope.writeHeader(.store, nonce: nonce, to: file)
    }

    deinit { ZSTD_freeCCtx(context) }

    var bytesWritten: Int { file.offset + block.count }

    /// Appends one encoded record (the next document id).
    func add(_ record: ByteWriter) throws {
        block.varint(record.count)
        block.append(record.bytes)
        docs += 1
        if block.count >= blockBytes { try flushBlock() }
    }

    /// Appends a document's record (`StoredText`), encoded straight into the current block.
    func add(_ document: (inout ByteWriter) -> Void) throws {
        // Reserve a 3-byte length, encode, then fill it in as a padded varint (continuation
        // bits on the first two bytes), or re-encode it for a record of 2 MiB or more.
        let lengthAt = block.count
        block.append([0, 0, 0])
        document(&block)
        let length = block.count - lengthAt - 3
        if length < 1 << 21 {
            block.patchBytes(at: lengthAt, [UInt8(length & 0x7F) | 0x80, UInt8((length >> 7) & 0x7F) | 0x80, UInt8(length >> 14)])
        } else {
            block.replaceVarintPrefix(at: lengthAt, reserved: 3, value: length)
        }
        docs += 1
        if block.count >= blockBytes { try flushBlock() }
    }

    private func flushBlock() throws {
        guard block.count > 0 else { return }
        let raw = block.bytes
        let bound = ZSTD_compressBound(raw.count)
        if compressed.count < bound { compressed = [UInt8](repeating: 0, count: bound) }
        let n = raw.withUnsafeBytes { src in
            compressed.withUnsafeMutableBytes { dst in
                ZSTD_compressCCtx(context, dst.baseAddress, dst.count, src.baseAddress, src.count, level)
            }
        }
        let offset = file.offset - FileEnvelope.headerSize
        var codec: UInt8 = 1
        if ZSTD_isError(n) != 0 || n >= raw.count {
            codec = 0
            try file.write(raw)
        } else {
            try compressed.withUnsafeBytes { try file.write(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
        index.u32(UInt32(blockFirstDoc))
        index.u64(UInt64(offset))
        index.u32(UInt32(codec == 1 ? n : raw.count))
        index.u32(UInt32(raw.count))
        index.u8(codec)
        blockCount += 1
        blockFirstDoc = docs
        block.removeAll()
    }

    /// Appends every block of another store as it is (compressed bytes copied), its
    /// documents following the ones added so far.
    func appendBlocks(of other: StoreReader) throws {
        try flushBlock()
        try other.forEachBlock { firstDoc, stored, rawLength, codec in
            let offset = file.offset - FileEnvelope.headerSize
            try file.write(stored)
            index.u32(UInt32(docs + firstDoc))
            index.u64(UInt64(offset))
            index.u32(UInt32(stored.count))
            index.u32(UInt32(rawLength))
            index.u8(codec)
            blockCount += 1
        }
        docs += other.docCount
        blockFirstDoc = docs
    }

    /// Writes the block index and the footer.
    func finish() throws {
        try flushBlock()
        let indexOffset = file.offset - FileEnvelope.headerSize
        try file.write(index.bytes)
        var trailer = ByteWriter()
        trailer.u32(UInt32(docs))
        trailer.u32(UInt32(blockCount))
        trailer.u64(UInt64(indexOffset))
        try file.write(trailer.bytes)
        try FileEnvelope.finish(file)
    }
}

/// Reads stored documents of a segment (thread-safe; decompressed blocks are not cached
/// here, callers that need many documents of one block ask for them together).
final class StoreReader: @unchecked Sendable {
    // @unchecked: immutable after init; the mapped file is read-only.
    let name: String
    private let body: UnsafeRawBufferPointer
    private let file: MappedFile
    let docCount: Int
    private let blockCount: Int
    private let indexOffset: Int
    static let entrySize = 21
    /// Verifies the blocks a read touches (nil: not verified).
    private let verifier: BlockVerifier?

    init(file: MappedFile, name: String, verify: Bool, verifier: BlockVerifier? = nil) throws {
        self.file = file
        self.name = name
        self.verifier = verifier
        body = try FileEnvelope.open(file.bytes, kind: .store, name: name, verifyChecksum: verify)
        try verifier?.verify(body: max(0, body.count - 16)..<body.count)
        guard body.count >= 16 else { throw FormatError(file: name, offset: FileEnvelope.headerSize, message: "store trailer missing") }
        var t = ByteReader(
            UnsafeRawBufferPointer(rebasing: body[(body.count - 16)...]), fileOffset: FileEnvelope.headerSize + body.count - 16,
            context: name)
        docCount = Int(try t.u32())
        blockCount = Int(try t.u32())
        indexOffset = Int(try t.u64())
        guard indexOffset <= body.count - 16, (body.count - 16 - indexOffset) == blockCount * StoreReader.entrySize else {
            throw FormatError(
                file: name, offset: FileEnvelope.headerSize + body.count - 16, message: "store block index does not fit the file")
        }
        try verifier?.verify(body: indexOffset..<body.count)
    }

    private struct BlockEntry {
        var firstDoc: Int
        var offset: Int
        var stored: Int
        var raw: Int
        var codec: UInt8
    }

    private func entry(_ i: Int) throws(FormatError) -> BlockEntry {
        var r = ByteReader(
            UnsafeRawBufferPointer(rebasing: body[(indexOffset + i * StoreReader.entrySize)...]),
            fileOffset: FileEnvelope.headerSize + indexOffset + i * StoreReader.entrySize, context: name)
        return BlockEntry(
            firstDoc: Int(try r.u32()), offset: Int(try r.u64()), stored: Int(try r.u32()), raw: Int(try r.u32()), codec: try r.u8())
    }

    /// The stored record of `doc`.
    func document(_ doc: Int) throws -> StoredText {
        guard doc >= 0 && doc < docCount else {
            throw FormatError(file: name, offset: 0, message: "document \(doc) is not in this store (\(docCount) documents)")
        }
        // Binary search the block holding `doc`.
        var lo = 0, hi = blockCount - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if try entry(mid).firstDoc <= doc { lo = mid } else { hi = mid - 1 }
        }
        let e = try entry(lo)
        let raw = try blockBytes(e)
        return try raw.withUnsafeBytes { (bytes) throws -> StoredText in
            var r = ByteReader(bytes, context: name + " (block \(lo))")
            var current = e.firstDoc
            while true {
                let length = try r.count(limit: r.remaining, "record length")
                if current == doc {
                    var rr = ByteReader(try r.bytes(length), fileOffset: r.position, context: name + " (block \(lo))")
                    return try StoredText.decode(&rr)
                }
                try r.skip(length)
                current += 1
            }
        }
    }

    private func blockBytes(_ e: BlockEntry) throws -> [UInt8] {
        guard e.offset >= 0, e.stored >= 0, e.offset + e.stored <= indexOffset, e.raw <= 1 << 30 else {
            throw FormatError(file: name, offset: FileEnvelope.headerSize + e.offset, message: "store block lies outside the file")
        }
        try verifier?.verify(body: e.offset..<(e.offset + e.stored))
        let src = UnsafeRawBufferPointer(rebasing: body[e.offset..<(e.offset + e.stored)])
        if e.codec == 0 { return Array(src) }
        guard e.codec == 1 else {
            throw FormatError(file: name, offset: FileEnvelope.headerSize + e.offset, message: "unknown compression codec \(e.codec)")
        }
        var out = [UInt8](repeating: 0, count: e.raw)
        let n = out.withUnsafeMutableBytes { dst in
            ZSTD_decompress(dst.baseAddress, dst.count, src.baseAddress, src.count)
        }
        guard ZSTD_isError(n) == 0, n == e.raw else {
            throw FormatError(file: name, offset: FileEnvelope.headerSize + e.offset, message: "store block does not decompress")
        }
        return out
    }

    /// Visits every block as stored: first document, stored bytes, uncompressed length, codec.
    func forEachBlock(_ body: (Int, UnsafeRawBufferPointer, Int, UInt8) throws -> Void) throws {
        for b in 0..<blockCount {
            let e = try entry(b)
            guard e.offset >= 0, e.stored >= 0, e.offset + e.stored <= indexOffset, e.firstDoc <= docCount else {
                throw FormatError(file: name, offset: FileEnvelope.headerSize + e.offset, message: "store block lies outside the file")
            }
            try body(e.firstDoc, UnsafeRawBufferPointer(rebasing: self.body[e.offset..<(e.offset + e.stored)]), e.raw, e.codec)
        }
    }

    /// Visits every stored record in order (for merges and checks).
    func forEach(_ body: (Int, StoredText) throws -> Void) throws {
        var doc = 0
        for b in 0..<blockCount {
            let e = try entry(b)
            guard e.firstDoc == doc else {
                throw FormatError(file: name, offset: 0, message: "store block \(b) starts at document \(e.firstDoc), expected \(doc)")
            }
            let raw = try blockBytes(e)
            try raw.withUnsafeBytes { (bytes) throws in
                var r = ByteReader(bytes, context: name + " (block \(b))")
                while !r.isAtEnd {
                    let length = try r.count(limit: r.remaining, "record length")
                    var rr = ByteReader(try r.bytes(length), context: name + " (block \(b))")
                    try body(doc, try StoredText.decode(&rr))
                    doc += 1
                }
            }
        }
        guard doc == docCount else {
            throw FormatError(file: name, offset: 0, message: "store holds \(doc) documents, its trailer says \(docCount)")
        }
    }
}
