import QuarryCore
import QuarryIngest
import Testing

@testable import QuarryCollection

#if canImport(Glibc)
import Glibc
#endif

@Suite("What a walk leaves out")
struct WalkRulesTests {
    @Test("hidden, _sources, linked folders, FIFOs: left out and counted; the rest in byte order")
    func counts() throws {
        let dir = try temporaryDirectory("walk-counts")
        defer { try? FileSystem.removeTree(dir) }
        try writeFile(dir + "/index.html", "<p>x</p>")
        try writeFile(dir + "/.hidden.html", "x")
        try writeFile(dir + "/.git/config.txt", "x")
        try writeFile(dir + "/_sources/index.txt", "x")
        try writeFile(dir + "/guide/a.html", "x")
        #expect(symlink(dir + "/guide", dir + "/again") == 0)
        #expect(mkfifo(dir + "/pipe.html", 0o644) == 0)
        #expect(symlink(dir + "/nowhere.html", dir + "/broken.html") == 0)
        let w = SourceWalker(format: .auto).walk([dir])
        #expect(w.sources.map(\.relativeID) == ["guide/a.html", "index.html"])
        #expect(w.counts.hiddenFiles == 1 && w.counts.hiddenFolders == 1)
        #expect(w.counts.sphinxSourceFolders == 1 && w.counts.linkedFolders == 1 && w.counts.notRegular == 1)
        #expect(w.issues.map(\.message).sorted() == ["broken symbolic link; skipped", "not a regular file (a FIFO (named pipe)); skipped"])
        // With --format text, _sources is an ordinary folder.
        #expect(SourceWalker(format: .text).walk([dir]).sources.map(\.relativeID) == ["_sources/index.txt"])
    }

    @Test(".quarryignore at the root, then --exclude, then --include; an excluded folder's files cannot be taken back")
    func ignoreFile() throws {
        let dir = try temporaryDirectory("walk-ignore")
        defer { try? FileSystem.removeTree(dir) }
        try writeFile(dir + "/.quarryignore", "# drafts are private\ndrafts/\n!drafts/keep.html\n*.txt\n!important.txt\n/top.html\n")
        for f in ["a.html", "top.html", "sub/top.html", "drafts/keep.html", "notes.txt", "important.txt", "sub/b.md", "sub/c.html"] {
            try writeFile(dir + "/" + f, "x")
        }
        var w = SourceWalker(format: .auto).walk([dir])
        #expect(w.sources.map(\.relativeID) == ["a.html", "important.txt", "sub/b.md", "sub/c.html", "sub/top.html"])
        #expect(w.counts.excludedFolders == 1 && w.counts.excludedFiles == 2)
        #expect(w.counts.hiddenFiles == 1)  // .quarryignore itself
        let exclude = IgnoreRules(text: "sub/*.md\n!notes.txt")
        w = SourceWalker(format: .auto, exclude: exclude).walk([dir])
        #expect(w.sources.map(\.relativeID) == ["a.html", "important.txt", "notes.txt", "sub/c.html", "sub/top.html"])
        w = SourceWalker(format: .auto, exclude: exclude, include: IgnoreRules(text: "*.html")).walk([dir])
        #expect(w.sources.map(\.relativeID) == ["a.html", "sub/c.html", "sub/top.html"])
        #expect(w.counts.notIncluded == 2)
    }

    @Test("a file name that is not UTF-8 is walked: its id and path escape the bad byte, its raw bytes open it")
    func rawNames() throws {
        let dir = try temporaryDirectory("walk-raw")
        defer { try? FileSystem.removeTree(dir) }
        let sub = RawPath(dir).appending([0x64, 0xFF])  // "d\xFF"
        #expect(mkdir(sub.cString, 0o755) == 0)
        let file = sub.appending(Array("caf".utf8) + [0xE9] + Array(".html".utf8))
        let fd = open(file.cString, O_WRONLY | O_CREAT, 0o644)
        #expect(fd >= 0)
        _ = write(fd, "<p>x</p>", 8)
        close(fd)
        let w = SourceWalker(format: .auto).walk([dir])
        #expect(w.issues.isEmpty)
        let source = try #require(w.sources.first)
        #expect(source.relativeID == "d\\xFF/caf\\xE9.html")
        #expect(source.absolutePath == absolutePath(dir) + "/d\\xFF/caf\\xE9.html")
        #expect(source.file == file)
        #expect(try FileSystem.read(source.file) == Array("<p>x</p>".utf8))
    }

    @Test("ids carry the target's prefix, for files in a directory and files named directly")
    func prefixes() throws {
        let dir = try temporaryDirectory("walk-prefix")
        defer { try? FileSystem.removeTree(dir) }
        try writeFile(dir + "/d/a.html", "x")
        try writeFile(dir + "/f.txt", "x")
        let w = SourceWalker(format: .auto).walk(targets: [
            WalkTarget(path: dir + "/d", idPrefix: "docs/"),
            WalkTarget(path: dir + "/f.txt", idPrefix: "notes/"),
        ])
        #expect(w.sources.map(\.relativeID) == ["docs/a.html", "notes/f.txt"])
        #expect(w.roots == [absolutePath(dir + "/d")])
    }
}

@Suite("Naming directories")
struct RootNamingTests {
    @Test("the only directory of a first run has plain ids; several get the shortest distinct end of their paths")
    func defaults() {
        var d = RootNaming.decide([("/docs/a", nil)], pathsInRun: 1, recorded: [:], sources: [:])
        #expect(d.names == ["/docs/a": ""])
        d = RootNaming.decide(
            [
                ("/usr/share/doc/cmake-doc/html", nil), ("/usr/share/doc/git-doc", nil),
                ("/usr/share/doc/postgresql-doc-15/html", nil),
            ],
            pathsInRun: 3, recorded: [:], sources: [:])
        #expect(
            d.names == [
                "/usr/share/doc/cmake-doc/html": "cmake-doc/html", "/usr/share/doc/git-doc": "git-doc",
                "/usr/share/doc/postgresql-doc-15/html": "postgresql-doc-15/html",
            ])
        #expect(d.notes.count == 3)
    }

    @Test("recorded names stay; a new directory avoids them; a name asked for wins and is noted")
    func recorded() {
        let recorded = ["/a/html": "", "/b/html": "html"]
        var d = RootNaming.decide([("/a/html", nil)], pathsInRun: 1, recorded: recorded, sources: [:])
        #expect(d.names == ["/a/html": ""] && d.notes.isEmpty)
        d = RootNaming.decide([("/a/html", nil), ("/c/html", nil)], pathsInRun: 2, recorded: recorded, sources: [:])
        #expect(d.names["/c/html"] == "c/html")
        d = RootNaming.decide([("/a/html", "alpha")], pathsInRun: 1, recorded: recorded, sources: [:])
        #expect(d.names == ["/a/html": "alpha"])
        #expect(d.notes.first?.contains("now 'alpha'") == true)
    }

    @Test("an index made before names were recorded keeps the ids its files have")
    func inferred() {
        var record = SourceRecord(path: "/x/docs/p/a.html", size: 1, mtimeNanos: 1, contentHash: 1, format: .html, documentID: "p/a.html")
        var d = RootNaming.decide([("/x/docs", nil), ("/y", nil)], pathsInRun: 2, recorded: [:], sources: [record.path: record])
        #expect(d.names["/x/docs"] == "")
        #expect(d.names["/y"] == "y")
        record.documentID = "old/p/a.html"
        d = RootNaming.decide([("/x/docs", nil)], pathsInRun: 1, recorded: [:], sources: [record.path: record])
        #expect(d.names["/x/docs"] == "old")
    }

    @Test("NAME=PATH is read as a name only when the whole argument is not a path")
    func arguments() throws {
        #expect(SourcePath(argument: "django=/usr/share/doc") == SourcePath(path: "/usr/share/doc", name: "django"))
        #expect(SourcePath(argument: "a/b=c") == SourcePath(path: "a/b=c"))
        #expect(SourcePath(argument: "=c") == SourcePath(path: "=c"))
        let dir = try temporaryDirectory("name-arg")
        defer { try? FileSystem.removeTree(dir) }
        try writeFile(dir + "/x=y.html", "x")
        #expect(SourcePath(argument: dir + "/x=y.html").name == nil)
        #expect(SourcePath.problem(withName: "..") != nil && SourcePath.problem(withName: "ok") == nil)
    }
}
