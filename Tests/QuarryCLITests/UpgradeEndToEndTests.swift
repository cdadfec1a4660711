import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("an index made by the previous version, end to end")
struct UpgradeEndToEndTests {
    /// The golden index (sources table version 1) and the files it was made from, which it
    /// names by absolute path: they must be at /tmp/quarry-golden-v1/docs.
    static let golden = CLI.packageRoot + "/Tests/QuarryCollectionTests/Golden/upgrade-v1"
    static let sourcesPath = "/tmp/quarry-golden-v1"

    @Test("opens, searches, syncs without losing anything, and is then written in the new layout")
    func upgrade() throws {
        let fm = FileManager.default
        // Other test processes may use the same fixed path: take a lock for the whole test
        // (the empty lock file stays, so that every process locks the same file).
        let lockFD = open(Self.sourcesPath + ".lock", O_CREAT | O_RDWR, 0o644)
        #expect(lockFD >= 0)
        flock(lockFD, LOCK_EX)
        defer {
            try? fm.removeItem(atPath: Self.sourcesPath)
            flock(lockFD, LOCK_UN)
            close(lockFD)
        }
        try? fm.removeItem(atPath: Self.sourcesPath)
        try fm.createDirectory(atPath: Self.sourcesPath, withIntermediateDirectories: true)
        try fm.copyItem(atPath: Self.golden + "/docs", toPath: Self.sourcesPath + "/docs")
        let dir = try CLI.temporaryDirectory("upgrade")
        defer { try? fm.removeItem(atPath: dir) }
        let idx = dir + "/idx"
        try fm.copyItem(atPath: Self.golden + "/index", toPath: idx)

        // Before any sync: readable as it is.
        #expect(try CLI.run(["check", "--index", idx]).status == 0)
        let before = try CLI.json(try CLI.run(["search", "--index", idx, "--json", "--limit", "20", "heron OR bittern OR egret OR stork"]).stdout)
        let beforeIDs = Set((before["results"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
        #expect(beforeIDs == ["index.html", "genindex.html", "guide/install.html", "notes.txt", "readme.md", "b1", "b2", "b3"])

        // The first sync extracts the one-document files again with today's rules (ids kept:
        // updates, not additions), leaves the generated page out, and keeps the rest.
        var r = try CLI.run(["index", "--index", idx, Self.sourcesPath + "/docs"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("extracting 5 files again: the index was made by an earlier quarry"), "\(r.stderr)")
        #expect(r.stdout.contains("0 added, 4 updated, 1 deleted, 1 unchanged, 0 skipped"), "\(r.stdout)")
        #expect(r.stdout.contains("left out: 1 generated page"), "\(r.stdout)")
        let after = try CLI.json(try CLI.run(["search", "--index", idx, "--json", "--limit", "20", "heron OR bittern OR egret OR stork"]).stdout)
        let afterIDs = Set((after["results"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
        #expect(afterIDs == beforeIDs.subtracting(["genindex.html"]))
        #expect(try CLI.run(["check", "--index", idx]).status == 0)
        // The payload is now version 2: the marker 0xFFFFFFFF after the 16-byte header.
        let manifestNames = try fm.contentsOfDirectory(atPath: idx).filter { $0.hasPrefix("sources_") }
        let payload = try #require(manifestNames.max())
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: idx + "/" + payload)))
        #expect(Array(bytes[16..<24]) == [0xFF, 0xFF, 0xFF, 0xFF, 2, 0, 0, 0])
        // And the next run has nothing to do.
        r = try CLI.run(["index", "--index", idx, Self.sourcesPath + "/docs"])
        #expect(r.stdout.contains("0 added, 0 updated, 0 deleted, 6 unchanged"), "\(r.stdout)")
        // Deletions are remembered from now on.
        #expect(try CLI.run(["delete", "--index", idx, "notes.txt"]).status == 0)
        r = try CLI.run(["index", "--index", idx, Self.sourcesPath + "/docs"])
        #expect(r.stderr.contains("1 document deleted with 'quarry delete' is left out"), "\(r.stderr)")
    }
}
