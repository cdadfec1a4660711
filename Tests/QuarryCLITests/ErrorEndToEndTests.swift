import Foundation
import Testing

@Suite("quarry errors and exit codes")
struct ErrorEndToEndTests {
    @Test("a missing index is exit 3 with a message that says what to do")
    func missingIndex() throws {
        let r = try CLI.run(["search", "--index", "/nonexistent/quarry-index", "anything"])
        #expect(r.status == 3)
        #expect(r.stderr.contains("no index at /nonexistent/quarry-index"))
        #expect(r.stderr.contains("quarry index"))
        #expect(r.stdout.isEmpty)
    }

    @Test("usage errors are exit 2")
    func usage() throws {
        #expect(try CLI.run(["search"]).status == 2)
        #expect(try CLI.run(["search", "--limit", "x", "q"]).status == 2)
        #expect(try CLI.run(["frobnicate"]).status == 2)
        let help = try CLI.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("Exit codes"))
    }

    @Test("broken HTML and JSON lines are reported with file and line and skipped; the rest is indexed")
    func brokenInputs() throws {
        let dir = try CLI.temporaryDirectory("broken")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write(dir + "/in/good.html", "<html><head><title>Good page</title></head><body><p>kestrel falcon</p></body></html>")
        try write(dir + "/in/tagsoup.html", "<p>unclosed <b>bold <table><td>kestrel cell<td>two</p></b><<<>>> &bogus; \u{0}")
        try write(dir + "/in/binary.html", bytes: (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919) })
        try write(
            dir + "/in/docs.jsonl",
            #"{"_id": "j1", "title": "One", "text": "kestrel in json"}"# + "\n"
                + #"{"_id": "j2", "title": broken}"# + "\n"
                + #"{"_id": "j3", "text": "third kestrel"}"# + "\n")
        try FileManager.default.createSymbolicLink(atPath: dir + "/in/dangling.html", withDestinationPath: dir + "/nowhere.html")
        let r = try CLI.run(["index", "--index", dir + "/idx", dir + "/in"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("docs.jsonl:2"), "\(r.stderr)")
        #expect(r.stderr.contains("dangling.html"), "\(r.stderr)")
        let search = try CLI.run(["search", "--index", dir + "/idx", "--json", "--limit", "10", "kestrel"])
        let ids = Set((try CLI.json(search.stdout)["results"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
        #expect(ids == ["good.html", "tagsoup.html", "j1", "j3"])
    }

    @Test("a second writer is refused with the pid of the first")
    func lockHeld() throws {
        let dir = try CLI.temporaryDirectory("lock")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A process that holds the lock: the test itself, through flock on the lock file.
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let fd = open(dir + "/LOCK", O_RDWR | O_CREAT, 0o644)
        #expect(fd >= 0)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { write(fd, $0, strlen($0)) }
        let r = try CLI.run(["index", "--index", dir, CLI.corpus])
        #expect(r.status == 4)
        #expect(r.stderr.contains("locked by pid \(getpid())"), "\(r.stderr)")
    }
}

@Suite("search --timeout")
struct TimeoutEndToEndTests {
    @Test("a search whose --timeout has passed exits 6 with a message and prints no results")
    func timedOut() throws {
        let dir = try CLI.temporaryDirectory("timeout")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try CLI.run(["index", "--index", dir + "/idx", CLI.corpus]).status == 0)
        // One nanosecond: gone before the search first reads the clock.
        let late = try CLI.run(["search", "--index", dir + "/idx", "--timeout", "0.000000001", "norepinephrine"])
        #expect(late.status == 6, "\(late.stderr)")
        #expect(late.stderr.contains("deadline"))
        #expect(late.stdout.isEmpty)
        let fine = try CLI.run(["search", "--index", dir + "/idx", "--timeout", "600", "norepinephrine"])
        #expect(fine.status == 0)
        #expect(fine.stdout.contains("norepinephrine"))
    }
}
