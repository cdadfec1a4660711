import QuarryAnalysis
import QuarryCore
import QuarryDocument

/// A segment as the manifest names it.
package struct SegmentEntry: Sendable, Equatable {
    package var name: String
    /// Random id written in the header of each of its files.
    package var nonce: UInt64
    package var documents: Int
    package var deleted: Int
    /// Generation of its deletions file (`NAME_GEN.del`), 0 when nothing is deleted.
    package var deletionGeneration: UInt64

    package var deletionsFile: String? {
        deletionGeneration == 0 ? nil : "\(name)_\(deletionGeneration).\(IndexFileKind.deletions.fileExtension)"
    }
}

/// The commit point: which segments (and deletions, and payload) make up the index.
/// Published by writing `MANIFEST.tmp`, fsync, and renaming it to `MANIFEST`.
package struct Manifest: Sendable, Equatable {
    package static let fileName = "MANIFEST"

    package var generation: UInt64
    package var commitTimeNanos: Int64
    package var settings: IndexSettings
    package var nextSegmentNumber: UInt64
    package var segments: [SegmentEntry]
    /// File holding the commit's payload (the collection layer's table of sources; "" when
    /// none).
    package var payloadFile: String

    package var liveDocuments: Int { segments.reduce(0) { $0 + $1.documents - $1.deleted } }

    func encode() -> [UInt8] {
        var w = ByteWriter()
        w.u64(generation)
        w.u64(UInt64(bitPattern: commitTimeNanos))
        let a = settings.analyzer
        w.string(a.language)
        w.u32(UInt32(AnalyzerSettings.rulesVersion))
        w.u8(a.foldDiacritics ? 1 : 0)
        w.u32(UInt32(a.maxWordBytes))
        w.u32(UInt32(a.stopwords.count))
        for s in a.stopwords { w.string(s) }
        w.u32(UInt32(settings.passages.targetWords))
        w.u32(UInt32(settings.passages.overlapWords))
        w.u64(nextSegmentNumber)
        w.u32(UInt32(segments.count))
        for s in segments {
            w.string(s.name)
            w.u64(s.nonce)
            w.u32(UInt32(s.documents))
            w.u32(UInt32(s.deleted))
            w.u64(s.deletionGeneration)
        }
        w.string(payloadFile)
        return FileEnvelope.wrap(.manifest, body: w.bytes)
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, name: String, olderFormat: Bool = false) throws(FormatError) -> Manifest {
        let body = try FileEnvelope.open(bytes, kind: .manifest, name: name, verifyChecksum: true, olderVersions: olderFormat)
        var r = ByteReader(body, fileOffset: FileEnvelope.headerSize, context: name)
        let generation = try r.u64()
        let time = Int64(bitPattern: try r.u64())
        let language = try r.string()
        let rules = try r.u32()
        guard rules == UInt32(AnalyzerSettings.rulesVersion) else {
            throw r.error(
                "built with analysis rules version \(rules), this Quarry uses \(AnalyzerSettings.rulesVersion); rebuild the index",
                at: r.position - 4)
        }
        let fold = try r.u8() != 0
        let maxWord = Int(try r.u32())
        let stopCount = Int(try r.u32())
        guard stopCount <= r.remaining else { throw r.error("stopword count \(stopCount) is too large") }
        var stopwords: [String] = []
        for _ in 0..<stopCount { stopwords.append(try r.string()) }
        let target = Int(try r.u32()), overlap = Int(try r.u32())
        let next = try r.u64()
        let count = Int(try r.u32())
        guard count <= r.remaining / 8 else { throw r.error("segment count \(count) is too large") }
        var segments: [SegmentEntry] = []
        for _ in 0..<count {
            let at = r.position
            let s = SegmentEntry(
                name: try r.string(), nonce: try r.u64(), documents: Int(try r.u32()),
                deleted: Int(try r.u32()), deletionGeneration: try r.u64())
            guard s.deleted <= s.documents, isSafeFileName(s.name) else { throw r.error("segment entry is invalid", at: at) }
            segments.append(s)
        }
        let sources = try r.string()
        guard sources.isEmpty || isSafeFileName(sources) else { throw r.error("payload file name is invalid") }
        let settings = IndexSettings(
            analyzer: AnalyzerSettings(language: language, stopwords: stopwords, foldDiacritics: fold, maxWordBytes: maxWord),
            passages: PassageSettings(targetWords: target, overlapWords: overlap))
        do {
            try settings.analyzer.validate()
            try settings.passages.validate()
        } catch {
            throw FormatError(file: name, offset: FileEnvelope.headerSize + 16, message: "settings are invalid: \(error)")
        }
        return Manifest(
            generation: generation, commitTimeNanos: time, settings: settings, nextSegmentNumber: next,
            segments: segments, payloadFile: sources)
    }

    /// Reads `DIR/MANIFEST`. `olderFormat`: also one of a format a rebuild can replace
    /// (`FileEnvelope.rebuildableVersions`; the manifest's layout has not changed since).
    package static func read(directory: String, olderFormat: Bool = false) throws -> Manifest {
        let path = directory + "/" + fileName
        if !FileSystem.exists(path) { throw IndexError.notFound(path: directory) }
        let bytes = try FileSystem.read(path)
        do {
            return try bytes.withUnsafeBytes { try decode($0, name: path, olderFormat: olderFormat) }
        } catch let error as FormatError {
            throw IndexError.corrupt(error)
        }
    }

    /// Publishes this manifest atomically: MANIFEST.tmp is written and synced, then renamed
    /// over MANIFEST, then the directory is synced.
    func write(directory: String) throws {
        let path = directory + "/" + Manifest.fileName
        let tmp = path + ".tmp"
        let file = try OutputFile(path: tmp)
        try file.write(encode())
        try file.close(sync: true)
        try CrashPoint.reached("manifest-tmp-written")
        try FileSystem.rename(tmp, path)
        try FileSystem.syncDirectory(directory)
        try CrashPoint.reached("manifest-renamed")
    }

    /// Every file this commit needs.
    package var files: Set<String> {
        var f: Set<String> = [Manifest.fileName]
        for s in segments {
            for kind in SegmentFiles.kinds { f.insert(s.name + "." + kind.fileExtension) }
            if let d = s.deletionsFile { f.insert(d) }
        }
        if !payloadFile.isEmpty { f.insert(payloadFile) }
        return f
    }
}

/// A name made of letters, digits, "_", "-" and "." only (no path separators).
func isSafeFileName(_ s: String) -> Bool {
    !s.isEmpty && s.count < 200 && !s.hasPrefix(".")
        && s.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F || $0 == 0x2D || $0 == 0x2E
        }
}
