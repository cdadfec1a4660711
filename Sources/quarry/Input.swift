import QuarryCLI

#if canImport(Glibc)
import Glibc
#endif

/// The command line's own input: files it is told to read (query files, stopword lists)
/// and standard input.
struct InputError: Error, CustomStringConvertible {
    var path: String
    var reason: String
    var description: String { "\(path): \(reason)" }
}

/// The most the command line reads of a file it is told to read (query files, stopword
/// lists): they are read whole, and a device such as /dev/zero never ends.
let inputLimitBytes = 256 << 20

/// All bytes of a file, at most `limit`. Pipes are read (`--queries <(...)`); a directory
/// is refused; anything longer than the limit is refused without reading more.
func readFile(_ path: String, limit: Int = inputLimitBytes) throws -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 { throw InputError(path: path, reason: String(cString: strerror(errno))) }
    defer { close(fd) }
    var st = stat()
    if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR { throw InputError(path: path, reason: "is a directory") }
    return try readAll(fd, name: path, limit: limit)
}

private func readAll(_ fd: Int32, name: String, limit: Int) throws -> [UInt8] {
    var result: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            throw InputError(path: name, reason: String(cString: strerror(errno)))
        }
        if n == 0 { return result }
        if result.count + n > limit { throw InputError(path: name, reason: "longer than \(limit >> 20) MB; not read") }
        result.append(contentsOf: chunk[0..<n])
    }
}

/// Writes a file whole (created or truncated); `what` names it in errors ("the run").
func writeWholeFile(_ path: String, _ bytes: [UInt8], what: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    if fd < 0 { throw CommandFailure(status: .failure, message: "cannot write \(what) \(path): \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var done = 0
    while done < bytes.count {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress.map { $0 + done }, bytes.count - done) }
        if n < 0 {
            if errno == EINTR { continue }
            throw CommandFailure(status: .failure, message: "cannot write \(what) \(path): \(String(cString: strerror(errno)))")
        }
        done += n
    }
}
