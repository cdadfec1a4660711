import Foundation
import Testing

/// The MCP server driven by the official Python SDK (Python/mcp_client_check.py): over
/// stdio and streamable HTTP, every tool, and the same-id concurrency case. scripts/setup
/// installs the `mcp` package.
@Suite("quarry mcp and /mcp with the official MCP Python client")
struct MCPClientTests {
    @Test("initialize, list tools, call each tool, concurrent requests with one id")
    func pythonClient() throws {
        let dir = try temporaryDirectory("mcp")
        var docs = sampleDocuments(30)
        docs.append(
            (
                "fruit/kumquat", "Kumquat grove",
                "The kumquat grove. Ünïcode text: a café for the naïve, 東京 too.\n\nMore about the kumquat harvest."
            ))
        try buildIndex(dir + "/index", docs)
        let server = try ServerProcess(index: dir + "/index")
        let script = Build.packageRoot + "/Tests/QuarryServerTests/Python/mcp_client_check.py"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [
            "python3", script, "--quarry", Build.quarry, "--index", dir + "/index",
            "--url", "http://127.0.0.1:\(server.port)/mcp", "--documents", String(docs.count),
        ]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let hint = output.contains("No module named 'mcp'") ? " (install the client: scripts/setup, or pip install mcp)" : ""
        #expect(p.terminationStatus == 0, "the MCP client check failed\(hint):\n\(output)")
        #expect(output.contains("ok: stdio"))
        #expect(output.contains("ok: http (legacy)"))
        #expect(output.contains("ok: 40 concurrent HTTP requests with JSON-RPC id 1"))
        #expect(server.terminate() == 0)
    }
}
