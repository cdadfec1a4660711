import QuarryCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Verifies a file's checksum once, the first time it is needed (thread-safe). Large index
/// files are checked this way, so that opening an index reads only small files and a search
/// verifies just the files it reads: a damaged byte in them is an error naming the file,
/// never a wrong answer.
final class LazyVerification: Sendable {
    let path: String
    private let verified = Atomic<Bool>(false)
    private let failure = Mutex<FormatError?>(nil)

    init(path: String, alreadyVerified: Bool = false) {
        self.path = path
        if alreadyVerified { verified.store(true, ordering: .releasing) }
    }

    /// Throws when the file's checksum does not match.
    @inline(__always)
    func ensure() throws(FormatError) {
        if verified.load(ordering: .acquiring) { return }
        try slowPath()
    }

    private func slowPath() throws(FormatError) {
        let result: FormatError? = failure.withLock { stored in
            if verified.load(ordering: .acquiring) { return nil }
            if let stored { return stored }
            if let error = FileEnvelope.verifyFile(path) {
                stored = error
                return error
            }
            verified.store(true, ordering: .releasing)
            return nil
        }
        if let result { throw result }
    }
}

extension FileEnvelope {
    /// Reads a file (with read(), not through its mapping) and checks its checksum.
    /// Returns the problem, or nil when it matches.
    static func verifyFile(_ path: String) -> FormatError? {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { return FormatError(file: path, offset: 0, message: "cannot open to verify: \(systemErrorMessage(errno))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_size >= headerSize + footerSize else {
            return FormatError(file: path, offset: 0, message: "file is too short to be a Quarry file")
        }
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)
        let total = Int(st.st_size)
        let covered = total - footerSize
        var hasher = XXH64()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var offset = 0
        var footer = [UInt8](repeating: 0, count: footerSize)
        while offset < total {
            let want = min(buffer.count, total - offset)
            let n = buffer.withUnsafeMutableBytes { b -> Int in
                guard let base = b.baseAddress else { return -1 }
                return pread(fd, base, want, off_t(offset))
            }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                return FormatError(
                    file: path, offset: offset, message: "cannot read to verify: \(n < 0 ? systemErrorMessage(errno) : "file shrank")")
            }
            buffer.withUnsafeBytes { b in
                let chunk = UnsafeRawBufferPointer(rebasing: b[0..<n])
                let hashed = max(0, min(n, covered - offset))
                if hashed > 0 { hasher.update(UnsafeRawBufferPointer(rebasing: chunk[0..<hashed])) }
                // Keep the footer bytes.
                if offset + n > covered {
                    for i in max(0, covered - offset)..<n { footer[offset + i - covered] = chunk[i] }
                }
            }
            offset += n
        }
        let stored = footer.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        let actual = hasher.finalize()
        if stored != actual {
            return FormatError(
                file: path, offset: covered,
                message: "checksum mismatch (stored \(hex(stored)), computed \(hex(actual))): the file is damaged")
        }
        return nil
    }
}

/// Runs a check until it has succeeded once (thread-safe; concurrent first runs may both
/// run it, which is harmless for idempotent checks).
final class LazyOnce: Sendable {
    private let done = Atomic<Bool>(false)

    @inline(__always)
    func run(_ body: () throws(FormatError) -> Void) throws(FormatError) {
        if done.load(ordering: .acquiring) { return }
        try body()
        done.store(true, ordering: .releasing)
    }
}
