import QuarryCore

#if canImport(Glibc)
import Glibc
#endif

/// The writer lock of an index: an exclusive `flock` on `DIR/LOCK`, which also holds the
/// owner's pid. The kernel releases the lock when its process dies, so a lock left by a
/// killed writer is taken over by the next one.
final class WriterLock {
    static let fileName = "LOCK"
    private var fd: Int32
    /// The pid found in the file when it was taken over from a process that no longer runs.
    let tookOverFrom: Int32?

    init(directory: String) throws {
        let path = directory + "/" + WriterLock.fileName
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if fd < 0 { throw IndexError.system(SystemError(path: path, operation: "open lock file", errno: errno)) }
        let previous = WriterLock.readPID(fd)
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let e = errno
            close(fd)
            fd = -1
            if e == EWOULDBLOCK { throw IndexError.locked(path: directory, pid: previous) }
            throw IndexError.system(SystemError(path: path, operation: "lock", errno: e))
        }
        if let previous, previous != getpid(), !FileSystem.processExists(previous) {
            tookOverFrom = previous
        } else {
            tookOverFrom = nil
        }
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        _ = fsync(fd)
    }

    private static func readPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        let text = String(decoding: buffer[0..<n], as: UTF8.self).trimmingWhitespace()
        return Int32(text)
    }

    /// Releases the lock (also done on deinit).
    func release() {
        if fd >= 0 {
            _ = ftruncate(fd, 0)
            _ = flock(fd, LOCK_UN)
            close(fd)
            fd = -1
        }
    }

    deinit { release() }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
