import QuarryCore

#if canImport(Glibc)
import Glibc
#endif

/// The bytes of a JSON Lines source: a regular file read chunk by chunk with `pread` (so
/// that its pages do not add to the process's resident memory, and no read is larger than a
/// chunk), or a buffer (a batch of standard input).
final class LineFile: @unchecked Sendable {
    // @unchecked: immutable after init; pread on a shared descriptor is thread-safe.
    private let fd: Int32
    private let path: String
    private let owned: [UInt8]

    /// Opens a regular file (a FIFO or device is refused, without blocking).
    init(file: RawPath, name: String) throws {
        fd = try FileSystem.openRegularFile(file, name: name).fd
        path = name
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

    /// What one pass over a file found.
    struct Scan {
        /// XXH64 of the whole file.
        var hash: UInt64
        /// Ranges of whole lines of about the chunk size each.
        var chunks: [Range<Int>]
        /// Lines longer than the limit (not in any chunk), with their 1-based numbers.
        var oversized: [(range: Range<Int>, line: Int)]
    }

    /// One sequential pass over the file: its XXH64, chunks of whole lines of about
    /// `chunkBytes` each, and the lines longer than `maxLineBytes`, which no chunk holds.
    func scan(chunkBytes: Int, maxLineBytes: Int) throws -> Scan {
        var hasher = XXH64()
        var result = Scan(hash: 0, chunks: [], oversized: [])
        var lineStart = 0, chunkStart = 0, lineNumber = 1
        // Closes the line ending at `end` (exclusive; just after its newline, or the end of the file).
        func endLine(at end: Int) {
            if end - lineStart > maxLineBytes {
                if chunkStart < lineStart { result.chunks.append(chunkStart..<lineStart) }
                result.oversized.append((lineStart..<end, lineNumber))
                chunkStart = end
            } else if end - chunkStart >= chunkBytes {
                result.chunks.append(chunkStart..<end)
                chunkStart = end
            }
            lineStart = end
            lineNumber += 1
        }
        if fd >= 0 { _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var offset = 0
        while true {
            let n: Int
            if fd >= 0 {
                n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset)) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw SystemError(path: path, operation: "read", errno: errno)
                }
            } else {
                n = min(buffer.count, owned.count - offset)
                if n > 0 { buffer.replaceSubrange(0..<n, with: owned[offset..<(offset + n)]) }
            }
            if n == 0 { break }
            buffer.withUnsafeBytes { b in
                let data = UnsafeRawBufferPointer(rebasing: b[0..<n])
                hasher.update(data)
                guard let base = data.baseAddress else { return }
                var at = 0
                while at < n, let nl = memchr(base + at, 0x0A, n - at) {
                    let i = base.distance(to: UnsafeRawPointer(nl))
                    endLine(at: offset + i + 1)
                    at = i + 1
                }
            }
            offset += n
        }
        if lineStart < offset { endLine(at: offset) }
        if chunkStart < offset { result.chunks.append(chunkStart..<offset) }
        result.hash = hasher.finalize()
        return result
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
