import QuarryCore
import QuarryDocument
import QuarryIngest

/// What the index remembers of an indexed source file, to tell on the next run whether it
/// changed, and what became of it.
package struct SourceRecord: Sendable, Equatable {
    package var path: String
    package var size: Int64
    package var mtimeNanos: Int64
    package var contentHash: UInt64
    package var format: SourceFormat
    /// The id of its document (files holding one document); empty for JSON Lines files.
    package var documentID: String
    /// The page was found generated (an index, search page, source listing) when it was
    /// last extracted.
    package var generated = false
    /// Its document is in the index (false: a generated page left out).
    package var indexed = true
    /// Its document was deleted with `delete` (one-document files): left out until restored.
    package var deletedByUser = false
    /// Ids of its documents deleted with `delete` (JSON Lines files), sorted.
    package var deletedIDs: [String] = []
    /// The extraction rules its document was extracted with (`SourcesTable.extractionRules`;
    /// 0: unknown, a record of an index made before they were recorded).
    package var extractionRules: UInt32 = SourcesTable.extractionRules
    /// Its document was extracted with page chrome kept.
    package var keptChrome = false
    /// Some of its JSON lines were over the size limit and skipped: it is read again on the
    /// next run whatever its content (the limit may have been raised).
    package var incomplete = false

    package init(path: String, size: Int64, mtimeNanos: Int64, contentHash: UInt64, format: SourceFormat, documentID: String) {
        self.path = path
        self.size = size
        self.mtimeNanos = mtimeNanos
        self.contentHash = contentHash
        self.format = format
        self.documentID = documentID
    }
}

/// How the collection's files are read: recorded in the index, so that the next run
/// honours them (docs/INDEXING.md).
package struct CollectionOptions: Sendable, Equatable {
    /// Keep page chrome (`ExtractionOptions.keepChrome`).
    package var keepChrome = false
    /// Index generated pages too (else they are left out).
    package var indexGenerated = false
    /// `--include` patterns (gitignore syntax).
    package var include: [String] = []
    /// `--exclude` patterns (gitignore syntax), after each root's `.quarryignore`.
    package var exclude: [String] = []

    package init() {}
}

/// Everything the collection layer keeps with a commit (its payload).
package struct CollectionState: Sendable, Equatable {
    /// The payload version it was read from (1: the table of sources only).
    package var version: UInt32 = SourcesTable.currentVersion
    package var options = CollectionOptions()
    /// Directories indexed, by absolute path: the name that prefixes their ids ("" for none).
    package var roots: [String: String] = [:]
    /// Indexed sources, by absolute path.
    package var sources: [String: SourceRecord] = [:]

    package init() {}
}

/// The collection's payload (`sources_GEN.src`; the index wraps it in its file envelope):
/// docs/FORMAT.md, "Sources". Version 1 (count, then the records) is read too.
package enum SourcesTable {
    /// The payload version written.
    package static let currentVersion: UInt32 = 2
    /// The first four bytes of a versioned payload (a version 1 table starts with its count,
    /// which cannot be this large).
    static let marker: UInt32 = 0xFFFF_FFFF
    /// Version of the text extraction rules (QuarryIngest): bump it when extraction gives
    /// other titles or bodies for the same bytes, and the next sync re-extracts every
    /// one-document file.
    package static let extractionRules: UInt32 = 1

    static func formatCode(_ f: SourceFormat) -> UInt8 {
        switch f {
        case .auto: return 0
        case .html: return 1
        case .text: return 2
        case .beir: return 3
        }
    }

    package static func encode(_ state: CollectionState) -> [UInt8] {
        var w = ByteWriter()
        w.u32(marker)
        w.u32(currentVersion)
        w.u8((state.options.keepChrome ? 1 : 0) | (state.options.indexGenerated ? 2 : 0))
        w.u32(UInt32(state.options.include.count))
        for p in state.options.include { w.string(p) }
        w.u32(UInt32(state.options.exclude.count))
        for p in state.options.exclude { w.string(p) }
        let roots = state.roots.keys.sorted(by: utf8Precedes)
        w.u32(UInt32(roots.count))
        for r in roots {
            w.string(r)
            w.string(state.roots[r] ?? "")
        }
        w.u32(UInt32(state.sources.count))
        for key in state.sources.keys.sorted(by: utf8Precedes) {
            guard let r = state.sources[key] else { continue }
            w.string(r.path)
            w.u64(UInt64(bitPattern: r.size))
            w.u64(UInt64(bitPattern: r.mtimeNanos))
            w.u64(r.contentHash)
            w.u8(formatCode(r.format))
            w.u8((r.generated ? 1 : 0) | (r.indexed ? 0 : 2) | (r.deletedByUser ? 4 : 0) | (r.keptChrome ? 8 : 0) | (r.incomplete ? 16 : 0))
            w.varint(r.extractionRules)
            w.string(r.documentID)
            w.u32(UInt32(r.deletedIDs.count))
            for id in r.deletedIDs { w.string(id) }
        }
        return w.bytes
    }

    /// Decodes a payload of version 1 or 2; `name` names it in errors, whose offsets are
    /// those of the payload file (its body starts at byte 16).
    package static func decode(_ body: UnsafeRawBufferPointer, name: String) throws(FormatError) -> CollectionState {
        var r = ByteReader(body, fileOffset: 16, context: name)
        var state = CollectionState()
        let first = try r.u32()
        guard first == marker else {
            // Version 1: the count, then the records; nothing else was recorded.
            state.version = 1
            state.sources = try records(&r, count: Int(first), body: body, version: 1)
            guard r.isAtEnd else { throw r.error("bytes after the last source") }
            return state
        }
        let version = try r.u32()
        guard version == 2 else {
            throw r.error(
                "sources table version \(version) is not one this quarry reads (1 or 2); "
                    + "it was written by a newer quarry: use that, or rebuild the index", at: 4)
        }
        state.version = version
        let flags = try r.u8()
        guard flags & ~3 == 0 else { throw r.error("unknown option flags \(flags)", at: r.position - 1) }
        state.options.keepChrome = flags & 1 != 0
        state.options.indexGenerated = flags & 2 != 0
        state.options.include = try strings(&r, body: body, what: "include pattern")
        state.options.exclude = try strings(&r, body: body, what: "exclude pattern")
        let rootCount = Int(try r.u32())
        guard rootCount <= body.count else { throw r.error("root count \(rootCount) is too large", at: r.position - 4) }
        for _ in 0..<rootCount {
            let path = try r.string()
            state.roots[path] = try r.string()
        }
        let count = Int(try r.u32())
        state.sources = try records(&r, count: count, body: body, version: 2)
        guard r.isAtEnd else { throw r.error("bytes after the last source") }
        return state
    }

    private static func strings(_ r: inout ByteReader, body: UnsafeRawBufferPointer, what: String) throws(FormatError) -> [String] {
        let count = Int(try r.u32())
        guard count <= body.count else { throw r.error("\(what) count \(count) is too large", at: r.position - 4) }
        var result: [String] = []
        for _ in 0..<count { result.append(try r.string()) }
        return result
    }

    private static func records(_ r: inout ByteReader, count: Int, body: UnsafeRawBufferPointer, version: Int) throws(FormatError)
        -> [String: SourceRecord]
    {
        guard count <= body.count else { throw r.error("source count \(count) is too large", at: r.position - 4) }
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
            var flags: UInt8 = 0
            var rules: UInt32 = 0
            if version >= 2 {
                flags = try r.u8()
                guard flags & ~31 == 0 else { throw r.error("unknown source flags \(flags)", at: r.position - 1) }
                rules = UInt32(try r.count(limit: Int(UInt32.max), "extraction rules version"))
            }
            var record = SourceRecord(
                path: path, size: size, mtimeNanos: mtime, contentHash: hash, format: format, documentID: try r.string())
            record.generated = flags & 1 != 0
            record.indexed = flags & 2 == 0
            record.deletedByUser = flags & 4 != 0
            record.keptChrome = flags & 8 != 0
            record.incomplete = flags & 16 != 0
            record.extractionRules = rules
            if version >= 2 { record.deletedIDs = try strings(&r, body: body, what: "deleted id") }
            result[path] = record
        }
        return result
    }
}
