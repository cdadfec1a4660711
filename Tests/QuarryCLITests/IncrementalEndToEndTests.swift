import Foundation
import Testing

@Suite("incremental indexing end to end")
struct IncrementalEndToEndTests {
    func summary(_ r: CLI.Result) -> String { r.stdout.split(separator: ":").dropFirst().joined(separator: ":") }

    @Test("new, changed, touched, vanished files: each handled and counted")
    func rerun() throws {
        let dir = try CLI.temporaryDirectory("incr")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for i in 0..<5 { try write(dir + "/src/p\(i).html", "<title>Page \(i)</title><p>osprey page \(i)</p>") }
        try write(dir + "/src/notes.txt", "Notes\n\nosprey notes")
        var r = try CLI.run(["index", "--index", dir + "/idx", dir + "/src"])
        #expect(r.stdout.contains("6 added, 0 updated, 0 deleted, 0 unchanged, 0 skipped"), "\(r.stdout)")
        // Change one, touch one (same bytes, new time), add one, remove one.
        try write(dir + "/src/p1.html", "<title>Page 1 v2</title><p>osprey changed heron</p>")
        let touched = dir + "/src/p2.html"
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(5)], ofItemAtPath: touched)
        try write(dir + "/src/new.html", "<title>New</title><p>osprey new</p>")
        try FileManager.default.removeItem(atPath: dir + "/src/p3.html")
        r = try CLI.run(["index", "--index", dir + "/idx", dir + "/src"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("1 added, 1 updated, 1 deleted, 4 unchanged, 0 skipped"), "\(r.stdout)")
        #expect(r.stdout.contains("the index holds 6 documents"))
        let heron = try CLI.json(try CLI.run(["search", "--index", dir + "/idx", "--json", "heron"]).stdout)
        #expect((heron["results"] as? [[String: Any]])?.first?["title"] as? String == "Page 1 v2")
        // Nothing changed: nothing to do.
        r = try CLI.run(["index", "--index", dir + "/idx", dir + "/src"])
        #expect(r.stdout.contains("0 added, 0 updated, 0 deleted, 6 unchanged"), "\(r.stdout)")
        // --no-delete keeps documents of vanished files.
        try FileManager.default.removeItem(atPath: dir + "/src/p4.html")
        r = try CLI.run(["index", "--index", dir + "/idx", "--no-delete", dir + "/src"])
        #expect(r.stdout.contains("0 deleted"), "\(r.stdout)")
        #expect(r.stdout.contains("the index holds 6 documents"))
        r = try CLI.run(["index", "--index", dir + "/idx", dir + "/src"])
        #expect(r.stdout.contains("1 deleted"), "\(r.stdout)")
        #expect(try CLI.run(["check", "--index", dir + "/idx"]).status == 0)
    }

    @Test("--stdin adds or replaces by id; delete removes by id")
    func pipelines() throws {
        let dir = try CLI.temporaryDirectory("stdin")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lines = (0..<4).map { #"{"_id": "s\#($0)", "title": "Item \#($0)", "text": "plover item \#($0)"}"# }.joined(separator: "\n")
        var r = try CLI.run(["index", "--index", dir + "/idx", "--stdin"], stdin: lines)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("4 added"), "\(r.stdout)")
        r = try CLI.run(
            ["index", "--index", dir + "/idx", "--stdin"],
            stdin: #"{"_id": "s2", "title": "Item 2 again", "text": "plover replaced"}"# + "\n" + #"{"_id": "s9", "text": "plover nine"}"#)
        #expect(r.stdout.contains("1 added, 1 updated"), "\(r.stdout)")
        r = try CLI.run(["delete", "--index", dir + "/idx", "s0", "nope"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("deleted 1 document"))
        #expect(r.stderr.contains("no document with id 'nope'"))
        let hits =
            try CLI.json(try CLI.run(["search", "--index", dir + "/idx", "--json", "plover"]).stdout)["results"] as? [[String: Any]] ?? []
        #expect(Set(hits.compactMap { $0["id"] as? String }) == ["s1", "s2", "s3", "s9"])
        #expect(try CLI.run(["check", "--index", dir + "/idx"]).status == 0)
    }

    @Test("settings cannot change silently: a different language needs --rebuild")
    func settings() throws {
        let dir = try CLI.temporaryDirectory("settings")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try CLI.run(["index", "--index", dir + "/idx", CLI.corpus]).status == 0)
        let r = try CLI.run(["index", "--index", dir + "/idx", "--language", "russian", CLI.corpus])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--rebuild"))
        let rebuilt = try CLI.run(["index", "--index", dir + "/idx", "--language", "russian", "--rebuild", CLI.corpus])
        #expect(rebuilt.status == 0)
        #expect(try CLI.run(["stats", "--index", dir + "/idx"]).stdout.contains("russian stemmer"))
    }
}
