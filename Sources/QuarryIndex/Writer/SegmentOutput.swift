import QuarryCore

/// Writes the files of one new segment (flush or merge): each in the file envelope, hashed
/// block by block as it is written, and `.chk` with those hashes last (docs/FORMAT.md).
struct SegmentOutput {
    let directory: String
    let name: String
    let nonce: UInt64
    private var entries: [BlockChecksums.FileEntry] = []
    /// Bytes of the files written so far.
    private(set) var bytes = 0

    init(directory: String, name: String, nonce: UInt64) {
        self.directory = directory
        self.name = name
        self.nonce = nonce
    }

    func path(_ kind: IndexFileKind) -> String { directory + "/" + name + "." + kind.fileExtension }

    /// A new file of the segment with its header written; finish it with `finish`.
    func create(_ kind: IndexFileKind) throws -> OutputFile {
        let file = try OutputFile(path: path(kind), blockChecksumBytes: BlockChecksums.blockBytes)
        try FileEnvelope.writeHeader(kind, nonce: nonce, to: file)
        return file
    }

    /// Writes the footer, closes the file durably and keeps its block hashes.
    mutating func finish(_ kind: IndexFileKind, _ file: OutputFile) throws {
        try FileEnvelope.finish(file)
        record(kind, file)
    }

    /// Keeps the block hashes of a file already finished (the store writer finishes its own).
    mutating func record(_ kind: IndexFileKind, _ file: OutputFile) {
        entries.append(BlockChecksums.FileEntry(kind: kind, length: file.offset, hashes: file.blockChecksums))
        bytes += file.offset
    }

    /// A whole small file.
    mutating func write(_ kind: IndexFileKind, body: [UInt8]) throws {
        try write(kind, parts: [body])
    }

    /// A whole file from consecutive parts.
    mutating func write(_ kind: IndexFileKind, parts: [[UInt8]]) throws {
        let file = try create(kind)
        for part in parts { try file.write(part) }
        try finish(kind, file)
    }

    /// Writes `.chk` (after every other file).
    mutating func finishChecksums() throws {
        let order = Dictionary(uniqueKeysWithValues: SegmentFiles.covered.enumerated().map { ($1, $0) })
        let sorted = entries.sorted { (order[$0.kind] ?? 0) < (order[$1.kind] ?? 0) }
        guard sorted.map(\.kind) == SegmentFiles.covered else {
            throw IndexError.internalError(
                "segment \(name): files written \(sorted.map(\.kind.fileExtension)), expected \(SegmentFiles.covered.map(\.fileExtension))")
        }
        let file = try OutputFile(path: path(.checksums))
        try FileEnvelope.writeHeader(.checksums, nonce: nonce, to: file)
        try file.write(BlockChecksums.encode(sorted))
        try FileEnvelope.finish(file)
        bytes += file.offset
    }
}
