import QuarryCore
import QuarryIndex
import QuarryIngest
import Testing

@testable import QuarryCollection

/// The index made by the version before the sources table had a version (payload version 1).
func goldenUpgradeDirectory() -> String {
    var parts = #filePath.split(separator: "/").map(String.init)
    parts.removeLast()
    return "/" + parts.joined(separator: "/") + "/Golden/upgrade-v1"
}

@Suite("Sources table")
struct SourcesTableTests {
    @Test("the version 1 table of the golden index decodes, record by record")
    func goldenVersion1() throws {
        // The golden index is of index format 2 (refused since format 3); its payload's
        // envelope is read as a rebuild reads it.
        let body = try readPayload(directory: goldenUpgradeDirectory() + "/index", file: "sources_1.src", olderFormat: true)
        let state = try body.withUnsafeBytes { try SourcesTable.decode($0, name: "sources_1.src") }
        #expect(state.version == 1)
        #expect(state.options == CollectionOptions())
        #expect(state.roots.isEmpty)
        let root = "/tmp/quarry-golden-v1/docs/"
        let expected: [String: (SourceFormat, String)] = [
            "corpus.jsonl": (.beir, ""), "genindex.html": (.html, "genindex.html"), "guide/install.html": (.html, "guide/install.html"),
            "index.html": (.html, "index.html"), "notes.txt": (.text, "notes.txt"), "readme.md": (.text, "readme.md"),
        ]
        #expect(Set(state.sources.keys) == Set(expected.keys.map { root + $0 }))
        for (rel, (format, id)) in expected {
            let r = try #require(state.sources[root + rel])
            #expect(r.format == format && r.documentID == id)
            #expect(r.extractionRules == 0, "version 1 records must be extracted again")
            #expect(r.indexed && !r.generated && !r.deletedByUser && r.deletedIDs.isEmpty)
            let size = try FileSystem.status(goldenUpgradeDirectory() + "/docs/" + rel).size
            #expect(r.size == size, "\(rel)")
            #expect(r.contentHash == XXH64.hash(try FileSystem.read(goldenUpgradeDirectory() + "/docs/" + rel)), "\(rel)")
        }
    }

    @Test("version 2 round-trips options, names, flags, extraction rules and deleted ids")
    func roundTrip() throws {
        var state = CollectionState()
        state.options.keepChrome = true
        state.options.include = ["*.html"]
        state.options.exclude = ["drafts/", "!drafts/keep.html"]
        state.roots = ["/a": "", "/b/html": "b/html"]
        var page = SourceRecord(
            path: "/a/caf\\xE9.html", size: 10, mtimeNanos: -5, contentHash: 42, format: .html, documentID: "caf\\xE9.html")
        page.generated = true
        page.indexed = false
        page.keptChrome = true
        var lines = SourceRecord(path: "/b/html/c.jsonl", size: 3, mtimeNanos: 7, contentHash: 9, format: .beir, documentID: "")
        lines.deletedIDs = ["d1", "d2"]
        var deleted = SourceRecord(path: "/a/x.txt", size: 1, mtimeNanos: 1, contentHash: 1, format: .text, documentID: "x.txt")
        deleted.deletedByUser = true
        deleted.extractionRules = 0
        state.sources = [page.path: page, lines.path: lines, deleted.path: deleted]
        let bytes = SourcesTable.encode(state)
        let back = try bytes.withUnsafeBytes { try SourcesTable.decode($0, name: "t") }
        #expect(back == state)
        // Deterministic bytes: the same state encodes the same way.
        #expect(SourcesTable.encode(back) == bytes)
    }

    @Test("a newer version, unknown flags or a truncated table are refused with the offset")
    func refusals() throws {
        var w = ByteWriter()
        w.u32(0xFFFF_FFFF)
        w.u32(3)
        let newer = try #require(throws: FormatError.self) { try w.bytes.withUnsafeBytes { try SourcesTable.decode($0, name: "t") } }
        #expect(newer.message.contains("version 3") && newer.message.contains("rebuild"))
        var state = CollectionState()
        state.sources["/p"] = SourceRecord(path: "/p", size: 1, mtimeNanos: 1, contentHash: 1, format: .html, documentID: "p")
        let good = SourcesTable.encode(state)
        for cut in [4, 9, good.count - 1] {
            #expect(throws: FormatError.self) { try Array(good[0..<cut]).withUnsafeBytes { try SourcesTable.decode($0, name: "t") } }
        }
        var bad = good
        // The flags byte of the only record: after marker, version, options, 2 empty lists,
        // 0 roots, count, path (1 + 2 bytes), size, time, hash, format.
        let flags = 4 + 4 + 1 + 4 + 4 + 4 + 4 + 3 + 8 + 8 + 8 + 1
        bad[flags] = 0x80
        let e = try #require(throws: FormatError.self) { try bad.withUnsafeBytes { try SourcesTable.decode($0, name: "t") } }
        #expect(e.offset == 16 + flags)
    }
}
