import QuarryCore

/// Field lengths (`.len`): every document's title and body length in terms.
extension SegmentFiles {
    static func width(_ values: [UInt32]) -> Int {
        let m = values.max() ?? 0
        return m <= 0xFF ? 1 : (m <= 0xFFFF ? 2 : 4)
    }

    static func encodeLengths(title: [UInt32], body: [UInt32]) -> [UInt8] {
        var w = ByteWriter(capacity: 8 + title.count * 8)
        let wt = width(title), wb = width(body)
        w.u32(UInt32(title.count))
        w.u8(UInt8(wt))
        w.u8(UInt8(wb))
        w.u16(0)
        for (values, width) in [(title, wt), (body, wb)] {
            for v in values {
                switch width {
                case 1: w.u8(UInt8(v))
                case 2: w.u16(UInt16(v))
                default: w.u32(v)
                }
            }
        }
        return w.bytes
    }

}

/// Field lengths of the documents of a segment (`.len`).
@usableFromInline
struct LengthsReader: @unchecked Sendable {
    // @unchecked: a view of immutable mapped bytes owned by the segment reader.
    let docCount: Int
    @usableFromInline let title: UnsafeRawPointer?
    @usableFromInline let body: UnsafeRawPointer?
    @usableFromInline let titleWidth: Int
    @usableFromInline let bodyWidth: Int

    init(_ bytes: UnsafeRawBufferPointer, name: String, docCount expected: Int) throws(FormatError) {
        var r = ByteReader(bytes, fileOffset: FileEnvelope.headerSize, context: name)
        docCount = Int(try r.u32())
        titleWidth = Int(try r.u8())
        bodyWidth = Int(try r.u8())
        _ = try r.u16()
        guard docCount == expected, [1, 2, 4].contains(titleWidth), [1, 2, 4].contains(bodyWidth),
            bytes.count == 8 + docCount * (titleWidth + bodyWidth)
        else {
            throw FormatError(
                file: name, offset: FileEnvelope.headerSize, message: "lengths header does not match the segment (\(expected) documents)")
        }
        let bodyStart = 8 + docCount * titleWidth
        title = bytes.baseAddress.map { UnsafeRawPointer($0 + 8) }
        body = bytes.baseAddress.map { UnsafeRawPointer($0 + bodyStart) }
    }

    @inlinable @inline(__always) static func read(_ p: UnsafeRawPointer?, _ width: Int, _ doc: Int) -> UInt32 {
        guard let p else { return 0 }
        switch width {
        case 1: return UInt32(p.load(fromByteOffset: doc, as: UInt8.self))
        case 2: return UInt32(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: doc * 2, as: UInt16.self)))
        default: return UInt32(littleEndian: p.loadUnaligned(fromByteOffset: doc * 4, as: UInt32.self))
        }
    }

    /// Title length (terms) of `doc` (must be < docCount).
    @inlinable @inline(__always) func titleLength(_ doc: Int) -> UInt32 { LengthsReader.read(title, titleWidth, doc) }
    @inlinable @inline(__always) func bodyLength(_ doc: Int) -> UInt32 { LengthsReader.read(body, bodyWidth, doc) }
}
