import Testing
import QuarryDocument
import QuarryCore
import QuarryIngest
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
        func article(_ id: String, _ title: String, _ blocks: [(BlockKind, String)]) -> Article {
            var b = TextBuilder()
            for (k, t) in blocks {
                b.startBlock(k, level: k == .heading ? 2 : 0)
                b.append(t)
            }
            let (body, bl) = b.finish()
            return Article(id: id, path: "golden/" + id, title: title, body: body, blocks: bl)
        }
        return [
            article("a.html", "Norepinephrine", [(.heading, "Function"), (.paragraph, "Norepinephrine raises heart rate. It acts in the fight-or-flight response.")]),
            article("b.txt", "Sleep and Stress", [(.paragraph, "Stress hormones disturb sleep; deep sleep lowers them again."), (.listItem, "Cortisol"), (.listItem, "Adrenaline")]),
            article("c.html", "Норадреналин", [(.paragraph, "Норадреналин — гормон стресса. Élève naïve café.")]),
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
        for n in names where !n.hasSuffix(".sto") {
            let produced = try FileSystem.read(dir + "/" + n)
            let expected = try FileSystem.read(golden + "/" + n)
            if produced != expected {
                let at = zip(produced, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(produced.count, expected.count)
                Issue.record("\(n) differs from the golden file at byte \(at) (\(produced.count) vs \(expected.count) bytes): update docs/FORMAT.md and the format version if the change is deliberate")
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
        let snapshot = try IndexSnapshot.open(GoldenIndexTests.goldenDirectory, verifyChecksums: true)
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
        #expect(doc.passages.count == 2)
    }
}

#if canImport(Glibc)
import Glibc
#endif
