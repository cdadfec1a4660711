import Testing

@testable import QuarryCore

#if canImport(Glibc)
import Glibc
#endif

/// A fresh directory under /tmp, removed by the caller.
private func scratch(_ name: String) throws -> String {
    let dir = "/tmp/quarry-core-\(getpid())-\(name)-\(UInt32.random(in: 0...UInt32.max))"
    try FileSystem.makeDirectories(dir)
    return dir
}

private func write(_ path: RawPath, _ bytes: [UInt8]) throws {
    let fd = open(path.cString, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw SystemError(path: path.text, operation: "create", errno: errno) }
    defer { close(fd) }
    _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
}

@Suite("Reading files safely")
struct FileSafetyTests {
    @Test("a FIFO is refused at once, not waited on: read, MappedFile and openRegularFile say what it is")
    func fifo() throws {
        let dir = try scratch("fifo")
        defer { try? FileSystem.removeTree(dir) }
        let path = dir + "/pipe.html"
        #expect(mkfifo(path, 0o644) == 0)
        // No writer ever opens the FIFO: a blocking open would hang this test.
        let e = try #require(throws: SystemError.self) { try FileSystem.read(path) }
        #expect(e.reason == "not a regular file (a FIFO (named pipe))")
        #expect(e.path == path)
        #expect(throws: SystemError.self) { try MappedFile(path: path) }
        #expect(throws: SystemError.self) { try FileSystem.openRegularFile(RawPath(path)) }
    }

    @Test("a device such as /dev/zero is refused instead of read forever")
    func device() throws {
        guard FileSystem.exists("/dev/zero") else { return }
        let e = try #require(throws: SystemError.self) { try FileSystem.read("/dev/zero") }
        #expect(e.reason.contains("character device"))
    }

    @Test("reads are bounded: a file over the limit is refused with its size and the limit; one at the limit is read")
    func limit() throws {
        let dir = try scratch("limit")
        defer { try? FileSystem.removeTree(dir) }
        let path = dir + "/big.txt"
        try write(RawPath(path), [UInt8](repeating: 0x61, count: 3 << 20))
        let e = try #require(throws: SystemError.self) { try FileSystem.read(path, limit: 1 << 20) }
        #expect(e.errno == EFBIG)
        #expect(e.reason == "the file is 3.0 MB, over the limit of 1.0 MB")
        #expect(try FileSystem.read(path, limit: 3 << 20).count == 3 << 20)
        #expect(try FileSystem.read(path).count == 3 << 20)
        try write(RawPath(path), [])
        #expect(try FileSystem.read(path, limit: 0) == [])
    }

    @Test("names that are not UTF-8: text escapes each bad byte as \\xHH, and the raw bytes open the file")
    func rawNames() throws {
        #expect(RawPath.text(Array("café/ok.html".utf8)) == "café/ok.html")
        #expect(RawPath.text([0x63, 0x61, 0x66, 0xE9, 0x2E, 0x68]) == "caf\\xE9.h")
        // A surrogate (ED A0 80), an overlong form (C0 AF) and a truncated sequence (E2 82).
        #expect(RawPath.text([0xED, 0xA0, 0x80]) == "\\xED\\xA0\\x80")
        #expect(RawPath.text([0xC0, 0xAF, 0x41]) == "\\xC0\\xAFA")
        #expect(RawPath.text([0x41, 0xE2, 0x82]) == "A\\xE2\\x82")
        #expect(RawPath.text([0xF0, 0x9F, 0x98, 0x80]) == "😀")
        #expect(!RawPath(bytes: [0xE9]).isUTF8 && RawPath("é").isUTF8)

        let dir = try scratch("raw")
        defer { try? FileSystem.removeTree(dir) }
        let name: [UInt8] = Array("caf".utf8) + [0xE9] + Array(".html".utf8)
        let file = RawPath(dir).appending(name)
        try write(file, Array("hello".utf8))
        #expect(try FileSystem.entries(RawPath(dir)) == [name])
        #expect(try FileSystem.list(dir) == ["caf\\xE9.html"])
        #expect(try FileSystem.read(file) == Array("hello".utf8))
        #expect(try FileSystem.status(file).isRegular)
        try FileSystem.removeTree(dir)
        #expect(!FileSystem.exists(dir))
    }

    @Test("removeTree does not follow a symbolic link to a directory")
    func removeTreeKeepsLinkedDirectories() throws {
        let dir = try scratch("links")
        let kept = try scratch("kept")
        defer {
            try? FileSystem.removeTree(dir)
            try? FileSystem.removeTree(kept)
        }
        try write(RawPath(kept + "/x.txt"), [1])
        #expect(symlink(kept, dir + "/link") == 0)
        try FileSystem.removeTree(dir)
        #expect(FileSystem.exists(kept + "/x.txt"))
    }
}
