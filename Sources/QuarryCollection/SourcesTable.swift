import QuarryCore
import QuarryDocument
import QuarryIngest


/// What the index remembers of an indexed source file, to tell on the next run whether it
/// changed.
package struct SourceRecord: Sendable, Equatable {
    package var path: String
    package var size: Int64
    package var mtimeNanos: Int64
    package var contentHash: UInt64
    package var format: SourceFormat
    /// The id of its document (files holding one document); empty for JSON Lines files.
    package var documentID: String

    package init(path: String, size: Int64, mtimeNanos: Int64, contentHash: UInt64, format: SourceFormat, documentID: String) {
        self.path = path
        self.size = size
        self.mtimeNanos = mtimeNanos
        self.contentHash = contentHash
        self.format = format
        self.documentID = documentID
    }
}

/// The table of indexed sources, kept as the payload of each commit (`sources_GEN.src`):
/// count (u32), then per source sorted by path: path, size (u64), mtime in ns (u64), content
/// hash (u64), format (u8), document id. The index wraps it in its file envelope.
enum SourcesTable {
    static func formatCode(_ f: SourceFormat) -> UInt8 {
        switch f {
        case .auto: return 0
        case .html: return 1
        case .text: return 2
        case .beir: return 3
        }
    }

    static func encode(_ records: [String: SourceRecord]) -> [UInt8] {
        var w = ByteWriter()
        w.u32(UInt32(records.count))
        for key in records.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            guard let r = records[key] else { continue }
            w.string(r.path)
            w.u64(UInt64(bitPattern: r.size))
            w.u64(UInt64(bitPattern: r.mtimeNanos))
            w.u64(r.contentHash)
            w.u8(formatCode(r.format))
            w.string(r.documentID)
        }
        return w.bytes
    }

    /// Decodes a table (a commit's payload); `name` names it in errors, whose offsets are
    /// those of the payload file (its body starts at byte 16).
    static func decode(_ body: UnsafeRawBufferPointer, name: String) throws(FormatError) -> [String: SourceRecord] {
        var r = ByteReader(body, fileOffset: 16, context: name)
        let count = Int(try r.u32())
        guard count <= body.count else { throw r.error("source count \(count) is too large", at: 0) }
        var result: [String: SourceRecord] = [:]
        result.reserveCapacity(count)
        for _ in 0..<count {
            let path = try r.string()
            let size = Int64(bitPattern: try r.u64())
            let mtime = Int64(bitPattern: try r.u64())
            let hash = try r.u64()
            let code = try r.u8()
            let format: SourceFormat
            switch code {
            case 1: format = .html
            case 2: format = .text
            case 3: format = .beir
            default: throw r.error("unknown source format \(code)", at: r.position - 1)
            }
            let id = try r.string()
            result[path] = SourceRecord(path: path, size: size, mtimeNanos: mtime, contentHash: hash, format: format, documentID: id)
        }
        return result
    }
}
