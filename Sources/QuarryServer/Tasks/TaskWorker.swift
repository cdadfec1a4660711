import Foundation
import Quarry
import ServiceLifecycle

/// Runs write tasks one at a time. The writer lock is taken for one task and released when
/// it ends, so `quarry index` from cron runs between tasks (and is refused, exit 4, while
/// one runs); a task that finds the lock taken by another process waits for it up to
/// `lockWait`, then fails with `index_locked`. After each commit the snapshot is
/// refreshed before the task is marked succeeded: a client that saw `succeeded` searches
/// the new commit.
struct TaskWorker: Service {
    let queue: TaskQueue
    let store: SnapshotStore
    let metrics: ServerMetrics
    let lockWait: Duration
    let log: @Sendable (String) -> Void

    func run() async throws {
        await withGracefulShutdownHandler {
            while let job = await queue.next() {
                await process(job.id, job.work)
            }
        } onGracefulShutdown: {
            Task {
                let dropped = await queue.close()
                if dropped > 0 { log("shutting down: \(dropped) enqueued write task\(dropped == 1 ? " was" : "s were") not run") }
            }
        }
    }

    private func process(_ id: Int, _ work: TaskWork) async {
        let outcome: Result<Outcome, APIError>
        switch await openWriter() {
        case .failure(let e):
            outcome = .failure(e)
        case .success(let writer):
            outcome = await Offload.run { () -> Result<Outcome, APIError> in
                defer { writer.close() }
                do throws(QuarryError) {
                    var o = Outcome()
                    switch work {
                    case .addDocuments(let batch):
                        o.take(try writer.add(jsonLines: batch.lines, displayPath: "request body"))
                    case .deleteDocument(let docID):
                        let missing = try writer.delete(ids: [docID])
                        o.notFound = missing
                        o.deleted = 1 - missing.count
                    case .indexPaths(let paths, let options):
                        o.take(try writer.sync(paths, options: options))
                    }
                    o.generation = try writer.commit().generation
                    return .success(o)
                } catch {
                    return .failure(APIError(error))
                }
            }
        }
        // Serve the commit before saying it succeeded.
        if case .success = outcome { _ = await Offload.run { store.refresh() } }
        await queue.finish(id) { r in
            switch outcome {
            case .success(let o):
                r.status = .succeeded
                r.added = o.added
                r.updated = o.updated
                r.deleted = o.deleted
                r.unchanged = o.unchanged
                r.skipped += o.skipped
                r.notFound = o.notFound
                r.generation = o.generation
                r.issues += o.issues
            case .failure(let e):
                r.status = .failed
                r.error = (e.code, e.message)
            }
        }
        let status: String
        switch outcome {
        case .success: status = "succeeded"
        case .failure: status = "failed"
        }
        metrics.task(type: work.type, status: status)
    }

    /// A writer, once the lock is free (waiting up to `lockWait` for another process).
    private func openWriter() async -> Result<IndexWriter, APIError> {
        let directory = store.directory
        let started = ContinuousClock.now
        while true {
            let attempt = await Offload.run { () -> Result<IndexWriter, QuarryError> in
                Result { () throws(QuarryError) -> IndexWriter in try IndexWriter(directory: directory) }
            }
            switch attempt {
            case .success(let w):
                return .success(w)
            case .failure(let error):
                guard case .locked = error else { return .failure(APIError(error)) }
                if ContinuousClock.now - started >= lockWait {
                    return .failure(
                        APIError(
                            status: lockedStatus, code: "index_locked",
                            message: "\(error.description); waited \(milliseconds(lockWait) / 1000) s for it"))
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }
}

/// What a write did.
private struct Outcome: Sendable {
    var added = 0, updated = 0, deleted = 0, unchanged = 0, skipped = 0
    var notFound: [String] = []
    var generation: Int?
    var issues: [TaskIssue] = []

    mutating func take(_ r: SyncReport) {
        added += r.added
        updated += r.updated
        deleted += r.deleted
        unchanged += r.unchanged
        skipped += r.skipped
        issues += r.issues.map {
            TaskIssue(input: $0.path + ($0.line.map { ":\($0)" } ?? ""), message: $0.message, skipped: $0.severity == .error)
        }
    }
}
