import Foundation
import Quarry
import ServiceLifecycle
import Synchronization

/// The searcher every request starts from: one snapshot of the index, replaced when a
/// commit is noticed (by any writer: this server's tasks or another process). A request
/// takes the current searcher once and keeps it to the end, so it finishes on the snapshot
/// it started on; a snapshot is a whole commit (its manifest was renamed into place after
/// all its files were synced), so no request sees half of one.
final class SnapshotStore: Sendable {
    let directory: String
    private let current = Mutex<Searcher?>(nil)
    /// The last reason the index could not be opened (for /ready), nil once open.
    private let problem = Mutex<String?>(nil)
    /// Serialises refreshes (the poller and the task queue may ask at once).
    private let refreshing = Mutex<Void>(())

    init(directory: String) {
        self.directory = directory
    }

    /// The current searcher (`not_ready` when no index could be opened yet).
    func searcher() throws(APIError) -> Searcher {
        if let s = current.withLock({ $0 }) { return s }
        throw APIError.notReady(problem.withLock { $0 } ?? "the index at \(directory) is not open yet")
    }

    /// The current searcher, if any.
    var open: Searcher? { current.withLock { $0 } }

    /// Opens the index's current commit when it differs from the searcher's. Returns the
    /// generation now served (nil when there is no index). Cheap when nothing changed: it
    /// reads the manifest's generation only.
    @discardableResult
    func refresh() -> Int? {
        refreshing.withLock { _ in
            do throws(QuarryError) {
                let next: Searcher
                if let s = current.withLock({ $0 }) {
                    next = try s.refreshed()
                    if next === s { return s.generation }
                } else {
                    next = try Index.open(directory).searcher()
                }
                current.withLock { $0 = next }
                problem.withLock { $0 = nil }
                return next.generation
            } catch {
                let message: String
                switch error {
                case .noIndex:
                    message =
                        "no index at \(directory) yet: add documents (POST /documents, POST /index) or run quarry index --index \(directory)"
                default:
                    message = "the index at \(directory) cannot be opened: \(error)"
                }
                problem.withLock { $0 = message }
                // A damaged or vanished commit: keep serving the snapshot we have.
                return current.withLock { $0?.generation }
            }
        }
    }
}

/// Polls the index's generation so that commits of other processes are served within one
/// interval (200 ms by default).
struct SnapshotRefresher: Service {
    let store: SnapshotStore
    let interval: Duration
    let onGeneration: @Sendable (Int?, Int) -> Void

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let generation = await Offload.run { store.refresh() }
            onGeneration(generation, store.open?.documentCount ?? 0)
            try? await Task.sleep(for: interval)
        }
    }
}
