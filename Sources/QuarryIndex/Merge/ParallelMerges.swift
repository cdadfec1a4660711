import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One merge of a merge commit: the segments it replaces and the segment it writes.
struct PlannedMerge: @unchecked Sendable {
    // @unchecked: the readers are used by one merge only (groups are disjoint), and only
    // while the writer waits for the merges.
    let group: [String]
    let members: [SegmentReader]
    let name: String
    let nonce: UInt64
}

/// Runs the merges of one merge commit side by side: a 5× debdocs build spent a third of
/// its time in merges on one core while the other idled (docs/ARCHITECTURE.md).
enum ParallelMerges {
    /// The merged segments, in the order of `plans`. Runs up to `threads` merges at once;
    /// the first error (in plan order) is thrown once all have finished, and the files of
    /// the others are left for the next commit's clean-up (no commit names them).
    static func run(_ plans: [PlannedMerge], merger: SegmentMerger, threads: Int) throws -> [FlushedSegment] {
        let threads = threadsOverride ?? threads
        if plans.count <= 1 || threads <= 1 {
            return try plans.map { try merger.merge($0.members, into: $0.name, nonce: $0.nonce) }
        }
        let state = MergeResults(count: plans.count)
        let group = DispatchGroup()
        for _ in 0..<min(threads, plans.count) {
            DispatchQueue.global(qos: .userInitiated).async(group: group) {
                while let i = state.claim() {
                    let p = plans[i]
                    state.store(i, Result { try merger.merge(p.members, into: p.name, nonce: p.nonce) })
                }
            }
        }
        group.wait()
        return try state.finished().map { try $0.get() }
    }
}

extension ParallelMerges {
    /// QUARRY_MERGE_THREADS (benchmarks only): merge threads independent of `--threads`, to
    /// compare merging on one and two threads after the same single-threaded ingest.
    static let threadsOverride: Int? = {
        guard let v = getenv("QUARRY_MERGE_THREADS"), let n = Int(String(cString: v)), n >= 1 else { return nil }
        return n
    }()
}

/// The merges' shared state: the next plan to claim and each plan's result.
private final class MergeResults: Sendable {
    private let next = Atomic<Int>(0)
    private let results: Mutex<[Result<FlushedSegment, any Error>?]>
    let count: Int

    init(count: Int) {
        self.count = count
        results = Mutex(Array(repeating: nil, count: count))
    }

    func claim() -> Int? {
        let i = next.add(1, ordering: .relaxed).oldValue
        return i < count ? i : nil
    }

    func store(_ i: Int, _ result: Result<FlushedSegment, any Error>) {
        results.withLock { $0[i] = result }
    }

    func finished() throws -> [Result<FlushedSegment, any Error>] {
        try results.withLock { all in
            try all.map { r throws -> Result<FlushedSegment, any Error> in
                guard let r else { throw IndexError.internalError("a merge did not finish") }
                return r
            }
        }
    }
}
