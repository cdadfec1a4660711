import Dispatch
import Glibc
import QuarryCore
import QuarryDocument
import QuarryIndex
import QuarryIngest
import Synchronization
import Testing

@testable import QuarrySearch

/// Readers during writes: every search sees exactly one commit.
@Suite("Readers while a writer works")
struct ConcurrencyTests {
    @Test("searches running during commits and merges always see one whole commit")
    func readersDuringWrites() throws {
        let dir = try temporaryDirectory("concurrent")
        defer { try? FileSystem.removeTree(dir) }
        // Commit k holds documents c0…c(k-1), each with the word "marker" once: a consistent
        // snapshot has df(marker) == number of documents, and every id c0…c(n-1).
        func article(_ i: Int) -> Article {
            Article(id: "c\(i)", path: "c", title: "commit \(i)", body: "marker text number \(i) filler words here", blocks: [])
        }
        let first = try IndexWriter(directory: dir, options: WriterOptions(threads: 1))
        _ = try first.add([article(0)])
        try first.commit()
        first.close()
        let done = Atomic<Bool>(false)
        let failures = Mutex<[String]>([])
        let checks = Atomic<Int>(0)
        // Searches finished, failed or not: the writer waits on it so that searches and
        // commits interleave however the threads are scheduled.
        let attempts = Atomic<Int>(0)
        let group = DispatchGroup()
        for _ in 0..<2 {
            DispatchQueue.global().async(group: group) {
                while !done.load(ordering: .relaxed) {
                    do {
                        let searcher = try Searcher(directory: dir)
                        let n = searcher.snapshot.stats.documents
                        let df = try searcher.snapshot.termStats("marker").df
                        let hits = try searcher.rank("marker", options: SearchOptions(limit: 1000))
                        let ids = Set(hits.map(\.id))
                        if df != n || hits.count != n || ids != Set((0..<n).map { "c\($0)" }) {
                            failures.withLock { $0.append("inconsistent snapshot: \(n) documents, df \(df), \(hits.count) hits") }
                        }
                        checks.add(1, ordering: .relaxed)
                    } catch {
                        failures.withLock { $0.append("search failed during writes: \(error)") }
                    }
                    attempts.add(1, ordering: .relaxed)
                }
            }
        }
        let policy = MergePolicy(mergeFactor: 3, floorDocuments: 4)
        for k in 1..<40 {
            let seen = attempts.load(ordering: .relaxed)
            while attempts.load(ordering: .relaxed) == seen { sched_yield() }
            let w = try IndexWriter(directory: dir, options: WriterOptions(threads: 1).with(mergePolicy: policy))
            _ = try w.add([article(k)])
            try w.commit()
            if k % 10 == 0 { try w.forceMerge(maxSegments: 1) }
            w.close()
        }
        done.store(true, ordering: .relaxed)
        group.wait()
        #expect(failures.withLock { $0 } == [])
        #expect(checks.load(ordering: .relaxed) > 0)
    }
}
