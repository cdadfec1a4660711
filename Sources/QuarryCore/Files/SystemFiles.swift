#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The text of an errno value.
package func systemErrorMessage(_ code: Int32) -> String {
    guard let s = strerror(code) else { return "error \(code)" }
    return String(cString: s)
}

/// A read-only memory map of a whole file. The mapping lives as long as the object, so
/// a reader keeps the bytes of a file even after a writer has unlinked it.
package final class MappedFile: @unchecked Sendable {
    // @unchecked: the mapping is read-only and immutable for the object's lifetime.
    package let path: String
    package let count: Int
    private let address: UnsafeMutableRawPointer?

    /// Maps `path`; an empty file maps to an empty buffer.
    package init(path: String) throws {
        self.path = path
        // A FIFO or device in the index directory is refused, never waited on.
        let (fd, status) = try FileSystem.openRegularFile(RawPath(path), name: path)
        defer { close(fd) }
        count = Int(status.size)
        if count == 0 {
            address = nil
            return
        }
        let p = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0)
        if p == MAP_FAILED || p == nil { throw SystemError(path: path, operation: "memory-map", errno: errno) }
        address = p
    }

    deinit {
        if let address { munmap(address, count) }
    }

    /// The mapped bytes (valid while this object is alive).
    package var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: address.map { UnsafeRawPointer($0) }, count: count)
    }

    /// Drops this process's resident pages of the file (they stay in the page cache and
    /// fault back in on the next read). Long sequential passes, such as merges, call it so
    /// that the pages they have read do not add up in the process's resident memory.
    package func releaseResidentPages() {
        if let address { _ = madvise(address, count, MADV_DONTNEED) }
    }

    /// Tells the kernel the whole file will be read soon.
    package func adviseWillNeed() {
        if let address { _ = madvise(address, count, MADV_WILLNEED) }
    }
}

/// Small file-system helpers with errors that name the path.
package enum FileSystem {
    package static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    package static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Size, modification time (nanoseconds since the epoch) and kind of a file.
    package static func status(_ path: String) throws -> FileStatus {
        try status(RawPath(path), name: path)
    }

    /// Creates a directory and its parents.
    package static func makeDirectories(_ path: String) throws {
        if isDirectory(path) { return }
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part
            if !isDirectory(prefix) && mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw SystemError(path: prefix, operation: "create directory", errno: errno)
            }
            prefix += "/"
        }
    }

    /// Names in a directory (no "." or ".."), unsorted, as text (`RawPath.text`: ill-formed
    /// UTF-8 escaped). Walks that must open what they list use `entries`.
    package static func list(_ path: String) throws -> [String] {
        try entries(RawPath(path), name: path).map { RawPath.text($0) }
    }

    package static func remove(_ path: String) throws {
        if unlink(path) != 0 && errno != ENOENT { throw SystemError(path: path, operation: "remove", errno: errno) }
    }

    /// Removes a directory tree (used for scratch directories only).
    package static func removeTree(_ path: String) throws {
        try removeTree(RawPath(path))
    }

    private static func removeTree(_ path: RawPath) throws {
        let isDirectory = (try? linkStatus(path))?.isDirectory ?? false
        guard isDirectory else {
            if unlink(path.cString) != 0 && errno != ENOENT { throw SystemError(path: path.text, operation: "remove", errno: errno) }
            return
        }
        for name in try entries(path) { try removeTree(path.appending(name)) }
        if rmdir(path.cString) != 0 && errno != ENOENT { throw SystemError(path: path.text, operation: "remove directory", errno: errno) }
    }

    package static func rename(_ from: String, _ to: String) throws {
        if Glibc.rename(from, to) != 0 { throw SystemError(path: to, operation: "rename \(from) to", errno: errno) }
    }

    /// fsyncs a directory so that renames and new names in it are durable.
    package static func syncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { throw SystemError(path: path, operation: "open directory", errno: errno) }
        defer { close(fd) }
        if fsync(fd) != 0 && errno != EINVAL { throw SystemError(path: path, operation: "sync directory", errno: errno) }
    }

    /// Writes a file durably and atomically: a temporary name, fsync, rename, fsync of the directory.
    package static func writeAtomically(_ path: String, _ data: [UInt8]) throws {
        let tmp = path + ".tmp"
        let file = try OutputFile(path: tmp)
        try file.write(data)
        try file.close(sync: true)
        try rename(tmp, path)
        try syncDirectory(directoryName(path))
    }

    /// The directory part of a path ("." when there is none).
    package static func directoryName(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// The current process id.
    package static var processID: Int32 { getpid() }

    /// True when a process with this id exists.
    package static func processExists(_ pid: Int32) -> Bool {
        pid > 0 && (kill(pid, 0) == 0 || errno == EPERM)
    }
}

/// A file being written: buffered, with a running XXH64 of everything written.
package final class OutputFile {
    package let path: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private var hasher = XXH64()
    /// Bytes written so far (including buffered ones).
    package private(set) var offset: Int = 0
    /// With block checksums: the block size, the hash of the block being written, and the
    /// hashes of the finished blocks.
    private let blockBytes: Int
    private var blockHasher = XXH64()
    private var hashes: [UInt64] = []

    /// `blockChecksumBytes` (a power of two, or 0 for none): also hash every block of that
    /// many bytes of the file as it is written (`blockChecksums`).
    package init(path: String, blockChecksumBytes: Int = 0) throws {
        self.path = path
        blockBytes = blockChecksumBytes
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 { throw SystemError(path: path, operation: "create", errno: errno) }
        buffer.reserveCapacity(1 << 20)
    }

    deinit {
        if fd >= 0 { Glibc.close(fd) }
    }

    /// XXH64 of each block of the bytes written so far, the last (partial) one included.
    package var blockChecksums: [UInt64] {
        offset % max(blockBytes, 1) == 0 ? hashes : hashes + [blockHasher.finalize()]
    }

    private func hashBlocks(_ data: UnsafeRawBufferPointer) {
        var at = 0
        var filled = offset % blockBytes
        while at < data.count {
            let n = min(blockBytes - filled, data.count - at)
            blockHasher.update(UnsafeRawBufferPointer(rebasing: data[at..<(at + n)]))
            at += n
            filled += n
            if filled == blockBytes {
                hashes.append(blockHasher.finalize())
                blockHasher = XXH64()
                filled = 0
            }
        }
    }

    package func write(_ data: UnsafeRawBufferPointer) throws {
        hasher.update(data)
        if blockBytes > 0 { hashBlocks(data) }
        offset += data.count
        if buffer.count + data.count > (1 << 20) { try flushBuffer() }
        if data.count >= (1 << 20) {
            try writeAll(data)
        } else {
            buffer.append(contentsOf: data)
        }
    }

    package func write(_ data: [UInt8]) throws {
        try data.withUnsafeBytes { try write($0) }
    }

    /// XXH64 of every byte written so far.
    package var checksum: UInt64 { hasher.finalize() }

    private func flushBuffer() throws {
        if buffer.isEmpty { return }
        try buffer.withUnsafeBytes { try writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ data: UnsafeRawBufferPointer) throws {
        guard let base = data.baseAddress else { return }
        var done = 0
        while done < data.count {
            let n = Glibc.write(fd, base + done, data.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemError(path: path, operation: "write", errno: errno)
            }
            done += n
        }
    }

    /// Flushes, optionally fsyncs, and closes.
    package func close(sync: Bool) throws {
        try flushBuffer()
        if sync && fsync(fd) != 0 { throw SystemError(path: path, operation: "sync", errno: errno) }
        if Glibc.close(fd) != 0 {
            fd = -1
            throw SystemError(path: path, operation: "close", errno: errno)
        }
        fd = -1
    }
}

extension FileSystem {
    /// The process's working directory.
    package static var currentDirectory: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return "." }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// True when the path itself is a symbolic link.
    package static func isSymbolicLink(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK
    }
}
