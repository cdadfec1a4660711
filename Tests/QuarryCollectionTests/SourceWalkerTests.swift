import QuarryCore
import QuarryDocument
import QuarryIngest
import Testing

@testable import QuarryCollection

@Suite("Source walking")
struct SourceWalkerTests {
    @Test("walks directories in name order with ids relative to the root; skips hidden and unknown files")
    func walk() throws {
        let dir = try temporaryDirectory("walk")
        defer { try? FileSystem.removeTree(dir) }
        try writeFile(dir + "/b.html", "<p>b</p>")
        try writeFile(dir + "/a/z.txt", "z")
        try writeFile(dir + "/a/y.MD", "y")
        try writeFile(dir + "/.hidden/x.html", "x")
        try writeFile(dir + "/image.png", "png")
        try writeFile(dir + "/c.jsonl", "{}")
        let w = SourceWalker(format: .auto).walk([dir])
        #expect(w.sources.map(\.relativeID) == ["a/y.MD", "a/z.txt", "b.html", "c.jsonl"])
        #expect(w.sources.map(\.format) == [.text, .text, .html, .beir])
        #expect(w.roots == [absolutePath(dir)])
        let html = SourceWalker(format: .html).walk([dir])
        #expect(html.sources.map(\.relativeID) == ["b.html"])
    }

    @Test("a file named directly is taken whatever its extension; a missing path is an issue")
    func files() throws {
        let dir = try temporaryDirectory("files")
        defer { try? FileSystem.removeTree(dir) }
        try writeFile(dir + "/notes.log", "text")
        let w = SourceWalker(format: .auto).walk([dir + "/notes.log", dir + "/missing.html"])
        #expect(w.sources.map(\.relativeID) == ["notes.log"])
        #expect(w.sources.first?.format == .text)
        #expect(w.issues.count == 1)
        #expect(w.issues.first?.path.hasSuffix("missing.html") == true)
    }

    @Test("absolute paths are normalised")
    func normalise() {
        #expect(absolutePath("/a/./b/../c/") == "/a/c")
        #expect(absolutePath("x").hasPrefix("/"))
    }
}
