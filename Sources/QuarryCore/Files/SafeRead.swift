#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// Reading files that someone else put there: nothing blocks (a FIFO is opened with
// O_NONBLOCK and refused), nothing but regular files is read (a device such as /dev/zero
// never ends), and no read is larger than a limit given by the caller.

extension FileSystem {
    /// The limit of `read` when the caller gives none: 2 GiB.
    package static let defaultReadLimit = 1 << 31

    /// Opens a regular file for reading without blocking: a FIFO, device or socket (also one
    /// that replaced the file since it was listed) is refused with an error that says what it
    /// is. Returns the descriptor (close it) and the status of the open file.
    package static func openRegularFile(_ path: RawPath, name: String? = nil) throws -> (fd: Int32, status: FileStatus) {
        let shown = name ?? path.text
        let fd = open(path.cString, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        if fd < 0 { throw SystemError(path: shown, operation: "open", errno: errno) }
        var st = stat()
        if fstat(fd, &st) != 0 {
            let e = errno
            close(fd)
            throw SystemError(path: shown, operation: "stat", errno: e)
        }
        let status = FileStatus(st)
        guard status.isRegular else {
            close(fd)
            throw SystemError(path: shown, operation: "read", errno: EINVAL, detail: "not a regular file (a \(status.kind.rawValue))")
        }
        // Reads of a regular file never block; clear the flag anyway.
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
        return (fd, status)
    }

    /// Reads a whole regular file of at most `limit` bytes (see `openRegularFile`); a larger
    /// file (or one that grows past the limit while it is read) is refused with errno EFBIG.
    package static func read(_ path: String, limit: Int = defaultReadLimit) throws -> [UInt8] {
        try read(RawPath(path), name: path, limit: limit)
    }

    /// Reads a whole regular file of at most `limit` bytes; `name` is the path shown in errors.
    package static func read(_ path: RawPath, name: String? = nil, limit: Int = defaultReadLimit) throws -> [UInt8] {
        let shown = name ?? path.text
        let (fd, status) = try openRegularFile(path, name: shown)
        defer { close(fd) }
        let size = Int(clamping: status.size)
        if size > limit { throw tooLarge(shown, size: size, limit: limit) }
        // One byte more than the file's size tells whether it grew meanwhile.
        let capacity = size + 1
        var result = try [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            count = 0
            while count < capacity {
                guard let base = buffer.baseAddress else { break }
                let n = Glibc.read(fd, base + count, capacity - count)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw SystemError(path: shown, operation: "read", errno: errno)
                }
                if n == 0 { break }
                count += n
            }
        }
        guard result.count == capacity else { return result }
        // The file grew since fstat: read on, within the limit.
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemError(path: shown, operation: "read", errno: errno)
            }
            if n == 0 { break }
            if result.count + n > limit { throw tooLarge(shown, size: result.count + n, limit: limit) }
            result.append(contentsOf: chunk[0..<n])
        }
        if result.count > limit { throw tooLarge(shown, size: result.count, limit: limit) }
        return result
    }

    /// The error of a file over a size limit.
    package static func tooLarge(_ path: String, size: Int, limit: Int) -> SystemError {
        SystemError(
            path: path, operation: "read", errno: EFBIG,
            detail: "the file is \(megabytes(size)), over the limit of \(megabytes(limit))")
    }

    /// A byte count in MB (2^20 bytes) with one decimal, e.g. "4.1 MB".
    package static func megabytes(_ bytes: Int) -> String {
        let tenths = Int((Double(max(0, bytes)) / 104_857.6).rounded())
        return "\(tenths / 10).\(tenths % 10) MB"
    }
}
