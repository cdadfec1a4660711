import QuarryAnalysis
import Synchronization

/// Analyzers for concurrent searches: an analyzer holds a stemmer and caches and is not
/// thread-safe, so each search borrows one and gives it back (a new one is made when all
/// are in use; at most `keep` idle ones are kept).
final class AnalyzerPool: Sendable {
    let settings: AnalyzerSettings
    private let idle: Mutex<[Idle]>
    private let keep = 8

    /// An analyzer in the pool. @unchecked: an idle analyzer is referenced by the pool
    /// only, and a borrowed one by the one search that took it out.
    private struct Idle: @unchecked Sendable {
        let analyzer: Analyzer
    }

    init(settings: AnalyzerSettings) throws {
        self.settings = settings
        idle = Mutex([Idle(analyzer: try Analyzer(settings: settings))])
    }

    /// Runs `body` with an analyzer no one else is using.
    func with<R>(_ body: (Analyzer) throws -> R) throws -> R {
        let analyzer = try idle.withLock { $0.popLast() }?.analyzer ?? Analyzer(settings: settings)
        defer {
            let returned = Idle(analyzer: analyzer)
            idle.withLock { pool in
                if pool.count < keep { pool.append(returned) }
            }
        }
        return try body(analyzer)
    }
}
