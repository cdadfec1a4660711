import Foundation
import Testing

/// Requests a hostile but fair user sends: huge limits, huge boosts. Each gets an answer or a
/// clear error, never a crash, and JSON scores are always numbers.
@Suite("hostile search requests")
struct HostileQueryEndToEndTests {
    static let index: String = {
        let dir = CLI.suiteDirectory("hostile-queries")
        _ = try? CLI.run(["index", "--index", dir, CLI.corpus])
        return dir
    }()

    @Test("a limit far above the document count answers with what there is", arguments: ["2147483648", "9223372036854775807"])
    func hugeLimit(limit: String) throws {
        for extra in [[], ["--passages"], ["--json"]] {
            let r = try CLI.run(["search", "--index", Self.index, "--limit", limit] + extra + ["dopamine"])
            #expect(r.status == 0, "\(extra): \(r.stderr)")
            #expect(r.stdout.contains("dopamine"))
        }
    }

    @Test("a boost that would overflow a score is a query error; the largest allowed boosts keep scores numbers")
    func hugeBoosts() throws {
        let r = try CLI.run(["search", "--index", Self.index, "--json", "abc^1e308 abc^1e308"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("boost must be at most 10000"), "\(r.stderr)")
        let max = String(repeating: "dopamine^10000 ", count: 200)
        let ok = try CLI.run(["search", "--index", Self.index, "--json", "--scoring", "fields", "--title-weight", "10000", "--explain", max])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(!ok.stdout.contains("null,") && !ok.stdout.contains("\"score\":null"), "\(ok.stdout.prefix(400))")
        let json = try CLI.json(ok.stdout)
        let results = try #require(json["results"] as? [[String: Any]])
        #expect(!results.isEmpty)
        for result in results { #expect((result["score"] as? Double)?.isFinite == true) }
        let nested = "((((dopamine^10000)^10000)^10000)^10000)"
        let n = try CLI.run(["search", "--index", Self.index, nested])
        #expect(n.status == 2, "\(n.stdout)")
        #expect(n.stderr.contains("10^12"), "\(n.stderr)")
    }
}
