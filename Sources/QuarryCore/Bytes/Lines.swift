#if canImport(Glibc)
import Glibc
#endif

/// Line-oriented helpers over raw bytes (JSON Lines, query files).
package enum Lines {
    /// Splits a buffer into chunks of whole lines of about `chunkBytes` each (the last
    /// chunk may end without a newline), for parallel parsing. Returns the byte ranges.
    package static func chunks(_ bytes: UnsafeRawBufferPointer, chunkBytes: Int) -> [Range<Int>] {
        var chunks: [Range<Int>] = []
        var start = 0
        let n = bytes.count
        while start < n {
            var end = min(n, start + max(1, chunkBytes))
            if end < n, let base = bytes.baseAddress, bytes[end - 1] != 0x0A {
                if let nl = memchr(base + end, 0x0A, n - end) {
                    end = base.distance(to: UnsafeRawPointer(nl)) + 1
                } else {
                    end = n
                }
            }
            chunks.append(start..<end)
            start = end
        }
        return chunks
    }

    /// Counts the newlines in `bytes[0..<end]`.
    package static func countNewlines(_ bytes: UnsafeRawBufferPointer, upTo end: Int) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var count = 0
        var p = 0
        let limit = min(end, bytes.count)
        while p < limit, let nl = memchr(base + p, 0x0A, limit - p) {
            count += 1
            p = base.distance(to: UnsafeRawPointer(nl)) + 1
        }
        return count
    }

    /// Calls `body` with each line of `bytes[range]` (without its "\n" or "\r\n") and the
    /// line's start offset, until `body` returns false.
    package static func forEach(
        _ bytes: UnsafeRawBufferPointer, in range: Range<Int>? = nil,
        _ body: (UnsafeRawBufferPointer, Int) throws -> Bool
    ) rethrows {
        let range = range ?? 0..<bytes.count
        guard let base = bytes.baseAddress else { return }
        var start = range.lowerBound
        while start < range.upperBound {
            let end: Int
            if let nl = memchr(base + start, 0x0A, range.upperBound - start) {
                end = base.distance(to: UnsafeRawPointer(nl))
            } else {
                end = range.upperBound
            }
            var lineEnd = end
            if lineEnd > start && bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            if try !body(UnsafeRawBufferPointer(rebasing: bytes[start..<lineEnd]), start) { return }
            start = end + 1
        }
    }
}
