#if canImport(Glibc)
import Glibc
#endif
import QuarryCore

/// The bytes of a JSON Lines source: a file read chunk by chunk with `pread` (so that its
/// pages do not add to the process's resident memory), or a buffer read from standard
/// input.
final class LineFile: @unchecked Sendable {
    // @unchecked: immutable after init; pread on a shared descriptor is thread-safe.
    private let fd: Int32
    private let path: String
    private let owned: [UInt8]

    /// Opens a file.
    init(path: String) throws {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw SystemError(path: path, operation: "open", errno: errno) }
        self.path = path
        owned = []
    }

    init(bytes: [UInt8]) {
        fd = -1
        path = "<stdin>"
        owned = bytes
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Calls `body` with the bytes of `range`.
    func withBytes<R>(_ range: Range<Int>, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        if fd < 0 { return try owned.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[range])) } }
        var chunk = [UInt8](repeating: 0, count: range.count)
        var done = 0
        while done < range.count {
            let n = chunk.withUnsafeMutableBytes { b -> Int in
                guard let base = b.baseAddress else { return 0 }
                return pread(fd, base + done, range.count - done, off_t(range.lowerBound + done))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemError(path: path, operation: "read", errno: errno)
            }
            if n == 0 { throw SystemError(path: path, operation: "read (the file shrank while being indexed)", errno: EIO) }
            done += n
        }
        return try chunk.withUnsafeBytes { try body($0) }
    }

    /// One sequential pass over a file: its XXH64, and chunks of whole lines of about
    /// `chunkBytes` each.
    static func scan(path: String, chunkBytes: Int) throws -> (hash: UInt64, chunks: [Range<Int>]) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw SystemError(path: path, operation: "open", errno: errno) }
        defer { close(fd) }
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)
        var hasher = XXH64()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var chunks: [Range<Int>] = []
        var offset = 0, chunkStart = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemError(path: path, operation: "read", errno: errno)
            }
            if n == 0 { break }
            buffer.withUnsafeBytes { b in
                let data = UnsafeRawBufferPointer(rebasing: b[0..<n])
                hasher.update(data)
                guard let base = data.baseAddress else { return }
                // A chunk ends at the first newline at or after its target size.
                var at = max(0, chunkStart + chunkBytes - 1 - offset)
                while at < n {
                    guard let nl = memchr(base + at, 0x0A, n - at) else { break }
                    let end = offset + base.distance(to: UnsafeRawPointer(nl)) + 1
                    chunks.append(chunkStart..<end)
                    chunkStart = end
                    at = max(end - offset, chunkStart + chunkBytes - 1 - offset)
                }
            }
            offset += n
        }
        if chunkStart < offset { chunks.append(chunkStart..<offset) }
        return (hasher.finalize(), chunks)
    }

    /// Newlines before `offset` (for line numbers in error messages).
    func newlines(before offset: Int) -> Int {
        var count = 0
        var at = 0
        while at < offset {
            let end = min(offset, at + (1 << 20))
            count += (try? withBytes(at..<end) { Lines.countNewlines($0, upTo: $0.count) }) ?? 0
            at = end
        }
        return count
    }
}
