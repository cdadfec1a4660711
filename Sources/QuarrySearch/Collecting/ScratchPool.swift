import Synchronization

/// Collector scratch memory for concurrent searches: each search borrows one (a new one
/// when all are in use) and gives it back when it succeeded (a failed search may leave
/// its buffers dirty); at most `keep` idle ones are kept.
final class ScratchPool: Sendable {
    private let idle = Mutex<[Idle]>([])
    private let keep = 8

    /// @unchecked: an idle scratch is referenced by the pool only, and a borrowed one by
    /// the one search that took it out.
    private struct Idle: @unchecked Sendable {
        let scratch: CollectorScratch
    }

    func with<R>(_ body: (CollectorScratch) throws -> R) rethrows -> R {
        let scratch = idle.withLock { $0.popLast() }?.scratch ?? CollectorScratch()
        let result = try body(scratch)
        let returned = Idle(scratch: scratch)
        idle.withLock { pool in
            if pool.count < keep { pool.append(returned) }
        }
        return result
    }
}
