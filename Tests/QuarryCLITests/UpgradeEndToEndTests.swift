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

    /// The golden index is of index format 2 (sources table version 1). Since format 3 an
    /// index of format 2 is refused, with a message to rebuild; a rebuild from the same
    /// directory gives back every document.
    @Test("is refused with a message to rebuild; a rebuild from its sources finds the same documents")
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

        for command in [
            ["search", "--index", idx, "heron"], ["check", "--index", idx], ["index", "--index", idx, Self.sourcesPath + "/docs"],
        ] {
            let r = try CLI.run(command)
            #expect(r.status == 5, "\(command[0]): \(r.status)")
            #expect((r.stderr + r.stdout).contains("made by another version of Quarry (index format 2"), "\(command[0]): \(r.stderr)")
            #expect((r.stderr + r.stdout).contains("--rebuild"), "\(command[0]): \(r.stderr)")
        }
        let r = try CLI.run(["index", "--index", idx, "--rebuild", Self.sourcesPath + "/docs"])
        #expect(r.status == 0, "\(r.stderr)")
        let after = try CLI.json(
            try CLI.run(["search", "--index", idx, "--json", "--limit", "20", "heron OR bittern OR egret OR stork"]).stdout)
        let afterIDs = Set((after["results"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
        #expect(afterIDs == ["index.html", "guide/install.html", "notes.txt", "readme.md", "b1", "b2", "b3"])
        #expect(try CLI.run(["check", "--index", idx]).status == 0)
        // The payload is version 2: the marker 0xFFFFFFFF after the 16-byte header.
        let manifestNames = try fm.contentsOfDirectory(atPath: idx).filter { $0.hasPrefix("sources_") }
        let payload = try #require(manifestNames.max())
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: idx + "/" + payload)))
        #expect(Array(bytes[16..<24]) == [0xFF, 0xFF, 0xFF, 0xFF, 2, 0, 0, 0])
    }
}
