import Foundation
import QuarryCollection
import QuarryCore
import QuarryDocument
import QuarryIndex
import QuarryIngest
import Testing

@testable import QuarrySearch

/// The shared SciFact collection (../shared/data/scifact), when it is there.
enum SharedData {
    static let scifact: String = {
        var parts = #filePath.split(separator: "/").map(String.init)
        parts.removeLast(3)  // Tests/QuarrySearchTests/File.swift → package root
        return "/" + parts.joined(separator: "/") + "/../shared/data/scifact"
    }()

    static var hasSciFact: Bool { FileSystem.exists(scifact + "/corpus.jsonl") && FileSystem.exists(scifact + "/queries.jsonl") }

    /// Test queries (ids in qrels/test.tsv) with their text.
    static func sciFactTestQueries() throws -> [(String, String)] {
        var text: [String: String] = [:]
        for line in String(decoding: try FileSystem.read(scifact + "/queries.jsonl"), as: UTF8.self).split(separator: "\n") {
            let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            if let id = o?["_id"] as? String, let t = o?["text"] as? String { text[id] = t }
        }
        let qrels = String(decoding: try FileSystem.read(scifact + "/qrels/test.tsv"), as: UTF8.self)
        let ids = Set(qrels.split(whereSeparator: \.isNewline).dropFirst().compactMap { $0.split(separator: "\t").first.map(String.init) })
        return ids.sorted().compactMap { id in text[id].map { (id, $0) } }
    }
}

@Suite(
    "SciFact passages", .enabled(if: SharedData.hasSciFact, "needs ../shared/data/scifact (the shared evaluation data); skipped without it")
)
struct SciFactPassageTests {
    @Test("passages lie in their documents' stored text; the top document's best passage has a query term")
    func passagesOnSciFact() throws {
        let dir = try temporaryDirectory("scifact")
        defer { try? FileSystem.removeTree(dir) }
        let writer = try IndexWriter(directory: dir)
        let sync = try CollectionSync(writer: writer)
        let report = try sync.sync(paths: [SharedData.scifact + "/corpus.jsonl"], format: .beir)
        try sync.commit()
        writer.close()
        #expect(report.added == 5183)
        let searcher = try Searcher(directory: dir)
        var queriesWithMatch = 0, bestPassageHasTerm = 0, passagesChecked = 0
        for (_, text) in try SharedData.sciFactTestQueries() {
            // Questions are bags of words (a "+" or a quote in one is not syntax).
            let docs = try searcher.search(
                try searcher.prepare(text, options: QueryOptions(syntax: .words)), options: SearchOptions(limit: 1, snippets: 1))
            if let top = docs.first {
                queriesWithMatch += 1
                if top.passages.first.map({ !$0.highlights.isEmpty }) == true { bestPassageHasTerm += 1 }
            }
            for hit in try searcher.passages(
                try searcher.prepare(text, options: QueryOptions(syntax: .words)), options: SearchOptions(limit: 5))
            {
                let body = Array(try searcher.document(id: hit.id).body.utf8)
                #expect(hit.passage.start >= 0 && hit.passage.start < hit.passage.end && hit.passage.end <= body.count)
                #expect(String(decoding: body[hit.passage.start..<hit.passage.end], as: UTF8.self) == hit.passage.text)
                #expect(!hit.passage.highlights.isEmpty)
                passagesChecked += 1
            }
        }
        #expect(queriesWithMatch == 300)
        #expect(bestPassageHasTerm == queriesWithMatch, "\(bestPassageHasTerm) of \(queriesWithMatch)")
        #expect(passagesChecked >= 1400)
    }
}
