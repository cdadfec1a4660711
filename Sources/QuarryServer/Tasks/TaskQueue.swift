import Foundation
import Quarry

/// What a write task does.
enum TaskWork: Sendable {
    /// Add or replace documents (BEIR lines from `DocumentBatch`).
    case addDocuments(DocumentBatch)
    /// Delete one document.
    case deleteDocument(id: String)
    /// The same sync as `quarry index PATH...`.
    case indexPaths([String], SyncOptions)

    var type: String {
        switch self {
        case .addDocuments: return "add_documents"
        case .deleteDocument: return "delete_document"
        case .indexPaths: return "index_paths"
        }
    }

    /// Request bytes the work holds while queued.
    var bytes: Int {
        switch self {
        case .addDocuments(let b): return b.lines.count
        case .deleteDocument(let id): return id.utf8.count
        case .indexPaths(let p, _): return p.reduce(0) { $0 + $1.utf8.count }
        }
    }
}

enum TaskStatus: String, Sendable {
    case enqueued, processing, succeeded, failed
}

/// A write task as `GET /tasks/{id}` shows it (`quarry.task/1`).
struct TaskRecord: Sendable {
    var id: Int
    var type: String
    var status: TaskStatus = .enqueued
    var enqueuedAt = Date()
    var startedAt: Date?
    var finishedAt: Date?
    /// Documents received (a batch), or ids / paths named.
    var received = 0
    var added = 0
    var updated = 0
    var deleted = 0
    var unchanged = 0
    var skipped = 0
    var notFound: [String] = []
    /// The generation of the commit that published the task's changes.
    var generation: Int?
    var issues: [TaskIssue] = []
    var error: (code: String, message: String)?

    var json: String {
        func time(_ d: Date?) -> JSONValue { d.map { .string(isoTime($0)) } ?? .null }
        var details: [(String, JSONValue)] = [
            ("received", .int(received)), ("added", .int(added)), ("updated", .int(updated)),
            ("deleted", .int(deleted)), ("unchanged", .int(unchanged)), ("skipped", .int(skipped)),
        ]
        if !notFound.isEmpty { details.append(("not_found", .array(notFound.map { .string($0) }))) }
        let shownIssues = issues.prefix(TaskRecord.maxIssuesShown)
        return JSONValue.object([
            ("schema", .string("quarry.task/1")),
            ("id", .int(id)),
            ("type", .string(type)),
            ("status", .string(status.rawValue)),
            ("enqueued_at", time(enqueuedAt)),
            ("started_at", time(startedAt)),
            ("finished_at", time(finishedAt)),
            ("details", .object(details)),
            ("generation", generation.map { .int($0) } ?? .null),
            (
                "issues",
                .array(
                    shownIssues.map {
                        .object([("input", .string($0.input)), ("message", .string($0.message)), ("skipped", .bool($0.skipped))])
                    })
            ),
            ("issues_total", .int(issues.count)),
            ("error", error.map { .object([("code", .string($0.code)), ("message", .string($0.message))]) } ?? .null),
        ]).text
    }

    static let maxIssuesShown = 100
}

/// The write tasks: a FIFO run one at a time by `TaskWorker`, and the records of the last
/// ones (in memory: a restart forgets them, and tasks still enqueued at shutdown are
/// dropped).
actor TaskQueue {
    private var records: [Int: TaskRecord] = [:]
    private var order: [Int] = []
    private var pending: [(id: Int, work: TaskWork)] = []
    private var pendingBytes = 0
    private var nextID = 1
    private var accepting = true
    private var waiter: CheckedContinuation<Void, Never>?
    let maxQueuedBytes: Int
    static let kept = 1000

    init(maxQueuedBytes: Int) {
        self.maxQueuedBytes = maxQueuedBytes
    }

    /// Queues a task; its record as enqueued.
    func enqueue(_ work: TaskWork, received: Int, issues: [TaskIssue] = []) throws(APIError) -> TaskRecord {
        guard accepting else {
            throw APIError(
                status: .serviceUnavailable, code: "shutting_down", message: "the server is shutting down and takes no more writes")
        }
        guard pendingBytes + work.bytes <= maxQueuedBytes || pending.isEmpty else {
            throw APIError(
                status: .serviceUnavailable, code: "queue_full",
                message: "\(pending.count) tasks (\(pendingBytes >> 20) MB) are waiting; retry when some have finished (GET /tasks)")
        }
        let id = nextID
        nextID += 1
        var record = TaskRecord(id: id, type: work.type)
        record.received = received
        record.issues = issues
        record.skipped = issues.filter(\.skipped).count
        records[id] = record
        order.append(id)
        if order.count > TaskQueue.kept {
            // Forget the oldest finished tasks.
            var keep: [Int] = []
            var excess = order.count - TaskQueue.kept
            for i in order {
                if excess > 0, let r = records[i], r.status == .succeeded || r.status == .failed {
                    records[i] = nil
                    excess -= 1
                } else {
                    keep.append(i)
                }
            }
            order = keep
        }
        pending.append((id, work))
        pendingBytes += work.bytes
        waiter?.resume()
        waiter = nil
        return record
    }

    /// The next task to run (marked processing), or nil once the queue is closed.
    func next() async -> (id: Int, work: TaskWork)? {
        while accepting && pending.isEmpty {
            await withCheckedContinuation { waiter = $0 }
        }
        guard accepting, !pending.isEmpty else { return nil }
        let job = pending.removeFirst()
        pendingBytes -= job.work.bytes
        records[job.id]?.status = .processing
        records[job.id]?.startedAt = Date()
        return job
    }

    /// Records how a task ended.
    func finish(_ id: Int, _ update: @Sendable (inout TaskRecord) -> Void) {
        guard var r = records[id] else { return }
        update(&r)
        r.finishedAt = Date()
        records[id] = r
    }

    func record(_ id: Int) -> TaskRecord? { records[id] }

    /// The most recent tasks, newest first.
    func recent(_ limit: Int) -> [TaskRecord] {
        order.suffix(limit).reversed().compactMap { records[$0] }
    }

    /// Stops taking and starting tasks; returns how many were still enqueued.
    func close() -> Int {
        accepting = false
        waiter?.resume()
        waiter = nil
        return pending.count
    }
}

func isoTime(_ d: Date) -> String {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return f.string(from: d)
}
