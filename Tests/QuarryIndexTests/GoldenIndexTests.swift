import QuarryCore
import QuarryDocument
import QuarryIngest
import Testing

@testable import QuarryIndex

/// The index format is pinned by golden files: a fixed small corpus, written with fixed
/// nonces and commit time, must give byte-identical files (stored text is compared after
/// decompression, since the compressor's bytes may change between zstd versions). The
/// checked-in index must also stay readable: old formats are test data.
///
/// After a deliberate format change (and its docs/FORMAT.md update), regenerate with
/// QUARRY_UPDATE_GOLDEN=1 swift test --filter GoldenIndexTests
@Suite("Golden index files")
struct GoldenIndexTests {
    static var goldenDirectory: String {
        var parts = #filePath.split(separator: "/").map(String.init)
        parts.removeLast()
        return "/" + parts.joined(separator: "/") + "/Golden/index-v\(indexFormatVersion)"
    }

    static func corpus() -> [Article] {
        func article(_ id: String, _ title: String, _ blocks: [(BlockKind, String)], date: Int64? = nil) -> Article {
            var b = TextBuilder()
            for (k, t) in blocks {
                b.startBlock(k, level: k == .heading ? 2 : 0)
                b.append(t)
            }
            let (body, bl) = b.finish()
            return Article(id: id, path: "golden/" + id, title: title, body: body, blocks: bl, date: date)
        }
        return [
            article(
                "a.html", "Norepinephrine",
                [(.heading, "Function"), (.paragraph, "Norepinephrine raises heart rate. It acts in the fight-or-flight response.")],
                date: 1_714_694_400),
            article(
                "b.txt", "Sleep and Stress",
                [
                    (.paragraph, "Stress hormones disturb sleep; deep sleep lowers them again."), (.listItem, "Cortisol"),
                    (.listItem, "Adrenaline"),
                ]),
            article("c.html", "Норадреналин", [(.paragraph, "Норадреналин — гормон стресса. Élève naïve café.")], date: -86_400),
            article("d.txt", "", [(.paragraph, String(repeating: "signal ", count: 150) + "end.")]),
        ] + (0..<140).map { article("e\($0)", "Entry \($0)", [(.paragraph, "A signal entry number \($0) about sleep.")]) }
    }

    static func build(into dir: String) throws {
        var options = WriterOptions(threads: 1)
        options.deterministicSeed = 42
        let writer = try IndexWriter(directory: dir, settings: IndexSettings(passages: PassageSettings(targetWords: 8)), options: options)
        _ = try writer.add(corpus())
        try writer.commit()
        _ = try writer.delete(ids: ["b.txt", "e7"])
        try writer.commit()
        writer.close()
    }

    @Test("writing the golden corpus gives the golden bytes")
    func bytesMatch() throws {
        let dir = "/tmp/quarry-golden-\(FileSystem.processID)-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileSystem.removeTree(dir) }
        try GoldenIndexTests.build(into: dir)
        let golden = GoldenIndexTests.goldenDirectory
        let names = try FileSystem.list(dir).filter { $0 != "LOCK" }.sorted()
        if getenv("QUARRY_UPDATE_GOLDEN") != nil {
            try? FileSystem.removeTree(golden)
            try FileSystem.makeDirectories(golden)
            for n in names {
                let out = try OutputFile(path: golden + "/" + n)
                try out.write(try FileSystem.read(dir + "/" + n))
                try out.close(sync: false)
            }
            return
        }
        #expect(try FileSystem.list(golden).sorted() == names, "the set of files changed")
        // The store's compressed bytes may change with the zstd version, and with them the
        // store's block checksums in `.chk`: both are compared without them.
        for n in names where !n.hasSuffix(".sto") && !n.hasSuffix(".chk") {
            let produced = try FileSystem.read(dir + "/" + n)
            let expected = try FileSystem.read(golden + "/" + n)
            if produced != expected {
                let at =
                    zip(produced, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                    ?? min(produced.count, expected.count)
                Issue.record(
                    "\(n) differs from the golden file at byte \(at) (\(produced.count) vs \(expected.count) bytes): update docs/FORMAT.md and the format version if the change is deliberate"
                )
            }
        }
        for n in names where n.hasSuffix(".chk") {
            let produced = try FileSystem.read(dir + "/" + n), expected = try FileSystem.read(golden + "/" + n)
            let a = try produced.withUnsafeBytes {
                try BlockChecksums.decode(UnsafeRawBufferPointer(rebasing: $0[16..<($0.count - 16)]), name: n)
            }
            let b = try expected.withUnsafeBytes {
                try BlockChecksums.decode(UnsafeRawBufferPointer(rebasing: $0[16..<($0.count - 16)]), name: n)
            }
            #expect(a.shift == b.shift)
            #expect(Set(a.files.keys) == Set(b.files.keys))
            for (kind, f) in a.files where kind != .store {
                #expect(
                    f.length == b.files[kind]?.length
                        && f.hashes.elementsEqual(b.files[kind]?.hashes ?? UnsafeRawBufferPointer(start: nil, count: 0)),
                    "\(n): the checksums of the \(kind.fileExtension) file differ")
            }
        }
        // Stored documents: same records.
        let mine = try IndexSnapshot.open(dir), theirs = try IndexSnapshot.open(golden)
        for (s1, s2) in zip(mine.segments, theirs.segments) {
            for d in 0..<s1.documentCount { #expect(try s1.storedDocument(d) == s2.storedDocument(d)) }
        }
    }

    @Test("the checked-in golden index opens, verifies and answers")
    func readable() throws {
        try GoldenIndexTests.checkReadable(GoldenIndexTests.goldenDirectory)
    }

    /// Format 3 indexes written before the checksum blocks shrank to 16 KiB have 64 KiB
    /// blocks (`.chk` records the size): they open, verify and answer the same.
    @Test("a format 3 index with 64 KiB checksum blocks opens, verifies and answers")
    func readableWithLargerBlocks() throws {
        let dir = GoldenIndexTests.goldenDirectory + "-64k"
        try GoldenIndexTests.checkReadable(dir)
        let snapshot = try IndexSnapshot.open(dir, verifyChecksums: true)
        let chk = try FileSystem.read(dir + "/" + snapshot.segments[0].entry.name + ".chk")
        let shift = try chk.withUnsafeBytes {
            try BlockChecksums.decode(UnsafeRawBufferPointer(rebasing: $0[16..<($0.count - 16)]), name: "chk").shift
        }
        #expect(shift == 16)
        #expect(shift != BlockChecksums.blockShift, "the writer's block size is now another")
        #expect(IndexChecker(directory: dir).check().problems.isEmpty)
    }

    static func checkReadable(_ directory: String) throws {
        let snapshot = try IndexSnapshot.open(directory, verifyChecksums: true)
        #expect(snapshot.stats.documents == GoldenIndexTests.corpus().count - 2)
        #expect(try snapshot.locate(id: "b.txt") == nil)
        #expect(try snapshot.locate(id: "a.html") != nil)
        #expect(try snapshot.termStats("signal").df == 140 - 1 + 1)
        #expect(try snapshot.termStats("норадреналин").df == 1)
        #expect(try snapshot.termStats("eleve").df == 1)
        #expect(try snapshot.termStats("cortisol").df == 0)  // only in the deleted b.txt
        guard let (s, d) = try snapshot.locate(id: "a.html") else { return }
        let doc = try snapshot.segments[s].storedDocument(d)
        #expect(doc.title == "Norepinephrine")
        #expect(doc.path == "golden/a.html")
        #expect(doc.date == 1_714_694_400)
        #expect(doc.passages.count == 2)
        guard let (s2, d2) = try snapshot.locate(id: "e3") else { return }
        #expect(try snapshot.segments[s2].storedDocument(d2).date == nil)
        #expect(try snapshot.segments[s2].summary(d2).title == "Entry 3")
    }

    /// Indexes of older formats are refused with a message to rebuild (the golden index of
    /// format 2 is kept as test data for this).
    @Test("the golden index of format 2 is refused with a message to rebuild")
    func olderFormatRefused() throws {
        var parts = #filePath.split(separator: "/").map(String.init)
        parts.removeLast()
        let v2 = "/" + parts.joined(separator: "/") + "/Golden/index-v2"
        #expect(FileSystem.exists(v2 + "/MANIFEST"))
        do {
            _ = try IndexSnapshot.open(v2)
            Issue.record("a format 2 index opened")
        } catch {
            #expect("\(error)".contains("index format 2"), "\(error)")
            #expect("\(error)".contains("rebuild"), "\(error)")
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
