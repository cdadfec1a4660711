import QuarryCore

/// The kinds of index files. Every file starts with a 16-byte header and ends with a
/// 16-byte footer (see docs/FORMAT.md):
///
///     header: magic (4 bytes) · format version (u16) · reserved (u16, 0) · nonce (u64)
///     footer: XXH64 of every byte before it (u64) · body length (u32 mod 2³²) · "QEND"
package enum IndexFileKind: String, CaseIterable, Sendable {
    case manifest = "QMAN"
    case segmentInfo = "QSEG"
    case terms = "QTRM"
    case postings = "QDOC"
    case positions = "QPOS"
    case lengths = "QLEN"
    case passages = "QPSG"
    case ids = "QIDS"
    /// The origin of each document (`.met`, for "metadata" in format 1).
    case meta = "QMET"
    case store = "QSTO"
    /// Each document's title, path and date (`.sum`, "summaries").
    case summaries = "QSUM"
    /// Checksums of every 64 KiB block of the segment's other files (`.chk`).
    case checksums = "QCHK"
    case deletions = "QDEL"
    /// A commit's payload (`sources_G.src`: the collection layer's table of sources).
    case payload = "QSRC"

    package var magic: [UInt8] { Array(rawValue.utf8) }

    /// File name extension of segment component files.
    package var fileExtension: String {
        switch self {
        case .manifest: return ""
        case .segmentInfo: return "seg"
        case .terms: return "tdx"
        case .postings: return "doc"
        case .positions: return "pos"
        case .lengths: return "len"
        case .passages: return "psg"
        case .ids: return "ids"
        case .meta: return "met"
        case .store: return "sto"
        case .summaries: return "sum"
        case .checksums: return "chk"
        case .deletions: return "del"
        case .payload: return "src"
        }
    }
}

/// The on-disk format version. Bumped whenever a byte's meaning changes.
package let indexFormatVersion: UInt16 = 3

package enum FileEnvelope {
    package static let headerSize = 16
    package static let footerSize = 16
    static let footerMagic: [UInt8] = Array("QEND".utf8)

    /// Writes the 16-byte header. `nonce` identifies the segment a component belongs to
    /// (0 for files that belong to no segment).
    package static func writeHeader(_ kind: IndexFileKind, nonce: UInt64 = 0, to out: OutputFile) throws {
        var w = ByteWriter(capacity: 16)
        w.append(kind.magic)
        w.u16(indexFormatVersion)
        w.u16(0)
        w.u64(nonce)
        try out.write(w.bytes)
    }

    /// The nonce in a file's header.
    package static func nonce(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        guard bytes.count >= headerSize else { return 0 }
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
    }

    /// Writes the footer (checksum of everything before it) and closes the file durably.
    package static func finish(_ out: OutputFile, sync: Bool = true) throws {
        let bodyLength = out.offset - headerSize
        let checksum = out.checksum
        var w = ByteWriter(capacity: 16)
        w.u64(checksum)
        w.u32(UInt32(truncatingIfNeeded: bodyLength))
        w.append(footerMagic)
        try out.write(w.bytes)
        try out.close(sync: sync)
    }

    /// A complete file in memory: header + body + footer.
    package static func wrap(_ kind: IndexFileKind, nonce: UInt64 = 0, body: [UInt8]) -> [UInt8] {
        var w = ByteWriter(capacity: body.count + 32)
        w.append(kind.magic)
        w.u16(indexFormatVersion)
        w.u16(0)
        w.u64(nonce)
        w.append(body)
        let checksum = w.bytes.withUnsafeBytes { XXH64.hash($0) }
        w.u64(checksum)
        w.u32(UInt32(truncatingIfNeeded: body.count))
        w.append(footerMagic)
        return w.bytes
    }

    /// Checks magic, version and footer shape of a file; with `verifyChecksum` also the
    /// checksum. Returns the body (between header and footer).
    /// Older versions whose manifest and commit payload (unchanged since) a rebuild reads, to
    /// keep the settings and the caller's state of the index it replaces.
    package static let rebuildableVersions: Set<UInt16> = [2]

    /// `olderVersions`: also accept `rebuildableVersions` (manifest and payload only).
    package static func open(
        _ bytes: UnsafeRawBufferPointer, kind: IndexFileKind, name: String, verifyChecksum: Bool, olderVersions: Bool = false
    ) throws(FormatError) -> UnsafeRawBufferPointer {
        let n = bytes.count
        guard n >= headerSize + footerSize else {
            throw FormatError(file: name, offset: 0, message: "file is too short (\(n) bytes) to be a Quarry \(kind.rawValue) file")
        }
        var r = ByteReader(bytes, context: name)
        let magic = try r.bytes(4)
        guard magic.elementsEqual(kind.magic) else {
            let shown = String(decoding: magic.map { $0 >= 0x20 && $0 < 0x7F ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
            throw FormatError(file: name, offset: 0, message: "not a Quarry \(kind.rawValue) file (magic '\(shown)')")
        }
        let version = try r.u16()
        guard version == indexFormatVersion || (olderVersions && FileEnvelope.rebuildableVersions.contains(version)) else {
            throw FormatError(
                file: name, offset: 4,
                message:
                    "\(FormatError.otherVersionPrefix) (index format \(version); this one reads format \(indexFormatVersion)): rebuild the index from its sources (quarry index --rebuild)"
            )
        }
        var f = ByteReader(UnsafeRawBufferPointer(rebasing: bytes[(n - footerSize)...]), fileOffset: n - footerSize, context: name)
        let stored = try f.u64()
        let bodyLength = try f.u32()
        let endMagic = try f.bytes(4)
        guard endMagic.elementsEqual(footerMagic) else {
            throw FormatError(file: name, offset: n - 4, message: "footer is damaged or the file is truncated")
        }
        guard Int(bodyLength) == (n - headerSize - footerSize) & 0xFFFF_FFFF else {
            throw FormatError(file: name, offset: n - 8, message: "footer length \(bodyLength) does not match the file size \(n)")
        }
        if verifyChecksum {
            let actual = XXH64.hash(UnsafeRawBufferPointer(rebasing: bytes[0..<(n - footerSize)]))
            guard actual == stored else {
                throw FormatError(
                    file: name, offset: n - footerSize,
                    message: "checksum mismatch (stored \(hex(stored)), computed \(hex(actual))): the file is damaged")
            }
        }
        return UnsafeRawBufferPointer(rebasing: bytes[headerSize..<(n - footerSize)])
    }

    static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: max(0, 16 - s.count)) + s
    }
}
