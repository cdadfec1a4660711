import Dispatch
import Foundation
import Synchronization

/// A fixed set of threads that run searches and reads, so that CPU-bound work neither
/// holds Swift's cooperative threads nor NIO's event loops, and so that a request is
/// answered when its deadline passes whatever the job is doing (searches also get the
/// deadline and stop soon after it, `SearchOptions.deadline`; reads of a document or the
/// statistics run to their end and their result is dropped). A job still queued when its
/// deadline has passed is not started at all: under overload, late requests are shed
/// instead of piling up.
final class SearchPool: Sendable {
    private let condition = NSCondition()
    private let jobs = Mutex<[@Sendable () -> Void]>([])
    private let stopped = Mutex(false)
    let threads: Int

    init(threads: Int) {
        self.threads = threads
        for i in 0..<threads {
            let t = Thread { [self] in self.work() }
            t.name = "quarry-search-\(i)"
            t.start()
        }
    }

    private func work() {
        while true {
            condition.lock()
            var job: (@Sendable () -> Void)? = nil
            while job == nil {
                if stopped.withLock({ $0 }) {
                    condition.unlock()
                    return
                }
                job = jobs.withLock { $0.isEmpty ? nil : $0.removeFirst() }
                if job == nil { condition.wait() }
            }
            condition.unlock()
            job?()
        }
    }

    private func submit(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        jobs.withLock { $0.append(job) }
        condition.signal()
        condition.unlock()
    }

    /// Lets the threads end once the queue is empty.
    func stop() {
        condition.lock()
        stopped.withLock { $0 = true }
        condition.broadcast()
        condition.unlock()
    }

    /// Runs `body` on a pool thread and returns its result, or throws `deadline_exceeded`
    /// when `deadline` passes first (while queued or while running).
    func run<T: Sendable>(
        deadline: ContinuousClock.Instant, budget: Duration,
        _ body: @escaping @Sendable () throws(APIError) -> T
    ) async throws(APIError) -> T {
        let once = Once<Result<T, APIError>>()
        let result: Result<T, APIError> = await withCheckedContinuation { continuation in
            once.set(continuation)
            let left = deadline - ContinuousClock.now
            guard left > .zero else {
                once.resume(.failure(.timeout(budget)))
                return
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(nanoseconds(left)))) {
                once.resume(.failure(.timeout(budget)))
            }
            submit {
                guard !once.isDone, ContinuousClock.now < deadline else {
                    once.resume(.failure(.timeout(budget)))
                    return
                }
                once.resume(Result(catching: body))
            }
        }
        return try result.get()
    }
}

/// A continuation resumed by the first of several parties (the work or the timer).
private final class Once<T: Sendable>: Sendable {
    private let state = Mutex<(CheckedContinuation<T, Never>?, Bool)>((nil, false))

    func set(_ c: CheckedContinuation<T, Never>) {
        state.withLock { $0.0 = c }
    }

    var isDone: Bool { state.withLock { $0.1 } }

    func resume(_ value: T) {
        let c: CheckedContinuation<T, Never>? = state.withLock { s in
            guard !s.1 else { return nil }
            s.1 = true
            let c = s.0
            s.0 = nil
            return c
        }
        c?.resume(returning: value)
    }
}

/// Blocking work (file system, index writes) off the cooperative threads.
enum Offload {
    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: body()) }
        }
    }
}

func nanoseconds(_ d: Duration) -> Int64 {
    let (s, a) = d.components
    return s * 1_000_000_000 + a / 1_000_000_000
}
