import QuarryCore

/// Passage boundaries (`.psg`).
extension SegmentFiles {
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

}

/// One passage of a document as the index knows it: body positions `start..<end` and the
/// number of terms in them.
package struct PassageBounds: Sendable, Equatable {
    @usableFromInline package var start: Int
    @usableFromInline package var end: Int
    package var length: Int

    package init(start: Int, end: Int, length: Int) {
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

    /// Verifies the blocks a read touches (nil: not verified).
    private let verifier: BlockVerifier?

    init(_ bytes: UnsafeRawBufferPointer, name: String, docCount expected: Int, verifier: BlockVerifier? = nil) throws(FormatError) {
        self.name = name
        self.bytes = bytes
        self.verifier = verifier
        try verifier?.verify(body: 0..<min(12, bytes.count))
        var r = ByteReader(bytes, fileOffset: FileEnvelope.headerSize, context: name)
        docCount = Int(try r.u32())
        checkpoints = Int(try r.u32())
        let lengthsBytes = Int(try r.u32())
        lengthsStart = 12 + checkpoints * 8
        dataStart = lengthsStart + lengthsBytes
        guard docCount == expected, checkpoints == (docCount + SegmentFiles.passageCheckpoint - 1) / SegmentFiles.passageCheckpoint,
            dataStart <= bytes.count
        else {
            throw FormatError(
                file: name, offset: FileEnvelope.headerSize, message: "passages header does not match the segment (\(expected) documents)")
        }
    }

    /// The byte range of `doc`'s record.
    private func record(_ doc: Int) throws(FormatError) -> Range<Int> {
        guard doc >= 0 && doc < docCount else { throw FormatError(file: name, offset: 0, message: "document \(doc) out of range") }
        let c = doc / SegmentFiles.passageCheckpoint
        try verifier?.verify(body: (12 + c * 8)..<(20 + c * 8))
        var offset = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 12 + c * 8, as: UInt32.self)))
        let lengthAt = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 16 + c * 8, as: UInt32.self)))
        guard lengthsStart + lengthAt <= dataStart else {
            throw FormatError(
                file: name, offset: FileEnvelope.headerSize + 12 + c * 8, message: "passage checkpoint \(c) points outside the file")
        }
        // At most 16 record lengths of at most 10 bytes each.
        try verifier?.verify(
            body: (lengthsStart + lengthAt)..<min(dataStart, lengthsStart + lengthAt + SegmentFiles.passageCheckpoint * 10))
        var r = ByteReader(
            UnsafeRawBufferPointer(rebasing: bytes[(lengthsStart + lengthAt)..<dataStart]),
            fileOffset: FileEnvelope.headerSize + lengthsStart + lengthAt, context: name)
        for _ in (c * SegmentFiles.passageCheckpoint)..<doc { offset += try r.count(limit: bytes.count, "record length") }
        let length = try r.count(limit: bytes.count, "record length")
        guard dataStart + offset + length <= bytes.count else {
            throw FormatError(
                file: name, offset: FileEnvelope.headerSize + lengthsStart + lengthAt,
                message: "passage record of document \(doc) lies outside the file")
        }
        try verifier?.verify(body: (dataStart + offset)..<(dataStart + offset + length))
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
        var r = ByteReader(
            UnsafeRawBufferPointer(rebasing: bytes[range]), fileOffset: FileEnvelope.headerSize + range.lowerBound, context: name)
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
