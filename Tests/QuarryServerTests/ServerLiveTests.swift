import Foundation
import Quarry
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The server while other things happen: commits by other processes, deadlines, shutdown.
@Suite("quarry serve: commits, deadlines and shutdown")
struct ServerLiveTests {
    @Test("a commit by another process is served without a restart")
    func freshness() throws {
        let dir = try temporaryDirectory("fresh")
        try buildIndex(dir + "/index", sampleDocuments(20))
        let s = try ServerProcess(index: dir + "/index")
        let before = try s.get("/search?q=csrf")
        let generation = Int(before.header("Quarry-Generation") ?? "") ?? -1
        #expect(try before.json()["results"] as? [Any] != nil)
        let add = try runQuarry(
            ["index", "--index", dir + "/index", "--stdin", "-q"], stdin: beirLines([("fresh/1", "Kumquat", "A kumquat arrived.")]))
        #expect(add.status == 0)
        var seenGeneration = generation
        let visible = s.eventually(cap: 20) {
            guard let r = try? s.get("/search?q=kumquat"), let results = (try? r.json())?["results"] as? [[String: Any]] else {
                return false
            }
            seenGeneration = Int(r.header("Quarry-Generation") ?? "") ?? -1
            return results.first?["id"] as? String == "fresh/1"
        }
        #expect(visible)
        #expect(seenGeneration > generation)
        #expect((try s.get("/ready").json()["documents"] as? Int) == 21)
        #expect(s.terminate() == 0)
    }

    @Test("while another process commits again and again, every answer is one whole commit")
    func snapshots() throws {
        let dir = try temporaryDirectory("snap")
        // Five marker documents, rewritten together by every commit with a new epoch.
        func epoch(_ n: Int) -> [(id: String, title: String, text: String)] {
            (0..<5).map { ("marker/\($0)", "epoch \(n)", "markerword epoch\(n) document \($0)") }
        }
        try buildIndex(dir + "/index", sampleDocuments(40) + epoch(0))
        let s = try ServerProcess(index: dir + "/index")
        let commits = 8
        let done = Locked(false)
        let observed = Locked<[(generation: Int, epochs: Set<String>, count: Int, status: Int)]>([])
        let reader = Thread {
            while !done.withLock({ $0 }) {
                guard let r = try? s.get("/search?q=markerword&limit=10&snippets=0") else { continue }
                let results = ((try? r.json())?["results"] as? [[String: Any]]) ?? []
                let epochs = Set(results.compactMap { $0["title"] as? String })
                observed.withLock { $0.append((Int(r.header("Quarry-Generation") ?? "") ?? -1, epochs, results.count, r.status)) }
            }
        }
        reader.start()
        for n in 1...commits {
            let r = try runQuarry(["index", "--index", dir + "/index", "--stdin", "-q"], stdin: beirLines(epoch(n)))
            #expect(r.status == 0, "\(r.stderr)")
        }
        // Until the last commit is served (bounded), then stop reading.
        let last = s.eventually(cap: 20) { observed.withLock { $0.last?.epochs == ["epoch \(commits)"] } }
        done.withLock { $0 = true }
        while !reader.isFinished { usleep(1000) }
        #expect(last)
        let answers = observed.withLock { $0 }
        #expect(answers.count > 0)
        for a in answers {
            #expect(a.status == 200)
            #expect(a.count == 5, "a search saw \(a.count) marker documents")
            #expect(a.epochs.count == 1, "a search saw a mix of commits: \(a.epochs.sorted())")
        }
        // Generations never go backwards for one client.
        let generations = answers.map(\.generation)
        #expect(generations == generations.sorted())
        #expect(s.terminate() == 0)
    }

    @Test("a request past its deadline is 503 deadline_exceeded; the server goes on")
    func deadline() throws {
        let dir = try temporaryDirectory("deadline")
        try buildIndex(dir + "/index", sampleDocuments(1500))
        let s = try ServerProcess(index: dir + "/index", ["--timeout-ms", "1"])
        // Passages over every document, with 50 prefix expansions: far more than 1 ms.
        let heavy = (0..<50).map { "w\($0)*" }.joined(separator: " ")
        let r = try s.get("/search?q=\(q(heavy))&mode=passages&limit=1000&max_expansions=1024")
        #expect(r.status == 503)
        #expect(r.errorCode == "deadline_exceeded")
        #expect(r.text.contains("deadline"))
        #expect(try s.get("/health").status == 200)
        // A wrong timeout_ms is a bad request, not a timeout.
        #expect(try s.get("/search?q=csrf&timeout_ms=0").status == 400)
        #expect(s.terminate() == 0)
    }

    @Test("SIGTERM under load: requests in flight are answered, the running write is committed, exit 0")
    func shutdown() throws {
        let dir = try temporaryDirectory("term")
        try buildIndex(dir + "/index", sampleDocuments(300))
        let token = "term-token-123"
        let s = try ServerProcess(index: dir + "/index", environment: ["QUARRY_TOKEN": token])
        // A write that waits, holding nothing, for a lock this test holds.
        let holder = try IndexWriter(directory: dir + "/index")
        let write = try s.post("/documents", json: #"[{"id": "last/1", "text": "Written during shutdown: wombat."}]"#, token: token)
        let task = try #require(try write.json()["id"] as? Int)
        #expect(s.eventually { (try? s.get("/tasks/\(task)", token: token).json()["status"] as? String) == "processing" })
        // Load: 8 clients, each up to 40 searches, until the server stops taking connections.
        let statuses = Locked<[Int]>([])
        let failures = Locked<[String]>([])
        let queries = ["csrf token", "grace period", "kernel", "zebra quartz", "w3 w7 paragraph", "\"second sentence\""]
        let clients = (0..<8).map { c in
            Thread {
                for i in 0..<40 {
                    do {
                        let r = try s.get("/search?q=\(q(queries[(c + i) % queries.count]))&limit=5", token: token)
                        statuses.withLock { $0.append(r.status) }
                    } catch {
                        // Refused once the listener is closed, or a connection accepted as
                        // the server quiesced closed before its request was read (no byte
                        // answered: the request was not taken; clients retry those).
                        failures.withLock { $0.append("\(error)") }
                        return
                    }
                }
            }
        }
        clients.forEach { $0.start() }
        #expect(s.eventually(cap: 60) { statuses.withLock { $0.count } >= 40 })
        kill(s.process.processIdentifier, SIGTERM)
        holder.close()
        s.process.waitUntilExit()
        while clients.contains(where: { !$0.isFinished }) { usleep(1000) }
        #expect(s.process.terminationStatus == 0, "stderr: \(s.stderr)")
        let answered = statuses.withLock { $0 }
        #expect(answered.count >= 40)
        #expect(answered.allSatisfy { $0 == 200 }, "statuses: \(Set(answered))")
        for f in failures.withLock({ $0 }) {
            #expect(f.contains("connect to port") || f.contains("closed without a response"), "a request failed after it was taken: \(f)")
        }
        // The write that was running was committed, and the lock released.
        let searcher = try Searcher(directory: dir + "/index")
        #expect(try searcher.search("wombat").map(\.id) == ["last/1"])
        #expect(try runQuarry(["index", "--index", dir + "/index", "--stdin", "-q"], stdin: beirLines([("x", "x", "after")])).status == 0)
    }
}
