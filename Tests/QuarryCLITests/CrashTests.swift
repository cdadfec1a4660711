import Foundation
import Testing

/// A corpus on disk whose expected index content is known: every document has the marker
/// word, and its title says which version of it this is.
struct CrashCorpus {
    let dir: String
    var rng: SystemRandomNumberGenerator = SystemRandomNumberGenerator()
    /// id → title, as the sources are now.
    private(set) var expected: [String: String] = [:]
    private var version = 0
    static let words = ["alpha", "beta", "gamma", "delta", "kernel", "memory", "barrier", "signal", "queue", "lock", "page", "cache"]

    init(dir: String) {
        self.dir = dir
    }

    func text(_ n: Int, _ rng: inout SystemRandomNumberGenerator) -> String {
        (0..<n).map { _ in CrashCorpus.words.randomElement(using: &rng) ?? "x" }.joined(separator: " ")
    }

    /// Writes JSON Lines files and HTML pages, or changes some of them.
    mutating func mutate(files: Int = 6, linesPerFile: Int = 120) throws {
        version += 1
        let v = version
        for f in 0..<files where v == 1 || Int.random(in: 0..<3, using: &rng) == 0 {
            var lines = ""
            for i in 0..<linesPerFile {
                let id = "f\(f)-\(i)"
                let title = "v\(v) \(id)"
                lines += #"{"_id": "\#(id)", "title": "\#(title)", "text": "quarrymarker \#(text(40, &rng)). \#(text(30, &rng))."}"# + "\n"
                expected[id] = title
            }
            try write(dir + "/src/part\(f).jsonl", lines)
        }
        for p in 0..<20 where v == 1 || Int.random(in: 0..<4, using: &rng) == 0 {
            let id = "page\(p).html"
            if v > 1 && Int.random(in: 0..<3, using: &rng) == 0 {
                try? FileManager.default.removeItem(atPath: dir + "/src/" + id)
                expected[id] = nil
                continue
            }
            let title = "v\(v) \(id)"
            try write(
                dir + "/src/" + id,
                "<html><head><title>\(title)</title></head><body><h1>\(text(3, &rng))</h1><p>quarrymarker \(text(80, &rng)).</p><table><tr><td>\(text(5, &rng))</td></tr></table></body></html>"
            )
            expected[id] = title
        }
    }

    var index: String { dir + "/idx" }

    /// id → title of every live document of the index.
    func indexed() throws -> [String: String] {
        let r = try CLI.run(["search", "--index", index, "--json", "--limit", "100000", "--snippets", "0", "quarrymarker"])
        guard r.status == 0 else { throw CLIError(message: "search failed (\(r.status)): \(r.stderr)") }
        var result: [String: String] = [:]
        for hit in (try CLI.json(r.stdout)["results"] as? [[String: Any]]) ?? [] {
            if let id = hit["id"] as? String, let title = hit["title"] as? String { result[id] = title }
        }
        return result
    }

    /// Files in the index directory that the current commit does not name.
    func orphans() throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: index)
        return names.filter { $0.hasSuffix(".tmp") }
    }
}

struct CLIError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Runs quarry and kills it with SIGKILL after `delay` seconds (if still running).
func runAndKill(_ arguments: [String], after delay: Double, environment: [String: String] = [:]) throws -> Int32 {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: CLI.binary)
    p.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    p.environment = env
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    if delay >= 0 {
        usleep(UInt32(delay * 1_000_000))
        kill(p.processIdentifier, SIGKILL)
    }
    p.waitUntilExit()
    return p.terminationStatus
}

@Suite("crash safety", .serialized)
struct CrashTests {
    static let points = [
        "segment-flushed", "commit-deletions-written", "commit-sources-written", "manifest-tmp-written", "manifest-renamed",
    ]

    @Test("kill -9 at each named point of a commit leaves the previous (or, once renamed, the new) commit", arguments: points)
    func namedPoint(_ point: String) throws {
        let dir = try CLI.temporaryDirectory("crash-\(point)")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var corpus = CrashCorpus(dir: dir)
        try corpus.mutate()
        #expect(try CLI.run(["index", "--index", corpus.index, dir + "/src"]).status == 0)
        let before = corpus.expected
        #expect(try corpus.indexed() == before)
        try corpus.mutate()
        let status = try runAndKill(
            ["index", "--index", corpus.index, "--ram-mb", "8", dir + "/src"], after: -1, environment: ["QUARRY_CRASH_AT": point])
        #expect(status == SIGKILL, "the process was to die at \(point), exit status \(status)")
        let check = try CLI.run(["check", "--index", corpus.index])
        #expect(check.status == 0, "\(point): \(check.stdout) \(check.stderr)")
        let after = try corpus.indexed()
        if point == "manifest-renamed" {
            #expect(after == corpus.expected, "\(point): the new commit was published")
        } else {
            #expect(after == before, "\(point): the previous commit must stand")
        }
        // The next writer takes the lock over, cleans up and finishes the job.
        let next = try CLI.run(["index", "--index", corpus.index, dir + "/src"])
        #expect(next.status == 0)
        #expect(next.stderr.contains("took over the lock"), "\(next.stderr)")
        #expect(try corpus.indexed() == corpus.expected)
        #expect(try CLI.run(["check", "--index", corpus.index]).status == 0)
        #expect(try corpus.orphans().isEmpty)
    }

    @Test("kill -9 while merging leaves the commit before the merge")
    func merging() throws {
        let dir = try CLI.temporaryDirectory("crash-merge")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var corpus = CrashCorpus(dir: dir)
        try corpus.mutate()
        #expect(try CLI.run(["index", "--index", corpus.index, dir + "/src"]).status == 0)
        try corpus.mutate()
        #expect(try CLI.run(["index", "--index", corpus.index, dir + "/src"]).status == 0)
        let status = try runAndKill(
            ["merge", "--index", corpus.index], after: -1, environment: ["QUARRY_CRASH_AT": "merge-before-manifest"])
        #expect(status == SIGKILL)
        #expect(try CLI.run(["check", "--index", corpus.index]).status == 0)
        #expect(try corpus.indexed() == corpus.expected)
        #expect(try CLI.run(["merge", "--index", corpus.index]).status == 0)
        #expect(try corpus.indexed() == corpus.expected)
    }

    /// QUARRY_CRASH_RUNS sets the number of kills (default 20).
    @Test("kill -9 at random moments of indexing: the index always opens, checks and holds one commit")
    func randomKills() throws {
        let runs = Int(ProcessInfo.processInfo.environment["QUARRY_CRASH_RUNS"] ?? "") ?? 20
        let dir = try CLI.temporaryDirectory("crash-random")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var corpus = CrashCorpus(dir: dir)
        var rng = SystemRandomNumberGenerator()
        try corpus.mutate(files: 8, linesPerFile: 200)
        // How long a full run takes here: kills land within that window.
        let started = Date()
        #expect(try CLI.run(["index", "--index", corpus.index, "--ram-mb", "8", dir + "/src"]).status == 0)
        let duration = max(0.05, Date().timeIntervalSince(started))
        var current = corpus.expected
        var killed = 0, completed = 0
        while killed < runs && killed + completed < 3 * runs {
            try corpus.mutate(files: 8, linesPerFile: 200)
            let delay = Double.random(in: 0..<duration, using: &rng)
            let status = try runAndKill(["index", "--index", corpus.index, "--ram-mb", "8", dir + "/src"], after: delay)
            if status == SIGKILL { killed += 1 } else { completed += 1 }
            let check = try CLI.run(["check", "--index", corpus.index])
            #expect(check.status == 0, "after a kill at \(delay) s: \(check.stdout)")
            let now = try corpus.indexed()
            #expect(
                now == current || now == corpus.expected, "after a kill at \(delay) s the index holds neither the old nor the new commit")
            current = now
        }
        print("random kills: \(killed) processes killed, \(completed) finished before their kill; each left a valid index")
        #expect(killed >= runs)
        // Finishing the last job gives the sources' state.
        #expect(try CLI.run(["index", "--index", corpus.index, dir + "/src"]).status == 0)
        #expect(try corpus.indexed() == corpus.expected)
    }
}
