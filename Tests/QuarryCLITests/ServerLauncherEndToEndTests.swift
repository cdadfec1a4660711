import Foundation
import Testing

/// `quarry serve` and `quarry mcp` run `quarry-server` from beside `quarry`.
@Suite struct ServerLauncherEndToEndTests {
    @Test func serverHelpComesFromTheServerExecutable() throws {
        // The options exist only in quarry-server: seeing them proves the hand-over.
        for arguments in [["serve", "--help"], ["help", "serve"]] {
            let r = try CLI.run(arguments)
            #expect(r.status == 0, "\(arguments): \(r.stderr)")
            #expect(r.stdout.contains("--allow-path"), "\(arguments)")
            #expect(r.stdout.contains("USAGE: quarry serve"), "\(arguments)")
        }
        let mcp = try CLI.run(["mcp", "--help"])
        #expect(mcp.status == 0)
        #expect(mcp.stdout.contains("--timeout-ms"))
    }

    @Test func serverUsageErrorsKeepTheirExitStatus() throws {
        let r = try CLI.run(["serve", "--port", "not-a-number"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--port"))
    }

    @Test func rootHelpListsTheServerCommands() throws {
        let r = try CLI.run(["--help"])
        #expect(r.stdout.contains("serve "))
        #expect(r.stdout.contains("mcp "))
    }

    @Test func aMissingServerExecutableIsAClearError() throws {
        // A quarry installed without quarry-server beside it.
        let dir =
            NSTemporaryDirectory() + "quarry-launcher-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lone = dir + "/quarry"
        try FileManager.default.copyItem(atPath: CLI.binary, toPath: lone)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: lone)
        p.arguments = ["serve", "--port", "0"]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 1)
        #expect(message.contains("cannot run \(dir)/quarry-server"))
        #expect(message.contains("installed beside quarry"))
        // Every other command works without it.
        let version = Process()
        version.executableURL = URL(fileURLWithPath: lone)
        version.arguments = ["--version"]
        version.standardOutput = FileHandle.nullDevice
        try version.run()
        version.waitUntilExit()
        #expect(version.terminationStatus == 0)
    }
}
