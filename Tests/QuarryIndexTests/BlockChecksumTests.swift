import QuarryCore
import QuarryDocument
import Testing

@testable import QuarryIndex

/// Block checksums (`.chk`): a reader verifies the 16 KiB blocks it reads, so a damaged
/// byte is an error when (and only when) something reads its block, and the error names the
/// file; `IndexChecker` finds it wherever it is.
@Suite("Block checksums")
struct BlockChecksumTests {
    /// One segment whose store, postings and positions files span several blocks.
    static func build() throws -> String {
        let dir = "/tmp/quarry-blocks-\(FileSystem.processID)-\(UInt32.random(in: 0...UInt32.max))"
        var options = WriterOptions(threads: 1)
        options.deterministicSeed = 7
        options.storeCompressionLevel = 1
        let writer = try IndexWriter(directory: dir, options: options)
        var g = SystemRandomNumberGenerator()
        let words = (0..<3_000).map { "w\($0)x" }
        var articles: [Article] = []
        for i in 0..<4_000 {
            // Random words compress badly: the store spans many blocks.
            let text = (0..<60).map { _ in words.randomElement(using: &g) ?? "w" }.joined(separator: " ")
            articles.append(Article(id: padded(i), path: "p", title: "Title \(i)", body: text + " common", blocks: []))
        }
        _ = try writer.add(articles)
        try writer.commit()
        writer.close()
        return dir
    }

    static func flip(_ path: String, at offset: Int) throws {
        var bytes = try FileSystem.read(path)
        bytes[offset] ^= 0x5A
        try FileSystem.remove(path)
        let out = try OutputFile(path: path)
        try out.write(bytes)
        try out.close(sync: false)
    }

    @Test("the .chk file covers every other file, block by block")
    func covers() throws {
        let dir = try BlockChecksumTests.build()
        defer { try? FileSystem.removeTree(dir) }
        let snapshot = try IndexSnapshot.open(dir)
        let s = snapshot.segments[0]
        let chk = try FileSystem.read(dir + "/" + s.entry.name + ".chk")
        let decoded = try chk.withUnsafeBytes {
            try BlockChecksums.decode(UnsafeRawBufferPointer(rebasing: $0[16..<($0.count - 16)]), name: "chk")
        }
        #expect(decoded.shift == BlockChecksums.blockShift)
        #expect(Set(decoded.files.keys) == Set(SegmentFiles.covered))
        for (kind, f) in decoded.files {
            let bytes = try FileSystem.read(dir + "/" + s.entry.name + "." + kind.fileExtension)
            #expect(f.length == bytes.count)
            let size = BlockChecksums.blockBytes
            for b in 0..<(bytes.count + size - 1) / size {
                let block = bytes[(b * size)..<min(bytes.count, (b + 1) * size)]
                let stored = f.hashes.loadUnaligned(fromByteOffset: b * 8, as: UInt64.self)
                #expect(block.withUnsafeBytes { XXH64.hash($0) } == UInt64(littleEndian: stored), "\(kind.fileExtension) block \(b)")
            }
        }
        #expect(
            try FileSystem.status(dir + "/" + s.entry.name + ".sto").size > 4 * BlockChecksums.blockBytes,
            "the store must span several blocks")
    }

    @Test("a damaged store block is an error for the documents in it only; check finds it")
    func storeBlock() throws {
        let dir = try BlockChecksumTests.build()
        defer { try? FileSystem.removeTree(dir) }
        let name = try IndexSnapshot.open(dir).segments[0].entry.name
        let path = dir + "/" + name + ".sto"
        // Damage a byte in the third checksum block (well inside the compressed blocks).
        try BlockChecksumTests.flip(path, at: 2 * BlockChecksums.blockBytes + 100)
        let snapshot = try IndexSnapshot.open(dir)
        let s = snapshot.segments[0]
        var failed = 0, read = 0
        for d in 0..<s.documentCount {
            do {
                _ = try s.storedDocument(d)
                read += 1
            } catch let e as FormatError {
                #expect(e.file == path)
                #expect(e.message.contains("checksum mismatch"))
                failed += 1
            }
        }
        #expect(failed > 0 && read > failed, "failed \(failed), read \(read)")
        // Ranking and titles do not read the store: unaffected.
        #expect(try s.summary(0).title == "Title 0")
        let report = IndexChecker(directory: dir).check()
        #expect(report.problems.contains { $0.file == path }, "\(report.problems)")
    }

    @Test("a damaged postings block is an error for the terms whose postings are in it only")
    func postingsBlock() throws {
        let dir = try BlockChecksumTests.build()
        defer { try? FileSystem.removeTree(dir) }
        let name = try IndexSnapshot.open(dir).segments[0].entry.name
        let path = dir + "/" + name + ".doc"
        #expect(try FileSystem.status(path).size > 2 * BlockChecksums.blockBytes)
        try BlockChecksumTests.flip(path, at: BlockChecksums.blockBytes + 10)
        let s = try IndexSnapshot.open(dir).segments[0]
        var failed = 0, read = 0
        try s.forEachTerm { _, info in
            do {
                let c = try s.postings(info)
                while try c.next() != PostingsCursor.end {}
                read += 1
            } catch let e as FormatError {
                #expect(e.file == path)
                failed += 1
            }
            return true
        }
        #expect(failed > 0 && read > failed, "failed \(failed), read \(read)")
        #expect(!IndexChecker(directory: dir).check().ok)
    }

    @Test("a damaged byte in a small file is caught when the segment is opened")
    func smallFiles() throws {
        let dir = try BlockChecksumTests.build()
        defer { try? FileSystem.removeTree(dir) }
        let name = try IndexSnapshot.open(dir).segments[0].entry.name
        for ext in ["seg", "met", "chk"] {
            let copy = dir + "-" + ext
            try? FileSystem.removeTree(copy)
            try FileSystem.makeDirectories(copy)
            defer { try? FileSystem.removeTree(copy) }
            for f in try FileSystem.list(dir) where f != "LOCK" {
                let out = try OutputFile(path: copy + "/" + f)
                try out.write(try FileSystem.read(dir + "/" + f))
                try out.close(sync: false)
            }
            let path = copy + "/" + name + "." + ext
            try BlockChecksumTests.flip(path, at: 20)
            do {
                _ = try IndexSnapshot.open(copy)
                Issue.record("\(ext): a damaged file opened")
            } catch {
                #expect("\(error)".contains(path), "\(ext): \(error)")
            }
        }
    }
}

private func padded(_ i: Int) -> String {
    let s = String(i)
    return String(repeating: "0", count: max(0, 4 - s.count)) + s
}
