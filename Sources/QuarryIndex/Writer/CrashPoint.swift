#if canImport(Glibc)
import Glibc
#endif

/// Named points of the write path where tests make the process die as `kill -9` would
/// (no cleanup, no buffered output): set QUARRY_CRASH_AT to a point's name. Each point is
/// a moment of the commit protocol whose crash must leave the previous commit intact
/// (or, after the rename, the new one).
///
/// Points: `segment-flushed` (a segment's files written), `commit-deletions-written`,
/// `commit-sources-written`, `manifest-tmp-written` (MANIFEST.tmp synced, not renamed),
/// `manifest-renamed` (published, old files not yet removed), `merge-before-manifest`.
enum CrashPoint {
    static let target: String? = getenv("QUARRY_CRASH_AT").map { String(cString: $0) }

    @inline(__always)
    static func reached(_ name: String) throws {
        guard let target, target == name else { return }
        kill(getpid(), SIGKILL)
    }
}
