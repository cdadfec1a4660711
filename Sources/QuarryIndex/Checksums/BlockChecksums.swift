import QuarryCore
import Synchronization

/// Block checksums of a segment (`.chk`, docs/FORMAT.md): an XXH64 of every 16 KiB block of
/// each of the segment's other files, so that a reader can verify just the blocks it reads
/// instead of whole files (a search on a large index reads a small part of it).
enum BlockChecksums {
    /// log2 of the block size the writer uses (16 KiB; readers take any size from 2^9 to
    /// 2^30, so indexes written with 64 KiB blocks stay readable).
    static let blockShift = 14
    static var blockBytes: Int { 1 << blockShift }

    /// One covered file: its kind, length and the hashes of its blocks.
    struct FileEntry {
        var kind: IndexFileKind
        var length: Int
        var hashes: [UInt64]
    }

    /// The body of `.chk`: block size (log2, u8), 3 reserved bytes, file count (u32), then per
    /// file its magic (4 bytes), length (u64) and ⌈length / block size⌉ hashes (u64 each).
    static func encode(_ files: [FileEntry], shift: Int = blockShift) -> [UInt8] {
        var w = ByteWriter(capacity: 8 + files.reduce(0) { $0 + 12 + $1.hashes.count * 8 })
        w.u8(UInt8(shift))
        w.append([0, 0, 0])
        w.u32(UInt32(files.count))
        for f in files {
            w.append(f.kind.magic)
            w.u64(UInt64(f.length))
            for h in f.hashes { w.u64(h) }
        }
        return w.bytes
    }

    /// Reads `.chk`: per covered kind, its length and its hashes (a view into the body).
    static func decode(_ body: UnsafeRawBufferPointer, name: String) throws(FormatError)
        -> (shift: Int, files: [IndexFileKind: (length: Int, hashes: UnsafeRawBufferPointer)])
    {
        var r = ByteReader(body, fileOffset: FileEnvelope.headerSize, context: name)
        let shift = Int(try r.u8())
        guard shift >= 9 && shift <= 30 else { throw r.error("block size 2^\(shift) is not one Quarry writes", at: 0) }
        try r.skip(3)
        let count = Int(try r.u32())
        guard count <= SegmentFiles.covered.count else { throw r.error("\(count) files, more than a segment has", at: 4) }
        var files: [IndexFileKind: (length: Int, hashes: UnsafeRawBufferPointer)] = [:]
        for _ in 0..<count {
            let at = r.position
            let magic = String(decoding: try r.bytes(4), as: UTF8.self)
            guard let kind = IndexFileKind(rawValue: magic), SegmentFiles.covered.contains(kind), files[kind] == nil else {
                throw r.error("unknown or repeated file kind '\(magic)'", at: at)
            }
            let length = try r.u64()
            guard length >= UInt64(FileEnvelope.headerSize + FileEnvelope.footerSize), length < 1 << 48 else {
                throw r.error("impossible file length \(length)", at: at + 4)
            }
            let blocks = (Int(length) + (1 << shift) - 1) >> shift
            files[kind] = (Int(length), try r.bytes(blocks * 8))
        }
        guard r.isAtEnd else { throw r.error("bytes after the last file", at: r.position) }
        return (shift, files)
    }
}

/// Verifies the blocks of one mapped file against its `.chk` hashes, each block once per
/// process (thread-safe: a bitmap of verified blocks, set atomically; two threads may both
/// verify a block, never neither). A block that does not match is an error naming the file
/// and the block's offset, every time it is read.
final class BlockVerifier: @unchecked Sendable {
    // @unchecked: immutable pointers into mapped files owned by the segment reader; the
    // bitmap is only touched atomically.
    let path: String
    private let file: UnsafeRawBufferPointer
    private let hashes: UnsafeRawBufferPointer
    private let shift: Int
    private let blocks: Int
    private let bits: UnsafeMutablePointer<Atomic<UInt64>>
    private let words: Int

    init(path: String, file: UnsafeRawBufferPointer, hashes: UnsafeRawBufferPointer, shift: Int) {
        self.path = path
        self.file = file
        self.hashes = hashes
        self.shift = shift
        blocks = hashes.count / 8
        words = (blocks + 63) / 64
        bits = .allocate(capacity: max(words, 1))
        for i in 0..<max(words, 1) { (bits + i).initialize(to: Atomic<UInt64>(0)) }
    }

    deinit {
        bits.deinitialize(count: max(words, 1))
        bits.deallocate()
    }

    /// Verifies the blocks holding `range` of the file's body (offsets from byte 16).
    @inline(__always)
    func verify(body range: Range<Int>) throws(FormatError) {
        guard !range.isEmpty else { return }
        try verify(file: (range.lowerBound + FileEnvelope.headerSize)..<(range.upperBound + FileEnvelope.headerSize))
    }

    /// Verifies the blocks holding `range` of the file's bytes.
    @inline(__always)
    func verify(file range: Range<Int>) throws(FormatError) {
        guard !range.isEmpty else { return }
        let first = range.lowerBound >> shift, last = (range.upperBound - 1) >> shift
        var b = first
        while b <= last {
            if bits[b >> 6].load(ordering: .acquiring) & (1 << UInt64(b & 63)) == 0 { try check(b) }
            b += 1
        }
    }

    /// Verifies every block.
    func verifyAll() throws(FormatError) {
        try verify(file: 0..<file.count)
    }

    private func check(_ b: Int) throws(FormatError) {
        let start = b << shift
        guard b < blocks, start < file.count else {
            throw FormatError(file: path, offset: start, message: "read past the blocks its checksums cover: the file is damaged")
        }
        let end = min(start + (1 << shift), file.count)
        let actual = XXH64.hash(UnsafeRawBufferPointer(rebasing: file[start..<end]))
        let stored = UInt64(littleEndian: hashes.loadUnaligned(fromByteOffset: b * 8, as: UInt64.self))
        guard actual == stored else {
            throw FormatError(
                file: path, offset: start,
                message:
                    "checksum mismatch in the block of bytes \(start)..<\(end) (stored \(FileEnvelope.hex(stored)), computed \(FileEnvelope.hex(actual))): the file is damaged"
            )
        }
        bits[b >> 6].bitwiseOr(1 << UInt64(b & 63), ordering: .releasing)
    }
}
