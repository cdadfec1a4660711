import QuarryCore

/// Segment info (`.seg`): document and term counts and the collection statistics.
extension SegmentFiles {
    static func encodeInfo(docCount: Int, stats: CollectionStats, termCount: Int) -> [UInt8] {
        var w = ByteWriter()
        w.u32(UInt32(docCount))
        w.u32(0)
        w.u64(UInt64(termCount))
        stats.encode(into: &w)
        return w.bytes
    }

    struct Info {
        var docCount: Int
        var termCount: Int
        var stats: CollectionStats
    }

    static func decodeInfo(_ body: UnsafeRawBufferPointer, name: String) throws(FormatError) -> Info {
        var r = ByteReader(body, fileOffset: FileEnvelope.headerSize, context: name)
        let docs = Int(try r.u32())
        _ = try r.u32()
        let terms = try r.u64()
        let stats = try CollectionStats.decode(&r)
        guard stats.documents == docs, terms <= UInt64(Int32.max) * 64 else {
            throw FormatError(file: name, offset: FileEnvelope.headerSize, message: "segment info is inconsistent")
        }
        return Info(docCount: docs, termCount: Int(terms), stats: stats)
    }

}
