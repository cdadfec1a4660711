import Foundation
import Quarry
import Testing

private let token = "test-token-123"

/// A server with a token and an allowed directory, over its own index.
private func writableServer(_ name: String, _ extra: [String] = [], documents: Int = 12) throws -> (ServerProcess, String) {
    let dir = try temporaryDirectory(name)
    try buildIndex(dir + "/index", sampleDocuments(documents))
    try FileManager.default.createDirectory(atPath: dir + "/allowed/sub", withIntermediateDirectories: true)
    try Data("Alpaca wool sweaters keep you warm.".utf8).write(to: URL(fileURLWithPath: dir + "/allowed/sub/alpaca.txt"))
    try Data("Secret outside the allowed tree.".utf8).write(to: URL(fileURLWithPath: dir + "/outside.txt"))
    let server = try ServerProcess(index: dir + "/index", ["--allow-path", dir + "/allowed"] + extra, environment: ["QUARRY_TOKEN": token])
    return (server, dir)
}

private func taskID(_ r: HTTPResult) throws -> Int {
    try #require(try r.json()["id"] as? Int)
}

private func ids(_ s: ServerProcess, _ query: String, _ extra: String = "") throws -> [String] {
    let r = try s.get("/search?q=\(q(query))&limit=100\(extra)", token: token)
    return ((try r.json()["results"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
}

@Suite("quarry serve: tokens, writes and tasks")
struct ServerWriteTests {
    @Test("with a token, every route but /health needs it")
    func auth() throws {
        let (s, _) = try writableServer("auth")
        #expect(try s.get("/health").status == 200)
        for target in ["/search?q=csrf", "/stats", "/ready", "/metrics", "/documents/x", "/tasks", "/openapi.yaml", "/nope"] {
            let none = try s.get(target)
            #expect(none.status == 401, "\(target)")
            #expect(none.errorCode == "unauthorized")
            #expect(none.header("www-authenticate")?.hasPrefix("Bearer") == true)
            let wrong = try s.get(target, token: "wrong-token-123")
            #expect(wrong.status == 401)
        }
        let basic = try HTTP.request(port: s.port, "GET", "/stats", headers: ["Authorization": "Basic dXNlcjpwYXNz"])
        #expect(basic.status == 401)
        #expect(try s.get("/search?q=csrf", token: token).status == 200)
        let mcp = try HTTP.request(
            port: s.port, "POST", "/mcp", headers: ["Content-Type": "application/json", "Accept": "application/json"],
            body: Array(#"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#.utf8))
        #expect(mcp.status == 401)
        #expect(s.terminate() == 0)
    }

    @Test("started before its index exists: not ready (503) until the first write creates it")
    func notReady() throws {
        let dir = try temporaryDirectory("empty")
        let s = try ServerProcess(index: dir + "/index", environment: ["QUARRY_TOKEN": token])
        #expect(try s.get("/health").status == 200)
        let ready = try s.get("/ready", token: token)
        #expect(ready.status == 503)
        #expect(ready.errorCode == "not_ready")
        #expect(ready.text.contains("POST /documents"))
        #expect(try s.get("/search?q=x", token: token).status == 503)
        let r = try s.post("/documents", json: #"[{"id": "first", "text": "The very first document."}]"#, token: token)
        #expect(try s.waitForTask(try taskID(r), token: token)["status"] as? String == "succeeded")
        #expect(try s.get("/ready", token: token).status == 200)
        #expect(try ids(s, "first") == ["first"])
        #expect(s.terminate() == 0)
    }

    @Test("binding beyond loopback needs a token; a short token is refused")
    func exposure() throws {
        let open = try runQuarry(["serve", "--index", "/nonexistent", "--host", "0.0.0.0", "--port", "0"])
        #expect(open.status == 2)
        #expect(open.stderr.contains("--token"))
        let short = try runQuarry(["serve", "--index", "/nonexistent", "--port", "0", "--token", "abc"])
        #expect(short.status == 2)
    }

    @Test("POST /documents (array and JSON lines) adds and replaces; bad documents are reported, the rest added")
    func addDocuments() throws {
        let (s, _) = try writableServer("add")
        let r = try s.post(
            "/documents",
            json:
                #"[{"id": "new/1", "title": "Llama", "text": "Llamas hum softly."}, {"id": "", "text": "x"}, {"id": "new/2", "text": 5}, {"id": "new/3", "text": "Second llama note."}]"#,
            token: token)
        #expect(r.status == 202)
        #expect(r.header("location") == "/tasks/\(try taskID(r))")
        let queued = try r.json()
        #expect(queued["schema"] as? String == "quarry.task/1")
        #expect(queued["type"] as? String == "add_documents")
        let done = try s.waitForTask(try taskID(r), token: token)
        #expect(done["status"] as? String == "succeeded")
        let details = try #require(done["details"] as? [String: Any])
        #expect(details["added"] as? Int == 2)
        #expect(details["skipped"] as? Int == 2)
        let issues = try #require(done["issues"] as? [[String: Any]])
        #expect(issues.map { $0["input"] as? String } == ["documents[1]", "documents[2]"])
        // Succeeded means searchable now.
        #expect(try ids(s, "llama").sorted() == ["new/1", "new/3"])
        // JSON lines, BEIR style, replacing new/1 and with one broken line.
        let lines =
            "{\"_id\": \"new/1\", \"title\": \"Alpaca\", \"text\": \"Now about alpacas.\"}\n{broken\n{\"id\": \"new/4\", \"text\": \"Another llama.\"}\n"
        let r2 = try s.post("/documents", json: lines, token: token, contentType: "application/x-ndjson")
        let done2 = try s.waitForTask(try taskID(r2), token: token)
        let d2 = try #require(done2["details"] as? [String: Any])
        #expect(d2["updated"] as? Int == 1)
        #expect(d2["added"] as? Int == 1)
        #expect((done2["issues"] as? [[String: Any]])?.first?["input"] as? String == "line 2")
        #expect(try ids(s, "llama").sorted() == ["new/3", "new/4"])
        #expect(try ids(s, "alpaca") == ["new/1"])
        #expect(try s.get("/documents/new/1", token: token).json()["title"] as? String == "Alpaca")
        // Nothing usable, or not JSON at all.
        let empty = try s.post("/documents", json: "[]", token: token)
        #expect(empty.status == 400)
        #expect(empty.errorCode == "no_documents")
        let broken = try s.post("/documents", json: "[{\"id\": ", token: token)
        #expect(broken.status == 400)
        #expect(broken.errorCode == "bad_json")
        // The list of tasks, newest first.
        let list = try #require(try s.get("/tasks?limit=2", token: token).json()["tasks"] as? [[String: Any]])
        #expect(list.compactMap { $0["id"] as? Int } == [try taskID(r2), try taskID(r)])
        #expect(try s.get("/tasks/999", token: token).status == 404)
        #expect(try s.get("/tasks/abc", token: token).status == 400)
        #expect(s.terminate() == 0)
    }

    @Test("DELETE /documents/{id} removes it; an unknown id is reported as not found")
    func deleteDocument() throws {
        let (s, _) = try writableServer("delete")
        let victim = sampleDocuments(12)[0].id
        #expect(try s.get("/documents/\(victim)", token: token).status == 200)
        let r = try HTTP.request(port: s.port, "DELETE", "/documents/\(q(victim))", headers: ["Authorization": "Bearer \(token)"])
        #expect(r.status == 202)
        let done = try s.waitForTask(try taskID(r), token: token)
        #expect((done["details"] as? [String: Any])?["deleted"] as? Int == 1)
        #expect(try s.get("/documents/\(victim)", token: token).status == 404)
        let again = try HTTP.request(port: s.port, "DELETE", "/documents/\(q(victim))", headers: ["Authorization": "Bearer \(token)"])
        let done2 = try s.waitForTask(try taskID(again), token: token)
        #expect(done2["status"] as? String == "succeeded")
        #expect((done2["details"] as? [String: Any])?["not_found"] as? [String] == [victim])
        #expect(s.terminate() == 0)
    }

    @Test("POST /index reads only inside --allow-path")
    func indexPaths() throws {
        let (s, dir) = try writableServer("paths")
        let ok = try s.post("/index", json: "{\"paths\": [\"\(dir)/allowed/sub\"]}", token: token)
        #expect(ok.status == 202)
        let done = try s.waitForTask(try taskID(ok), token: token)
        #expect((done["details"] as? [String: Any])?["added"] as? Int == 1)
        #expect(try ids(s, "alpaca wool") == ["alpaca.txt"])
        for (path, status, code) in [
            ("\(dir)/outside.txt", 403, "path_not_allowed"), ("\(dir)/allowed/../outside.txt", 403, "path_not_allowed"),
            ("/etc", 403, "path_not_allowed"), ("\(dir)/allowed/missing", 400, "bad_request"),
            ("\(dir)/nowhere/x", 403, "path_not_allowed"), ("sub/../../outside.txt", 403, "path_not_allowed"),
        ] {
            let r = try s.post("/index", json: "{\"paths\": [\"\(path)\"]}", token: token)
            #expect(r.status == status, "\(path): \(r.text)")
            #expect(r.errorCode == code, "\(path)")
            #expect((try r.json()["error"] as? [String: Any])?["field"] as? String == "paths[0]")
        }
        // A symbolic link out of the allowed tree is resolved and refused.
        try FileManager.default.createSymbolicLink(atPath: dir + "/allowed/escape", withDestinationPath: dir)
        #expect(try s.post("/index", json: "{\"paths\": [\"\(dir)/allowed/escape\"]}", token: token).status == 403)
        #expect(try s.post("/index", json: "{\"paths\": []}", token: token).status == 400)
        #expect(try s.post("/index", json: "{\"paths\": [\"x\"], \"nope\": 1}", token: token).status == 400)
        #expect(s.terminate() == 0)
    }

    @Test("the writer lock: taken only while a task runs; a task waits for another writer, or fails after --lock-wait-s")
    func lock() throws {
        let (s, dir) = try writableServer("lock", ["--lock-wait-s", "1"])
        // Idle server: another process can write (what cron's quarry index does).
        let cron = try runQuarry(
            ["index", "--index", dir + "/index", "--stdin", "-q"],
            stdin: beirLines([("cron/1", "Cron", "Written by cron while the server idles.")]))
        #expect(cron.status == 0, "\(cron.stderr)")
        // Another writer holds the lock past the wait: the task fails with index_locked.
        let holder = try IndexWriter(directory: dir + "/index")
        let r = try s.post("/documents", json: #"[{"id": "late", "text": "Too late."}]"#, token: token)
        let failed = try s.waitForTask(try taskID(r), token: token)
        #expect(failed["status"] as? String == "failed")
        #expect((failed["error"] as? [String: Any])?["code"] as? String == "index_locked")
        // Held, then released while the task waits: it goes through.
        let r2 = try s.post("/documents", json: #"[{"id": "patient", "text": "Patient ocelot."}]"#, token: token)
        #expect(s.eventually { (try? s.get("/tasks/\(try taskID(r2))", token: token).json()["status"] as? String) == "processing" })
        holder.close()
        let done = try s.waitForTask(try taskID(r2), token: token)
        #expect(done["status"] as? String == "succeeded")
        #expect(try ids(s, "ocelot") == ["patient"])
        #expect(try ids(s, "cron") == ["cron/1"])
        #expect(s.terminate() == 0)
        // The lock was released at exit.
        #expect(
            try runQuarry(["index", "--index", dir + "/index", "--stdin", "-q"], stdin: beirLines([("after", "After", "After exit.")]))
                .status == 0)
    }
}
