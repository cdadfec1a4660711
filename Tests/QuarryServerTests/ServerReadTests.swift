import Foundation
import Testing

/// One server over a small index for the read-only tests of this file (started once).
enum ReadFixture {
    static let documents = sampleDocuments(90)
    static let setup: Result<(ServerProcess, String), any Error> = Result {
        let dir = try temporaryDirectory("read")
        try buildIndex(dir + "/index", documents)
        return (try ServerProcess(index: dir + "/index", ["--max-body-mb", "1"]), dir)
    }
    static func server() throws -> ServerProcess { try setup.get().0 }
}

@Suite("quarry serve: the read API")
struct ServerReadTests {
    @Test("health, ready, stats and metrics answer; metrics count requests per route")
    func serviceRoutes() throws {
        let s = try ReadFixture.server()
        let health = try s.get("/health")
        #expect(health.status == 200)
        #expect(try health.json()["status"] as? String == "ok")
        let ready = try s.get("/ready").json()
        #expect(ready["status"] as? String == "ready")
        #expect(ready["documents"] as? Int == 90)
        let stats = try s.get("/stats")
        #expect(stats.status == 200)
        let st = try stats.json()
        #expect(st["schema"] as? String == "quarry.stats/1")
        #expect(st["documents"] as? Int == 90)
        #expect(stats.header("Quarry-Generation") == String(st["generation"] as? Int ?? -1))
        _ = try s.get("/search?q=csrf")
        let metrics = try s.get("/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.header("content-type")?.hasPrefix("text/plain") == true)
        #expect(metrics.text.contains("quarry_http_requests_total{route=\"/search\",method=\"GET\",status=\"200\"}"))
        #expect(metrics.text.contains("quarry_http_request_duration_seconds_bucket{route=\"/search\""))
        #expect(metrics.text.contains("quarry_index_documents 90"))
        #expect(metrics.text.contains("quarry_index_generation "))
    }

    @Test("/openapi.yaml is docs/openapi.yaml")
    func openAPI() throws {
        let s = try ReadFixture.server()
        let served = try s.get("/openapi.yaml")
        #expect(served.status == 200)
        let file = try String(contentsOfFile: Build.packageRoot + "/docs/openapi.yaml", encoding: .utf8)
        #expect(served.text == file)
    }

    @Test("GET and POST /search give the same results; JSON is quarry.search/1")
    func search() throws {
        let s = try ReadFixture.server()
        let get = try s.get("/search?q=\(q("csrf token"))&limit=5&snippets=1")
        #expect(get.status == 200)
        let g = try get.json()
        #expect(g["schema"] as? String == "quarry.search/1")
        #expect(g["mode"] as? String == "documents")
        let results = try #require(g["results"] as? [[String: Any]])
        #expect(results.count == 5)
        #expect(results.map { $0["rank"] as? Int } == [1, 2, 3, 4, 5])
        #expect(get.header("Quarry-Generation") != nil)
        let post = try s.post("/search", json: #"{"q": "csrf token", "limit": 5, "snippets": 1}"#).json()
        #expect((post["results"] as? [[String: Any]])?.map { $0["id"] as? String } == results.map { $0["id"] as? String })
        let form = try s.post("/search", json: "q=csrf+token&limit=5&snippets=1", contentType: "application/x-www-form-urlencoded").json()
        #expect((form["results"] as? [[String: Any]])?.map { $0["id"] as? String } == results.map { $0["id"] as? String })
        // Explanations add up to the score.
        let explained = try s.get("/search?q=csrf&limit=1&explain=true").json()
        let first = try #require((explained["results"] as? [[String: Any]])?.first)
        let e = try #require(first["explanation"] as? [String: Any])
        let parts = try #require(e["parts"] as? [[String: Any]])
        #expect(abs(parts.reduce(0) { $0 + ($1["score"] as? Double ?? 0) } - (first["score"] as? Double ?? -1)) < 1e-6)
    }

    @Test(
        "the server ranks as quarry search does with the same options",
        arguments: [
            ("", [String]()), ("&scoring=flat", ["--scoring", "flat"]),
            ("&scoring=fields&title_weight=2", ["--scoring", "fields", "--title-weight", "2"]),
            ("&k1=1.2&b=0.75&scoring=flat", ["--k1", "1.2", "--b", "0.75", "--scoring", "flat"]),
            ("&title_b=0.5&body_b=0.3", ["--title-b", "0.5", "--body-b", "0.3"]),
            ("&all=true", ["--all"]), ("&syntax=words", ["--syntax", "words"]), ("&mode=passages", ["--passages"]),
        ])
    func sameAsCLI(params: String, options: [String]) throws {
        let s = try ReadFixture.server()
        let text = options == ["--all"] ? "csrf token paragraph" : "csrf token \"grace period\" w7"
        let served = try #require(try s.get("/search?q=\(q(text))&limit=15\(params)").json()["results"] as? [[String: Any]])
        let dir = try ReadFixture.setup.get().1
        let cli = try runQuarry(["search", "--index", dir + "/index", "--json", "--limit", "15"] + options + ["--", text])
        #expect(cli.status == 0, "\(cli.stderr)")
        let local = try #require(
            (try JSONSerialization.jsonObject(with: Data(cli.stdout.utf8)) as? [String: Any])?["results"] as? [[String: Any]])
        #expect(!served.isEmpty)
        #expect(served.map { $0["id"] as? String } == local.map { $0["id"] as? String }, "\(params)")
        #expect(served.map { $0["score"] as? Double } == local.map { $0["score"] as? Double }, "\(params)")
    }

    @Test("offset paging is exact: page 2 of 10 is results 11–20 of a limit-20 search", arguments: ["documents", "passages"])
    func paging(mode: String) throws {
        let s = try ReadFixture.server()
        let all = try #require(
            try s.get("/search?q=\(q("paragraph w3 w17 csrf"))&limit=20&mode=\(mode)").json()["results"] as? [[String: Any]])
        #expect(all.count == 20)
        let page2 = try #require(
            try s.get("/search?q=\(q("paragraph w3 w17 csrf"))&limit=10&offset=10&mode=\(mode)").json()["results"] as? [[String: Any]])
        func key(_ r: [String: Any]) -> String { "\(r["id"] ?? "")#\((r["passage"] as? [String: Any])?["index"] ?? "")" }
        #expect(page2.map(key) == all.dropFirst(10).map(key))
        #expect(page2.map { $0["rank"] as? Int } == Array(11...20))
        let beyond = try #require(try s.get("/search?q=csrf&limit=10&offset=5000&mode=\(mode)").json()["results"] as? [[String: Any]])
        #expect(beyond.isEmpty)
    }

    @Test("under= keeps the documents of one folder, exactly the matching ones")
    func under() throws {
        let s = try ReadFixture.server()
        let r = try #require(try s.get("/search?q=csrf&limit=100&under=\(q("docs/api/"))").json()["results"] as? [[String: Any]])
        let ids = r.compactMap { $0["id"] as? String }
        let expected = ReadFixture.documents.filter { $0.id.hasPrefix("docs/api/") && $0.text.contains("csrf") }.map(\.id)
        #expect(Set(ids) == Set(expected))
        #expect(!ids.isEmpty)
        let none = try #require(try s.get("/search?q=csrf&under=nowhere/").json()["results"] as? [[String: Any]])
        #expect(none.isEmpty)
    }

    @Test("passages and cropped snippets point exactly into the stored text")
    func offsets() throws {
        let s = try ReadFixture.server()
        let hits = try #require(try s.get("/search?q=\(q("café zebra"))&mode=passages&limit=5").json()["results"] as? [[String: Any]])
        #expect(!hits.isEmpty)
        for h in hits {
            let id = try #require(h["id"] as? String)
            let doc = try s.get("/documents/\(q(id))")
            #expect(doc.status == 200)
            let d = try doc.json()
            #expect(d["schema"] as? String == "quarry.document/1")
            let body = Array((d["body"] as? String ?? "").utf8)
            let p = try #require(h["passage"] as? [String: Any])
            let start = try #require(p["start"] as? Int), end = try #require(p["end"] as? Int)
            #expect(String(decoding: body[start..<end], as: UTF8.self) == p["text"] as? String)
            for hl in (p["highlights"] as? [[String: Any]]) ?? [] {
                let word = String(decoding: body[(hl["start"] as? Int ?? 0)..<(hl["end"] as? Int ?? 0)], as: UTF8.self).lowercased()
                #expect(word.hasPrefix("caf") || word.hasPrefix("zebra"))
            }
        }
        // Document results: snippets cropped to 4 words, with their range.
        let docs = try #require(try s.get("/search?q=zebra&limit=3&snippet_words=4").json()["results"] as? [[String: Any]])
        for r in docs {
            let body = Array(((try s.get("/documents/\(q(r["id"] as? String ?? ""))").json())["body"] as? String ?? "").utf8)
            for p in (r["passages"] as? [[String: Any]]) ?? [] {
                let snippet = try #require(p["snippet"] as? [String: Any])
                let a = try #require(snippet["start"] as? Int), b = try #require(snippet["end"] as? Int)
                #expect(a >= p["start"] as? Int ?? .max && b <= p["end"] as? Int ?? -1)
                let inner = String(decoding: body[a..<b], as: UTF8.self)
                #expect(inner.split(separator: " ").count <= 4)
                #expect((snippet["text"] as? String)?.contains(inner) == true)
            }
        }
        let whole = try #require(try s.get("/search?q=zebra&limit=1&snippet_words=0").json()["results"] as? [[String: Any]])
        #expect(((whole.first?["passages"] as? [[String: Any]])?.first?["snippet"]) == nil)
    }

    @Test("a document id with slashes, encoded or not; an unknown id is 404")
    func documents() throws {
        let s = try ReadFixture.server()
        let id = ReadFixture.documents[3].id
        #expect(try s.get("/documents/\(id)").json()["id"] as? String == id)
        #expect(try s.get("/documents/\(q(id))").json()["id"] as? String == id)
        let missing = try s.get("/documents/no-such-doc")
        #expect(missing.status == 404)
        #expect(missing.errorCode == "unknown_document")
    }

    @Test(
        "bad requests say which field was wrong",
        arguments: [
            ("/search", 400, "q"), ("/search?q=", 400, "q"), ("/search?q=x&limit=0", 400, "limit"), ("/search?q=x&limit=abc", 400, "limit"),
            ("/search?q=x&limit=1001", 400, "limit"), ("/search?q=x&offset=-1", 400, "offset"), ("/search?q=x&mode=both", 400, "mode"),
            ("/search?q=x&b=2", 400, "b"), ("/search?q=x&explain=maybe", 400, "explain"), ("/search?q=x&limt=5", 400, "limt"),
            ("/search?q=x&snippets=9", 400, "snippets"), ("/search?q=x&q%ZZ=1", 400, ""),
        ])
    func badRequests(target: String, status: Int, field: String) throws {
        let r = try ReadFixture.server().get(target)
        #expect(r.status == status, "\(target): \(r.text)")
        #expect(r.errorCode == "bad_request")
        let error = try #require(try r.json()["error"] as? [String: Any])
        if !field.isEmpty { #expect(error["field"] as? String == field, "\(target): \(r.text)") }
        #expect((error["message"] as? String)?.isEmpty == false)
    }

    @Test("a malformed query is 422 with its column")
    func malformedQuery() throws {
        let r = try ReadFixture.server().get("/search?q=\(q("kernel \"grace period"))")
        #expect(r.status == 422)
        let e = try #require(try r.json()["error"] as? [String: Any])
        #expect(e["code"] as? String == "invalid_query")
        #expect(e["column"] as? Int == 8)
        #expect((e["message"] as? String)?.contains("unclosed quote") == true)
    }

    @Test("a query longer than the cap is refused")
    func longQuery() throws {
        let r = try ReadFixture.server().get("/search?q=\(String(repeating: "a", count: 5000))")
        #expect(r.status == 400)
        #expect(r.text.contains("4096"))
    }

    @Test("bad JSON bodies, wrong types and unknown keys are 400")
    func badJSON() throws {
        let s = try ReadFixture.server()
        for (body, code) in [
            ("{\"q\": ", "bad_json"), ("[1,2]", "bad_json"), ("{\"q\": 5}", "bad_request"),
            ("{\"q\": \"x\", \"limit\": \"5\"}", "bad_request"),
            ("{\"q\": \"x\", \"limit\": 2.5}", "bad_request"), ("{\"q\": \"x\", \"explain\": 1}", "bad_request"),
            ("{\"q\": \"x\", \"extra\": 1}", "bad_request"),
        ] {
            let r = try s.post("/search", json: body)
            #expect(r.status == 400, "\(body): \(r.text)")
            #expect(r.errorCode == code, "\(body): \(r.text)")
        }
    }

    @Test("unknown routes are 404, wrong methods 405 with Allow")
    func routes() throws {
        let s = try ReadFixture.server()
        let missing = try s.get("/nope")
        #expect(missing.status == 404)
        #expect(missing.errorCode == "not_found")
        let put = try HTTP.request(port: s.port, "PUT", "/search", body: [])
        #expect(put.status == 405)
        #expect(put.header("allow") == "GET, POST")
        #expect(put.errorCode == "method_not_allowed")
        #expect(try HTTP.request(port: s.port, "POST", "/stats", body: []).status == 405)
        #expect(try HTTP.request(port: s.port, "GET", "/mcp").status == 405)
    }

    @Test("a body over --max-body-mb is 413, without reading it all")
    func bodyLimit() throws {
        let s = try ReadFixture.server()
        let big = "{\"q\": \"" + String(repeating: "x", count: 1_200_000) + "\"}"
        let r = try s.post("/search", json: big)
        #expect(r.status == 413)
        #expect(r.errorCode == "body_too_large")
        // A lying Content-Length is refused as well.
        let lying = try HTTP.request(
            port: s.port, "POST", "/search", headers: ["Content-Length": "50000000", "Content-Type": "application/json"],
            body: Array("{}".utf8))
        #expect(lying.status == 413)
        // The server still answers.
        #expect(try s.get("/health").status == 200)
    }

    @Test("writes are refused (403) when the server has no token")
    func writesNeedAToken() throws {
        let s = try ReadFixture.server()
        for (method, target) in [("POST", "/documents"), ("DELETE", "/documents/x"), ("POST", "/index")] {
            let r = try HTTP.request(port: s.port, method, target, headers: ["Content-Type": "application/json"], body: Array("[]".utf8))
            #expect(r.status == 403)
            #expect(r.errorCode == "writes_disabled")
            #expect(r.text.contains("--token"))
        }
    }
}
