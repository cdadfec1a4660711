#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A path as the file system holds it: bytes, which need not be UTF-8 (a Linux file name is
/// any bytes but "/" and NUL). Walks keep these bytes to open what they found, and show and
/// key files by `text`.
package struct RawPath: Hashable, Sendable {
    package var bytes: [UInt8]

    package init(_ path: String) {
        bytes = Array(path.utf8)
    }

    package init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The path with `/name` appended.
    package func appending(_ name: [UInt8]) -> RawPath {
        var b = bytes
        if b.last != 0x2F { b.append(0x2F) }
        b.append(contentsOf: name)
        return RawPath(bytes: b)
    }

    /// The bytes with a terminating NUL, for system calls.
    package var cString: [CChar] {
        var c = bytes.map { CChar(bitPattern: $0) }
        c.append(0)
        return c
    }

    /// The path as text: well-formed UTF-8 as it is, and each byte of an ill-formed sequence
    /// as `\xHH` (two upper-case hex digits), so `caf\xE9.html` for Latin-1 `café.html`.
    package var text: String { RawPath.text(bytes) }

    /// True when the bytes are well-formed UTF-8 (then `text` is the same bytes).
    package var isUTF8: Bool { RawPath.firstIllFormed(bytes) == nil }

    /// `bytes` as text, escaping ill-formed UTF-8 as `\xHH` (`UTF8Validation` decides).
    package static func text(_ bytes: [UInt8]) -> String {
        guard firstIllFormed(bytes) != nil else { return String(decoding: bytes, as: UTF8.self) }
        let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 8)
        bytes.withUnsafeBufferPointer { b in
            guard let p = b.baseAddress else { return }
            var i = 0
            while i < b.count {
                let (length, valid) = UTF8Validation.sequence(at: i, in: p, count: b.count)
                if valid {
                    out.append(contentsOf: b[i..<(i + length)])
                } else {
                    for byte in b[i..<(i + length)] {
                        out.append(contentsOf: [0x5C, 0x78, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
                    }
                }
                i += length
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Offset of the first byte that does not start a well-formed UTF-8 sequence.
    static func firstIllFormed(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { b in
            guard let p = b.baseAddress else { return nil }
            var hasNUL = false
            return UTF8Validation.firstInvalid(p, count: b.count, hasNUL: &hasNUL)
        }
    }
}

/// What `stat` or `lstat` says about a path.
package struct FileStatus: Sendable, Equatable {
    package enum Kind: String, Sendable {
        case regular = "regular file"
        case directory
        case fifo = "FIFO (named pipe)"
        case characterDevice = "character device"
        case blockDevice = "block device"
        case socket
        case symbolicLink = "symbolic link"
        case unknown = "special file"
    }

    package var kind: Kind
    package var size: Int64
    package var mtimeNanos: Int64

    package var isDirectory: Bool { kind == .directory }
    package var isRegular: Bool { kind == .regular }

    init(_ st: stat) {
        switch st.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        case S_IFIFO: kind = .fifo
        case S_IFCHR: kind = .characterDevice
        case S_IFBLK: kind = .blockDevice
        case S_IFSOCK: kind = .socket
        case S_IFLNK: kind = .symbolicLink
        default: kind = .unknown
        }
        size = Int64(st.st_size)
        mtimeNanos = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
    }
}

extension FileSystem {
    /// `stat` (follows symbolic links).
    package static func status(_ path: RawPath, name: String? = nil) throws -> FileStatus {
        var st = stat()
        if stat(path.cString, &st) != 0 { throw SystemError(path: name ?? path.text, operation: "stat", errno: errno) }
        return FileStatus(st)
    }

    /// `lstat` (a symbolic link is itself).
    package static func linkStatus(_ path: RawPath, name: String? = nil) throws -> FileStatus {
        var st = stat()
        if lstat(path.cString, &st) != 0 { throw SystemError(path: name ?? path.text, operation: "stat", errno: errno) }
        return FileStatus(st)
    }

    /// Names in a directory as the file system holds them (no "." or ".."), unsorted.
    package static func entries(_ path: RawPath, name: String? = nil) throws -> [[UInt8]] {
        guard let dir = opendir(path.cString) else { throw SystemError(path: name ?? path.text, operation: "list", errno: errno) }
        defer { closedir(dir) }
        var names: [[UInt8]] = []
        while let entry = readdir(dir) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix(while: { $0 != 0 })) }
            if bytes != [0x2E] && bytes != [0x2E, 0x2E] { names.append(bytes) }
        }
        return names
    }
}
