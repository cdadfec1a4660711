/// A point in time after which a search gives up (`SearchOptions.deadline`,
/// `QueryOptions.deadline`). Checked cheaply in the loops that can run long: expansion of
/// prefix and fuzzy words over the term dictionaries, the collectors, passage scoring and the
/// building of results. When it has passed the search stops and throws
/// `SearchError.deadlineExceeded` (`QuarryError.deadlineExceeded` in the library): there are no
/// partial results, since the best of whichever documents happened to be read first is not the
/// best of the index. One per search (not thread-safe): the matchers and collectors of the
/// search share it.
package final class DeadlineCheck {
    let deadline: ContinuousClock.Instant?
    /// `deadline != nil`, kept apart: `Instant` is a resilient type, so testing the optional
    /// goes through its value witnesses, which cost a phrase search several percent (perf).
    private let hasDeadline: Bool
    /// Ticks left before the clock is read again.
    @exclusivity(unchecked) private var countdown: Int
    /// Ticks between two readings of the clock (each reading costs tens of nanoseconds).
    private let interval: Int

    package init(_ deadline: ContinuousClock.Instant?, interval: Int = 1024) {
        self.deadline = deadline
        hasDeadline = deadline != nil
        self.interval = max(1, interval)
        countdown = 0
    }

    /// A check that never fires.
    package static var none: DeadlineCheck { DeadlineCheck(nil) }

    /// Whether there is a deadline at all.
    package var isSet: Bool { hasDeadline }

    /// One unit of work done; reads the clock every `interval` units and throws once the
    /// deadline has passed. The first call reads it.
    @inline(__always)
    package func tick(_ phase: @autoclosure () -> String) throws(SearchError) {
        guard hasDeadline else { return }
        countdown -= 1
        if countdown > 0 { return }
        countdown = interval
        try now(phase())
    }

    /// Reads the clock now (for work whose units are large).
    package func now(_ phase: @autoclosure () -> String) throws(SearchError) {
        guard let deadline else { return }
        if ContinuousClock.now >= deadline { throw SearchError.deadlineExceeded(phase: phase()) }
    }
}
