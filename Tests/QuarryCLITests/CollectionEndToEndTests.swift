import Foundation
import Testing

/// Ids of the documents that match `query` (all of them: --limit 1000).
private func ids(_ index: String, _ query: String) throws -> Set<String> {
    let r = try CLI.run(["search", "--index", index, "--json", "--limit", "1000", query])
    let hits = try CLI.json(r.stdout)["results"] as? [[String: Any]] ?? []
    return Set(hits.compactMap { $0["id"] as? String })
}

@Suite("collections as users meet them, end to end")
struct CollectionEndToEndTests {
    @Test("ids stay unique across directories and stable when a run names fewer or more of them")
    func idsAcrossRoots() throws {
        let dir = try CLI.temporaryDirectory("roots")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for d in ["docs-a", "docs-b", "docs-c"] { try write("\(dir)/\(d)/index.html", "<title>\(d)</title><p>heron \(d)</p>") }
        try write(dir + "/docs-a/guide.html", "<title>Guide</title><p>heron guide</p>")
        let idx = dir + "/idx"
        var r = try CLI.run(["index", "--index", idx, dir + "/docs-a", dir + "/docs-b"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("3 added"), "\(r.stdout)")
        #expect(r.stderr.contains("ids start with 'docs-a/'") && r.stderr.contains("ids start with 'docs-b/'"), "\(r.stderr)")
        #expect(try ids(idx, "heron") == ["docs-a/index.html", "docs-a/guide.html", "docs-b/index.html"])
        // One of them alone: same ids, nothing to do.
        r = try CLI.run(["index", "--index", idx, dir + "/docs-a"])
        #expect(r.stdout.contains("0 added, 0 updated, 0 deleted, 2 unchanged"), "\(r.stdout)")
        // A third one: its own prefix; the others keep theirs.
        r = try CLI.run(["index", "--index", idx, dir + "/docs-c", dir + "/docs-b", dir + "/docs-a"])
        #expect(r.stdout.contains("1 added, 0 updated, 0 deleted, 3 unchanged"), "\(r.stdout)")
        #expect(try ids(idx, "heron").contains("docs-c/index.html"))
        // NAME=DIR renames: the documents get new ids.
        r = try CLI.run(["index", "--index", idx, "c=" + dir + "/docs-c"])
        #expect(r.stdout.contains("1 added, 0 updated, 1 deleted"), "\(r.stdout)")
        #expect(r.stderr.contains("now 'c'"), "\(r.stderr)")
        #expect(try ids(idx, "docs") == ["docs-a/index.html", "docs-b/index.html", "c/index.html"])
        // Two directories cannot share a name.
        r = try CLI.run(["index", "--index", idx, "x=" + dir + "/docs-a", "x=" + dir + "/docs-b"])
        #expect(r.status == 2 && r.stderr.contains("two paths are named 'x'"), "\(r.stderr)")
    }

    @Test("a directory indexed alone keeps plain ids; a file that would take an id already used is an error, not a drop")
    func collisions() throws {
        let dir = try CLI.temporaryDirectory("collide")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write(dir + "/main/index.html", "<title>Main</title><p>heron main</p>")
        try write(dir + "/extra/index.html", "<title>Extra</title><p>heron extra</p>")
        let idx = dir + "/idx"
        var r = try CLI.run(["index", "--index", idx, dir + "/main"])
        #expect(try ids(idx, "heron") == ["index.html"])
        r = try CLI.run(["index", "--index", idx, dir + "/main", dir + "/extra"])
        #expect(r.status == 0 && r.stdout.contains("1 added"), "\(r.stdout)")
        #expect(try ids(idx, "heron") == ["index.html", "extra/index.html"])
        // main/ now has a file whose id (extra/index.html) is that of extra/index.html.
        try write(dir + "/main/extra/index.html", "<title>Shadow</title><p>heron shadow</p>")
        r = try CLI.run(["index", "--index", idx, dir + "/main", dir + "/extra"])
        #expect(r.status == 1, "\(r.stdout) \(r.stderr)")
        #expect(r.stderr.contains("main/extra/index.html: its id 'extra/index.html' is the id of"), "\(r.stderr)")
        #expect(r.stderr.contains("1 file was not indexed because another file has its id"), "\(r.stderr)")
        #expect(r.stdout.contains("left out: 1 file with a taken id"), "\(r.stdout)")
        #expect(try ids(idx, "heron") == ["index.html", "extra/index.html"])
        #expect(try CLI.run(["show", "--index", idx, "extra/index.html"]).stdout.contains("Extra"))
        // Naming the directories resolves it.
        r = try CLI.run(["index", "--index", idx, "main=" + dir + "/main", "extra=" + dir + "/extra"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try ids(idx, "heron") == ["main/index.html", "main/extra/index.html", "extra/index.html"])
    }

    @Test("a document deleted with 'quarry delete' stays out while its file exists, until --restore")
    func deleteAndSync() throws {
        let dir = try CLI.temporaryDirectory("delete-sync")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write(dir + "/docs/a.html", "<title>A</title><p>heron a</p>")
        try write(dir + "/docs/b.html", "<title>B</title><p>heron b</p>")
        try write(dir + "/docs/c.jsonl", #"{"_id": "j1", "text": "heron j1"}"# + "\n" + #"{"_id": "j2", "text": "heron j2"}"# + "\n")
        let idx = dir + "/idx"
        #expect(try CLI.run(["index", "--index", idx, dir + "/docs"]).status == 0)
        var r = try CLI.run(["delete", "--index", idx, "a.html", "j1"])
        #expect(r.stdout.contains("deleted 2 documents"))
        #expect(r.stderr.contains("'quarry index --restore' brings them back"), "\(r.stderr)")
        // Touched, and the JSON Lines file changed: still left out, and said so.
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(10)], ofItemAtPath: dir + "/docs/a.html")
        try write(dir + "/docs/c.jsonl", #"{"_id": "j1", "text": "heron j1 v2"}"# + "\n" + #"{"_id": "j2", "text": "heron j2 v2"}"# + "\n")
        r = try CLI.run(["index", "--index", idx, dir + "/docs"])
        #expect(r.status == 0)
        #expect(
            r.stderr.contains("2 documents deleted with 'quarry delete' are left out; 'quarry index --restore' brings them back"),
            "\(r.stderr)")
        #expect(try ids(idx, "heron") == ["b.html", "j2"])
        r = try CLI.run(["index", "--index", idx, dir + "/docs"])
        #expect(r.stdout.contains("0 added, 0 updated, 0 deleted, 2 unchanged"), "\(r.stdout)")
        #expect(try ids(idx, "heron") == ["b.html", "j2"])
        // --restore brings both back, once.
        r = try CLI.run(["index", "--index", idx, "--restore", dir + "/docs"])
        #expect(r.stdout.contains("restored 2 documents deleted with 'quarry delete'"), "\(r.stdout)")
        #expect(try ids(idx, "heron") == ["a.html", "b.html", "j1", "j2"])
        r = try CLI.run(["index", "--index", idx, dir + "/docs"])
        #expect(r.stdout.contains("3 unchanged") && !r.stderr.contains("left out"), "\(r.stdout) \(r.stderr)")
        // A deleted file that disappears and comes back is indexed again (it is a new file).
        #expect(try CLI.run(["delete", "--index", idx, "b.html"]).status == 0)
        try FileManager.default.removeItem(atPath: dir + "/docs/b.html")
        #expect(try CLI.run(["index", "--index", idx, dir + "/docs"]).status == 0)
        try write(dir + "/docs/b.html", "<title>B</title><p>heron b again</p>")
        r = try CLI.run(["index", "--index", idx, dir + "/docs"])
        #expect(r.stdout.contains("1 added"), "\(r.stdout)")
        #expect(try CLI.run(["check", "--index", idx]).status == 0)
    }

    @Test("--keep-chrome and --index-generated are recorded; changing them re-extracts the files concerned")
    func recordedExtraction() throws {
        let dir = try CLI.temporaryDirectory("chrome")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write(
            dir + "/docs/page.html",
            "<title>Page</title><nav><a href=x>Wombatnav</a> | <a href=y>Home</a></nav><main><p>heron page</p></main>")
        try write(
            dir + "/docs/genindex.html",
            "<title>Index</title><table class=\"genindextable\"><tr><td><a href=page.html>heron</a></td></tr></table>")
        try write(dir + "/docs/notes.txt", "Notes\n\nheron notes")
        let idx = dir + "/idx"
        var r = try CLI.run(["index", "--index", idx, dir + "/docs"])
        #expect(r.stdout.contains("2 added") && r.stdout.contains("left out: 1 generated page (--index-generated)"), "\(r.stdout)")
        #expect(try ids(idx, "wombatnav").isEmpty)
        r = try CLI.run(["index", "--index", idx, "--keep-chrome", dir + "/docs"])
        #expect(r.stderr.contains("extracting 2 files again: page chrome is now kept"), "\(r.stderr)")
        #expect(r.stdout.contains("0 added, 1 updated, 0 deleted, 1 unchanged"), "\(r.stdout)")
        #expect(try ids(idx, "wombatnav") == ["page.html"])
        // Recorded: the next run keeps chrome without being told.
        r = try CLI.run(["index", "--index", idx, dir + "/docs"])
        #expect(r.stderr.contains("using the options recorded in the index: --keep-chrome"), "\(r.stderr)")
        #expect(r.stdout.contains("3 unchanged"), "\(r.stdout)")
        #expect(try ids(idx, "wombatnav") == ["page.html"])
        // Generated pages in, then out again without re-reading.
        r = try CLI.run(["index", "--index", idx, "--index-generated", dir + "/docs"])
        #expect(r.stdout.contains("1 added") && !r.stdout.contains("generated page"), "\(r.stdout)")
        #expect(try ids(idx, "heron").contains("genindex.html"))
        r = try CLI.run(["index", "--index", idx, "--no-index-generated", "--no-keep-chrome", dir + "/docs"])
        #expect(r.stdout.contains("1 deleted") && r.stdout.contains("1 generated page"), "\(r.stdout)")
        #expect(try ids(idx, "heron") == ["page.html", "notes.txt"])
        #expect(try ids(idx, "wombatnav").isEmpty)
    }

    @Test("--exclude, --include and .quarryignore: applied in the walk, recorded, counted; excluded files leave the index")
    func filters() throws {
        let dir = try CLI.temporaryDirectory("filters")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for f in ["a.html", "drafts/d.html", "notes/n.txt", "notes/keep.txt", "private.md"] {
            try write(dir + "/docs/" + f, "<p>heron \(f)</p>")
        }
        try write(dir + "/docs/.quarryignore", "# not for the index\nprivate.md\n")
        let idx = dir + "/idx"
        var r = try CLI.run(["index", "--index", idx, dir + "/docs"])
        #expect(r.stdout.contains("4 added") && r.stdout.contains("left out: 1 excluded file, 1 hidden file"), "\(r.stdout)")
        r = try CLI.run(["index", "--index", idx, "--exclude", "drafts/", "--exclude", "*.txt", "--exclude", "!keep.txt", dir + "/docs"])
        #expect(r.stdout.contains("0 added, 0 updated, 2 deleted"), "\(r.stdout)")
        #expect(r.stdout.contains("2 excluded files, 1 excluded folder"), "\(r.stdout)")
        #expect(try ids(idx, "heron") == ["a.html", "notes/keep.txt"])
        // Recorded: a plain run keeps them out.
        r = try CLI.run(["index", "--index", idx, dir + "/docs"])
        #expect(r.stdout.contains("0 added, 0 updated, 0 deleted, 2 unchanged"), "\(r.stdout)")
        #expect(r.stderr.contains("--exclude 'drafts/' --exclude '*.txt' --exclude '!keep.txt'"), "\(r.stderr)")
        r = try CLI.run(["index", "--index", idx, "--include", "*.html", dir + "/docs"])
        #expect(try ids(idx, "heron") == ["a.html"])
        #expect(r.stdout.contains("1 file not included"), "\(r.stdout)")
        // --reset-filters forgets both lists; .quarryignore still applies.
        r = try CLI.run(["index", "--index", idx, "--reset-filters", dir + "/docs"])
        #expect(try ids(idx, "heron") == ["a.html", "drafts/d.html", "notes/n.txt", "notes/keep.txt"])
    }

    @Test("a rebuild keeps the recorded options and the deletions")
    func rebuildKeepsState() throws {
        let dir = try CLI.temporaryDirectory("rebuild-state")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for f in ["a.html", "b.html", "c.txt"] { try write(dir + "/docs/" + f, "<p>heron \(f)</p>") }
        let idx = dir + "/idx"
        #expect(try CLI.run(["index", "--index", idx, "--exclude", "*.txt", dir + "/docs"]).status == 0)
        #expect(try CLI.run(["delete", "--index", idx, "b.html"]).status == 0)
        let r = try CLI.run(["index", "--index", idx, "--rebuild", "--language", "none", dir + "/docs"])
        #expect(r.status == 0 && r.stdout.contains("1 added"), "\(r.stdout) \(r.stderr)")
        #expect(try ids(idx, "heron") == ["a.html"])
        let restored = try CLI.run(["index", "--index", idx, "--restore", dir + "/docs"])
        #expect(restored.stdout.contains("restored 1 document"), "\(restored.stdout)")
        #expect(try ids(idx, "heron") == ["a.html", "b.html"])
    }
}
