import QuarryCore
import QuarryDocument
import Testing

@testable import QuarryIndex

/// Merges of one merge commit run side by side; the result must not depend on it.
@Suite("Parallel merges")
struct ParallelMergeTests {
    @Test("the policy returns every full group of a tier")
    func everyFullGroup() {
        let policy = MergePolicy(mergeFactor: 3, floorDocuments: 1_000)
        let segments = (0..<7).map { SegmentEntry(name: "s\($0)", nonce: 1, documents: 10 + $0, deleted: 0, deletionGeneration: 0) }
        let groups = policy.merges(segments)
        #expect(groups == [["s0", "s1", "s2"], ["s3", "s4", "s5"]])
    }

    @Test("the segments one commit added become one per thread, of about equal size; a few, or older ones, are left")
    func bulkLoad() {
        let policy = MergePolicy(mergeFactor: 10, floorDocuments: 1_000)
        let old = (0..<3).map { SegmentEntry(name: "o\($0)", nonce: 1, documents: 5_000, deleted: 0, deletionGeneration: 0) }
        let sizes = [900, 800, 700, 600, 500, 400, 300, 200, 100, 50]
        let fresh = sizes.enumerated().map {
            SegmentEntry(name: "n\($0.offset)", nonce: 1, documents: $0.element, deleted: 0, deletionGeneration: 0)
        }
        let added = Set(fresh.map(\.name))
        let groups = policy.merges(old + fresh, added: added, threads: 2)
        #expect(groups.count == 2)
        #expect(Set(groups.flatMap { $0 }) == added, "every added segment, no older one")
        let totals = groups.map { $0.compactMap { n in fresh.first { $0.name == n }?.documents }.reduce(0, +) }
        #expect(abs(totals[0] - totals[1]) <= 100, "balanced: \(totals)")
        // As many added segments as threads (a small update): nothing to merge.
        #expect(policy.merges(old + fresh.prefix(2), added: Set(["n0", "n1"]), threads: 2).isEmpty)
        // One thread: everything the commit added into one.
        #expect(policy.merges(fresh, added: added, threads: 1) == [fresh.map(\.name)])
    }

    /// Builds four one-thread segments, then merges them in pairs with `threads` threads.
    static func build(_ dir: String, threads: Int) throws {
        var ingest = WriterOptions(threads: 1)
        ingest.deterministicSeed = 11
        let corpus = GoldenIndexTests.corpus()
        let settings = IndexSettings(passages: PassageSettings(targetWords: 8))
        let writer = try IndexWriter(
            directory: dir, settings: settings, options: ingest.with(mergePolicy: .default, automatically: false))
        let quarter = (corpus.count + 3) / 4
        for start in stride(from: 0, to: corpus.count, by: quarter) {
            _ = try writer.add(Array(corpus[start..<min(corpus.count, start + quarter)]))
            try writer.commit()
        }
        writer.close()
        var merging = WriterOptions(threads: threads)
        merging.deterministicSeed = 11
        let policy = MergePolicy(mergeFactor: 2, floorDocuments: 1_000)
        let merger = try IndexWriter(directory: dir, options: merging.with(mergePolicy: policy, automatically: false))
        let before = try #require(merger.committedManifest).segments.count
        #expect(before == 4)
        let merged = try #require(try merger.mergeIfNeeded())
        #expect(merged.segments.count == 1, "two pairs, then the two results")
        merger.close()
    }

    @Test("merging on two threads writes the same bytes as on one")
    func sameBytes() throws {
        let one = "/tmp/quarry-pmerge-1-\(FileSystem.processID)-\(UInt32.random(in: 0...UInt32.max))"
        let two = "/tmp/quarry-pmerge-2-\(FileSystem.processID)-\(UInt32.random(in: 0...UInt32.max))"
        defer {
            try? FileSystem.removeTree(one)
            try? FileSystem.removeTree(two)
        }
        try ParallelMergeTests.build(one, threads: 1)
        try ParallelMergeTests.build(two, threads: 2)
        let names = try FileSystem.list(one).filter { $0 != "LOCK" }.sorted()
        #expect(try FileSystem.list(two).filter { $0 != "LOCK" }.sorted() == names)
        for n in names {
            #expect(try FileSystem.read(one + "/" + n) == FileSystem.read(two + "/" + n), "\(n) differs")
        }
        #expect(IndexChecker(directory: two).check().problems.isEmpty)
        let snapshot = try IndexSnapshot.open(two, verifyChecksums: true)
        #expect(snapshot.stats.documents == GoldenIndexTests.corpus().count)
    }
}
