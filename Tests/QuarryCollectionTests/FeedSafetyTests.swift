import QuarryCore
import QuarryDocument
import QuarryIngest
import Testing

@testable import QuarryCollection

#if canImport(Glibc)
import Glibc
#endif

@Suite("Reading sources safely")
struct FeedSafetyTests {
    @Test("a file swapped for a FIFO after the walk is refused when read, without blocking")
    func swappedForFIFO() throws {
        let dir = try temporaryDirectory("swap")
        defer { try? FileSystem.removeTree(dir) }
        try writeFile(dir + "/page.html", "<title>T</title><p>heron</p>")
        let walk = SourceWalker(format: .auto).walk([dir])
        let source = try #require(walk.sources.first)
        try FileSystem.remove(dir + "/page.html")
        #expect(mkfifo(dir + "/page.html", 0o644) == 0)
        let input = SourceInput(
            path: source.absolutePath, file: source.file, displayPath: source.path, id: source.relativeID,
            format: .html, size: Int(source.size), previousHash: nil, lines: nil)
        let feed = SourceFeed(inputs: [input], items: [.file(input: 0)])
        var emitted = 0
        _ = try feed.produce(item: 0) { _, _ in emitted += 1 }
        #expect(emitted == 0)
        #expect(feed.outcomes[0]?.failed == true)
        #expect(feed.issues.map(\.message) == ["cannot read: not a regular file (a FIFO (named pipe)); skipped"])
    }

    @Test("a one-document file over the limit is reported with the option to raise it, not read")
    func oversizedFile() throws {
        let dir = try temporaryDirectory("oversized")
        defer { try? FileSystem.removeTree(dir) }
        try writeFile(dir + "/big.txt", String(repeating: "heron ", count: 400_000))
        let source = try #require(SourceWalker(format: .auto).walk([dir]).sources.first)
        let input = SourceInput(
            path: source.absolutePath, file: source.file, displayPath: source.path, id: source.relativeID,
            format: .text, size: Int(source.size), previousHash: nil, lines: nil)
        let feed = SourceFeed(inputs: [input], items: [.file(input: 0)], options: FeedOptions(maxDocumentBytes: 1 << 20))
        _ = try feed.produce(item: 0) { _, _ in }
        #expect(feed.issues.first?.message == "cannot read: the file is 2.3 MB, over the limit of 1.0 MB (--max-file-mb); skipped")
    }

    @Test("a JSON Lines scan cuts chunks of whole lines and sets lines over the limit apart with their numbers")
    func scan() throws {
        let dir = try temporaryDirectory("scan")
        defer { try? FileSystem.removeTree(dir) }
        let lines = ["short one", String(repeating: "x", count: 50), "short two", "short three", String(repeating: "y", count: 60)]
        let text = lines.joined(separator: "\n")  // no newline at the end
        try writeFile(dir + "/c.jsonl", text)
        let file = try LineFile(file: RawPath(dir + "/c.jsonl"), name: "c.jsonl")
        let scan = try file.scan(chunkBytes: 15, maxLineBytes: 40)
        #expect(scan.hash == XXH64.hash(Array(text.utf8)))
        #expect(scan.oversized.map(\.line) == [2, 5])
        let bytes = Array(text.utf8)
        for o in scan.oversized { #expect(o.range.count > 40) }
        let kept = scan.chunks.map { String(decoding: bytes[$0], as: UTF8.self) }
        #expect(kept == ["short one\n", "short two\nshort three\n"])
        // Every byte is in exactly one chunk or oversized line.
        let covered = (scan.chunks + scan.oversized.map(\.range)).reduce(0) { $0 + $1.count }
        #expect(covered == bytes.count)
        // The same scan over bytes in memory (a batch of standard input).
        let memory = try LineFile(bytes: bytes).scan(chunkBytes: 15, maxLineBytes: 40)
        #expect(memory.chunks == scan.chunks && memory.oversized.map(\.line) == [2, 5] && memory.hash == scan.hash)
    }

    @Test("JSON lines whose ids were deleted are left out and counted")
    func excludedIDs() throws {
        let text = #"{"_id": "a", "text": "one"}"# + "\n" + #"{"_id": "b", "text": "two"}"# + "\n"
        let file = LineFile(bytes: Array(text.utf8))
        let input = SourceInput(
            path: "-", file: nil, displayPath: "<stdin>", id: "", format: .beir, size: text.utf8.count,
            previousHash: nil, lines: file, excludedIDs: ["a"])
        let feed = SourceFeed(inputs: [input], items: [.lines(input: 0, range: 0..<text.utf8.count)])
        var ids: [String] = []
        _ = try feed.produce(item: 0) { article, _ in ids.append(article.id) }
        #expect(ids == ["b"])
        #expect(feed.outcomes[0]?.excludedLines == 1)
    }
}
