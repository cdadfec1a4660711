import QuarryCore

/// Origins (`.met`): what each document came from (see `DocumentFeed`).
extension SegmentFiles {
    /// The origins, then the origin of each document as runs (length, origin index).
    static func encodeOrigins(_ origins: [String], docOrigin: [UInt32]) -> [UInt8] {
        var w = ByteWriter(capacity: 64)
        w.u32(UInt32(docOrigin.count))
        w.u32(UInt32(origins.count))
        for o in origins { w.string(o) }
        var runs = ByteWriter()
        var runCount = 0
        var i = 0
        while i < docOrigin.count {
            var j = i + 1
            while j < docOrigin.count && docOrigin[j] == docOrigin[i] { j += 1 }
            runs.varint(j - i)
            runs.varint(docOrigin[i])
            runCount += 1
            i = j
        }
        w.u32(UInt32(runCount))
        w.append(runs.bytes)
        return w.bytes
    }
}

/// The origins of the documents of a segment (`.met`).
struct OriginsReader {
    let origins: [String]
    /// The origin of each document (an index into `origins`).
    let docOrigin: [UInt32]

    init(_ bytes: UnsafeRawBufferPointer, name: String, docCount expected: Int) throws(FormatError) {
        var r = ByteReader(bytes, fileOffset: FileEnvelope.headerSize, context: name)
        let docs = Int(try r.u32())
        let count = Int(try r.u32())
        guard docs == expected, count <= bytes.count else {
            throw FormatError(
                file: name, offset: FileEnvelope.headerSize, message: "origins header does not match the segment (\(expected) documents)")
        }
        var s: [String] = []
        for _ in 0..<count { s.append(try r.string()) }
        let runs = Int(try r.u32())
        var ds: [UInt32] = []
        ds.reserveCapacity(docs)
        for _ in 0..<runs {
            let length = try r.count(limit: docs - ds.count, "run length")
            let source = try r.count(limit: max(count - 1, 0), "origin index")
            ds.append(contentsOf: repeatElement(UInt32(source), count: length))
        }
        guard ds.count == docs, r.isAtEnd else { throw r.error("origin runs do not cover the documents") }
        origins = s
        docOrigin = ds
    }
}
