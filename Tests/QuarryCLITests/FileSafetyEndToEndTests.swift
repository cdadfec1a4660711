import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension CLI {
    /// Runs quarry like `run`, but kills it if it has not exited after `seconds`: a guard
    /// against hangs (on a FIFO, say), far above any normal run; `nil` when it had to be killed.
    static func runGuarded(_ arguments: [String], seconds: Double = 60) throws -> Result? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(seconds)
        while p.isRunning && Date() < deadline { usleep(20_000) }
        if p.isRunning {
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            return nil
        }
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }
}

@Suite("reading what users point quarry at, end to end")
struct FileSafetyEndToEndTests {
    @Test("a missing root exits 1 naming it, and the index is not even created")
    func missingRoot() throws {
        let dir = try CLI.temporaryDirectory("missing-root")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write(dir + "/docs/a.html", "<p>heron</p>")
        let r = try CLI.run(["index", "--index", dir + "/idx", dir + "/docs", "/nonexistent/path"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("/nonexistent/path: cannot index: No such file or directory"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/idx"))
        // An existing index is left untouched.
        #expect(try CLI.run(["index", "--index", dir + "/idx", dir + "/docs"]).status == 0)
        let manifest = try Data(contentsOf: URL(fileURLWithPath: dir + "/idx/MANIFEST"))
        #expect(try CLI.run(["index", "--index", dir + "/idx", dir + "/gone"]).status == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/idx/MANIFEST")) == manifest)
        if geteuid() != 0 {
            try write(dir + "/locked/a.html", "<p>x</p>")
            chmod(dir + "/locked", 0)
            defer { chmod(dir + "/locked", 0o755) }
            let locked = try CLI.run(["index", "--index", dir + "/idx2", dir + "/locked"])
            #expect(locked.status == 1 && locked.stderr.contains("cannot list the directory"))
            #expect(!FileManager.default.fileExists(atPath: dir + "/idx2"))
        }
    }

    @Test("FIFOs and devices: refused on the command line, skipped in a walk, never waited on")
    func specialFiles() throws {
        let dir = try CLI.temporaryDirectory("special")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write(dir + "/docs/a.html", "<title>A</title><p>heron</p>")
        #expect(mkfifo(dir + "/pipe.html", 0o644) == 0)
        #expect(mkfifo(dir + "/docs/pipe.html", 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: dir + "/docs/zero.html", withDestinationPath: "/dev/zero")
        let named = try #require(try CLI.runGuarded(["index", "--index", dir + "/idx", dir + "/pipe.html"]), "quarry hung on a FIFO")
        #expect(named.status == 1)
        #expect(named.stderr.contains("pipe.html: cannot index: not a file or directory (a FIFO (named pipe))"), "\(named.stderr)")
        let zero = try #require(try CLI.runGuarded(["index", "--index", dir + "/idx", "/dev/zero"]), "quarry hung on /dev/zero")
        #expect(zero.status == 1 && zero.stderr.contains("character device"), "\(zero.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/idx"))
        let walked = try #require(try CLI.runGuarded(["index", "--index", dir + "/idx", dir + "/docs"]), "quarry hung walking a FIFO")
        #expect(walked.status == 0)
        #expect(walked.stdout.contains("1 added"), "\(walked.stdout)")
        #expect(walked.stdout.contains("left out: 2 FIFOs, devices or sockets"), "\(walked.stdout)")
        #expect(walked.stderr.contains("docs/pipe.html: not a regular file (a FIFO (named pipe)); skipped"))
        #expect(walked.stderr.contains("docs/zero.html: not a regular file (a character device); skipped"))
    }

    @Test("a MANIFEST that is a FIFO: search, stats and check fail at once instead of hanging")
    func manifestFIFO() throws {
        let dir = try CLI.temporaryDirectory("manifest-fifo")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write(dir + "/docs/a.html", "<p>heron</p>")
        #expect(try CLI.run(["index", "--index", dir + "/idx", dir + "/docs"]).status == 0)
        try FileManager.default.removeItem(atPath: dir + "/idx/MANIFEST")
        #expect(mkfifo(dir + "/idx/MANIFEST", 0o644) == 0)
        for command in [["search", "heron"], ["stats"], ["check"]] {
            let r = try #require(try CLI.runGuarded([command[0], "--index", dir + "/idx"] + command.dropFirst()), "\(command[0]) hung")
            #expect(r.status != 0)
            #expect(
                r.stderr.contains("MANIFEST") && r.stderr.contains("not a regular file") || r.stdout.contains("not a regular file"),
                "\(command[0]): \(r.stderr) \(r.stdout)")
        }
    }

    @Test("--queries and --stopwords /dev/zero are refused with a bound, not read until memory runs out")
    func endlessInputs() throws {
        guard FileManager.default.fileExists(atPath: "/dev/zero") else { return }
        let dir = try CLI.temporaryDirectory("endless")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write(dir + "/docs/a.html", "<p>heron</p>")
        #expect(try CLI.run(["index", "--index", dir + "/idx", dir + "/docs"]).status == 0)
        let q = try #require(try CLI.runGuarded(["search", "--index", dir + "/idx", "--queries", "/dev/zero", "--format", "trec"]))
        #expect(q.status == 2 && q.stderr.contains("/dev/zero: longer than 256 MB"), "\(q.stderr)")
        let s = try #require(try CLI.runGuarded(["index", "--index", dir + "/idx2", "--stopwords", "/dev/zero", dir + "/docs"]))
        #expect(s.status == 2 && s.stderr.contains("/dev/zero: longer than 256 MB"), "\(s.stderr)")
    }

    @Test("--max-file-mb bounds one-document files and JSON lines, not JSON Lines files")
    func sizeLimits() throws {
        let dir = try CLI.temporaryDirectory("limits")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write(dir + "/docs/big.txt", "Big\n\n" + String(repeating: "heron ", count: 400_000))
        try write(dir + "/docs/small.txt", "Small\n\nheron")
        // A 3 MB JSON Lines file of small lines, and one line of 1.5 MB.
        var lines = (0..<3000).map { #"{"_id": "d\#($0)", "text": "egret \#(String(repeating: "x", count: 1000))"}"# }
        lines.insert(#"{"_id": "huge", "text": "\#(String(repeating: "egret ", count: 250_000))"}"#, at: 7)
        try write(dir + "/docs/corpus.jsonl", lines.joined(separator: "\n") + "\n")
        let r = try CLI.run(["index", "--index", dir + "/idx", "--max-file-mb", "1", dir + "/docs"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("3,001 added"), "\(r.stdout)")
        #expect(
            r.stderr.contains("big.txt: cannot read: the file is 2.3 MB, over the limit of 1.0 MB (--max-file-mb); skipped"), "\(r.stderr)")
        #expect(r.stderr.contains("corpus.jsonl:8 (byte "), "\(r.stderr)")
        #expect(
            r.stderr.contains("the line is 1.4 MB, over the limit of 1.0 MB for one document (--max-file-mb); line skipped"), "\(r.stderr)")
        // The same from standard input, streamed in batches.
        let piped = try CLI.run(
            ["index", "--index", dir + "/stdin", "--stdin", "--max-file-mb", "1"], stdin: lines.joined(separator: "\n"))
        #expect(piped.status == 0 && piped.stdout.contains("3,000 added"), "\(piped.stdout)")
        #expect(piped.stderr.contains("<stdin>:8 (byte "), "\(piped.stderr)")
        // With the default limit, the big file and the long line are read (the JSON Lines
        // file is read again because lines were skipped).
        let again = try CLI.run(["index", "--index", dir + "/idx", dir + "/docs"])
        #expect(again.stdout.contains("2 added, 3,000 updated, 0 deleted, 1 unchanged, 0 skipped"), "\(again.stdout)")
        #expect(try CLI.run(["index", "--index", dir + "/idx", dir + "/docs"]).stdout.contains("3 unchanged"))
    }

    @Test("a file name that is not UTF-8 is indexed under an escaped id, and found unchanged on the next run")
    func nonUTF8Names() throws {
        let dir = try CLI.temporaryDirectory("latin1")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write(dir + "/docs/ok.html", "<title>OK</title><p>heron</p>")
        let name = Array((dir + "/docs/caf").utf8) + [0xE9] + Array(".html".utf8)
        func writeRaw(_ text: String) {
            let path = name.map { CChar(bitPattern: $0) } + [0]
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            _ = text.withCString { Glibc.write(fd, $0, strlen($0)) }
            close(fd)
        }
        writeRaw("<title>Café</title><p>heron latin one</p>")
        var r = try CLI.run(["index", "--index", dir + "/idx", dir + "/docs"])
        #expect(r.status == 0 && r.stdout.contains("2 added, 0 updated, 0 deleted, 0 unchanged, 0 skipped"), "\(r.stdout) \(r.stderr)")
        let hits =
            try CLI.json(try CLI.run(["search", "--index", dir + "/idx", "--json", "latin"]).stdout)["results"] as? [[String: Any]] ?? []
        #expect(hits.first?["id"] as? String == "caf\\xE9.html")
        r = try CLI.run(["index", "--index", dir + "/idx", dir + "/docs"])
        #expect(r.stdout.contains("0 added, 0 updated, 0 deleted, 2 unchanged"), "\(r.stdout)")
        writeRaw("<title>Café</title><p>heron latin two changed</p>")
        r = try CLI.run(["index", "--index", dir + "/idx", dir + "/docs"])
        #expect(r.stdout.contains("0 added, 1 updated, 0 deleted, 1 unchanged"), "\(r.stdout)")
        #expect(try CLI.run(["show", "--index", dir + "/idx", "caf\\xE9.html"]).stdout.contains("changed"))
        unlink(name.map { CChar(bitPattern: $0) } + [0])
        r = try CLI.run(["index", "--index", dir + "/idx", dir + "/docs"])
        #expect(r.stdout.contains("1 deleted"), "\(r.stdout)")
    }
}
