import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The built `quarry` executable and the package root.
enum Build {
    static let quarry: String = {
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = me.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("quarry").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return me.deletingLastPathComponent().appendingPathComponent("quarry").path
    }()

    static let packageRoot: String = {
        var parts = #filePath.split(separator: "/").map(String.init)
        parts.removeLast(3)
        return "/" + parts.joined(separator: "/")
    }()
}

/// Runs `quarry` to completion.
@discardableResult
func runQuarry(_ arguments: [String], stdin: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: Build.quarry)
    p.arguments = arguments
    let out = Pipe(), err = Pipe(), input = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = input
    try p.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    let errData = Locked(Data())
    let reader = Thread { errData.withLock { $0 = err.fileHandleForReading.readDataToEndOfFile() } }
    reader.start()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    while errData.withLock({ $0.isEmpty }) && !reader.isFinished { usleep(1000) }
    return (p.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData.withLock { $0 }, as: UTF8.self))
}

/// A temporary directory, removed when the test process exits.
func temporaryDirectory(_ name: String) throws -> String {
    let dir =
        NSTemporaryDirectory() + "quarry-server-\(ProcessInfo.processInfo.processIdentifier)-\(name)-\(UInt32.random(in: 0...UInt32.max))"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    Cleanup.register(directory: dir)
    return dir
}

/// Servers still running and directories left when the test process exits (servers shared
/// by a suite live until then) are killed and removed.
enum Cleanup {
    private static let pids = Locked<[Int32]>([])
    private static let directories = Locked<[String]>([])
    private static let installed: Void = {
        atexit {
            for pid in Cleanup.pids.withLock({ $0 }) { kill(pid, SIGKILL) }
            for dir in Cleanup.directories.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: dir) }
        }
    }()

    static func register(pid: Int32) {
        _ = installed
        pids.withLock { $0.append(pid) }
    }

    static func unregister(pid: Int32) {
        pids.withLock { $0.removeAll { $0 == pid } }
    }

    static func register(directory: String) {
        _ = installed
        directories.withLock { $0.append(directory) }
    }
}

/// BEIR lines for `quarry index --stdin` or `POST /documents`.
func beirLines(_ docs: [(id: String, title: String, text: String)]) -> String {
    docs.map { d in
        let o: [String: String] = ["_id": d.id, "title": d.title, "text": d.text]
        let data = (try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }.joined(separator: "\n") + "\n"
}

/// Builds an index at `dir` from BEIR documents with `quarry index --stdin`.
func buildIndex(_ dir: String, _ docs: [(id: String, title: String, text: String)]) throws {
    let r = try runQuarry(["index", "--index", dir, "--stdin", "-q"], stdin: beirLines(docs))
    guard r.status == 0 else { throw ClientError("quarry index failed (\(r.status)): \(r.stderr)") }
}

/// A running `quarry serve` on 127.0.0.1 with `--port 0`; the port is read from the line
/// it prints. Killed (SIGKILL) when released without `terminate()`.
final class ServerProcess: @unchecked Sendable {
    // @unchecked: `process` is used from the test's thread only; the buffers are locked.
    let process = Process()
    let port: Int
    private let stderrBuffer = Locked(Data())
    private let stdoutLines = Locked<[String]>([])

    init(index: String, _ extra: [String] = [], environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: Build.quarry)
        process.arguments = ["serve", "--index", index, "--port", "0"] + extra
        var env = ProcessInfo.processInfo.environment
        env["QUARRY_TOKEN"] = nil
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        Cleanup.register(pid: process.processIdentifier)
        let announced = DispatchSemaphore(value: 0)
        let lines = stdoutLines
        Thread {
            var pending = Data()
            while true {
                let d = out.fileHandleForReading.availableData
                if d.isEmpty { break }
                pending += d
                while let nl = pending.firstIndex(of: 0x0A) {
                    let line = String(decoding: pending[pending.startIndex..<nl], as: UTF8.self)
                    pending = pending[(nl + 1)...]
                    lines.withLock { $0.append(line) }
                    announced.signal()
                }
            }
            announced.signal()
        }.start()
        let buffer = stderrBuffer
        Thread {
            while true {
                let d = err.fileHandleForReading.availableData
                if d.isEmpty { break }
                buffer.withLock { $0 += d }
            }
        }.start()
        // The first stdout line says where it listens (generous cap: a debug build starting).
        _ = announced.wait(timeout: .now() + 60)
        guard let first = stdoutLines.withLock({ $0.first }), let portText = first.split(separator: ":").last, let port = Int(portText)
        else {
            process.terminate()
            throw ClientError(
                "quarry serve did not announce its address; stderr: \(String(decoding: stderrBuffer.withLock { $0 }, as: UTF8.self))")
        }
        self.port = port
    }

    var stderr: String { String(decoding: stderrBuffer.withLock { $0 }, as: UTF8.self) }

    /// Sends SIGTERM and waits for the exit status.
    func terminate() -> Int32 {
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        Cleanup.unregister(pid: process.processIdentifier)
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        Cleanup.unregister(pid: process.processIdentifier)
    }

    func get(_ target: String, token: String? = nil) throws -> HTTPResult { try HTTP.get(port: port, target, token: token) }

    func post(_ target: String, json: String, token: String? = nil, contentType: String = "application/json") throws -> HTTPResult {
        try HTTP.post(port: port, target, json: json, token: token, contentType: contentType)
    }

    /// Polls a task until it has ended (at most `cap` seconds).
    func waitForTask(_ id: Int, token: String, cap: Double = 60) throws -> [String: Any] {
        let until = Date().addingTimeInterval(cap)
        while Date() < until {
            let t = try get("/tasks/\(id)", token: token).json()
            if let s = t["status"] as? String, s == "succeeded" || s == "failed" { return t }
            usleep(20_000)
        }
        throw ClientError("task \(id) did not end within \(cap) s")
    }

    /// Polls until `condition` holds (at most `cap` seconds); whether it did.
    func eventually(cap: Double = 20, _ condition: () throws -> Bool) rethrows -> Bool {
        let until = Date().addingTimeInterval(cap)
        while Date() < until {
            if try condition() { return true }
            usleep(20_000)
        }
        return false
    }
}

/// A small corpus: the repository's Corpus/ articles are not needed; these documents are
/// made so that tests know what matches.
func sampleDocuments(_ n: Int, prefix: String = "docs/", marker: String = "") -> [(id: String, title: String, text: String)] {
    let topics = ["csrf token validation", "grace period rcu", "norepinephrine deficiency", "zebra quartz whistle", "kernel scheduler"]
    return (0..<n).map { i in
        let topic = topics[i % topics.count]
        let folder = i % 3 == 0 ? "api/" : i % 3 == 1 ? "guide/" : "misc/"
        let words = (0..<(20 + i % 40)).map { "w\(($0 * 7 + i) % 50)" }.joined(separator: " ")
        return (
            id: "\(prefix)\(folder)\(String(format: "%04d", i))", title: "Note \(i) on \(topic)",
            text:
                "\(topic) \(marker) paragraph one \(words). Second sentence about \(topic) and more \(words).\n\nAnother paragraph with café and \(topic)."
        )
    }
}

/// A value behind a lock, shared by reference between threads.
final class Locked<T: Sendable>: Sendable {
    private let mutex: Mutex<T>
    init(_ value: T) { mutex = Mutex(value) }
    func withLock<R>(_ body: (inout T) -> R) -> R { mutex.withLock { body(&$0) } }
}
