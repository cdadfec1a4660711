import Foundation
import MCP
import Quarry

/// `/mcp` over streamable HTTP, stateless: every HTTP request gets a server and a
/// transport of its own. The SDK's stateless transport (0.12.x) keeps one waiter per
/// JSON-RPC id, so two concurrent requests with the same id (agents send `id: 1` every
/// time) would leave one of them waiting forever (swift-sdk issue 254); with a transport
/// per request, ids never meet. Stateless servers need no `initialize` before other
/// requests (the SDK's non-strict mode), which is what makes this work.
struct MCPHTTPEndpoint: Sendable {
    let tools: QuarryMCPTools
    let version: String

    func handle(method: String, headers: [String: String], body: Data) async -> MCP.HTTPResponse {
        let server = makeMCPServer(version: version)
        await tools.register(on: server)
        // Origins are checked by the HTTP layer (loopback or --allow-origin).
        let transport = StatelessHTTPServerTransport(
            validationPipeline: StandardValidationPipeline(validators: [
                AcceptHeaderValidator(mode: .jsonOnly), ContentTypeValidator(), ProtocolVersionValidator(),
            ]))
        do {
            try await server.start(transport: transport)
        } catch {
            return .error(statusCode: 500, .internalError("the MCP server could not start: \(error)"))
        }
        let response = await transport.handleRequest(MCP.HTTPRequest(method: method, headers: headers, body: body, path: "/mcp"))
        await server.stop()
        return response
    }
}

func makeMCPServer(version: String) -> Server {
    Server(
        name: "quarry", version: version, title: "Quarry full-text search",
        instructions:
            "Search a local full-text index: search for ranked documents with snippets, search_passages for the best passages to quote (exact offsets), get_document to read a document or a byte range of it, index_stats for what the index holds.",
        capabilities: Server.Capabilities(tools: .init(listChanged: false)))
}

/// `quarry mcp`: the MCP server over standard input and output, as desktop agents launch
/// it. Commits made meanwhile (by `quarry index` or `quarry serve`) are picked up.
public enum MCPStdioServer {
    public static func run(_ configuration: ServerConfiguration) async throws {
        let store = SnapshotStore(directory: configuration.indexDirectory)
        store.refresh()
        let pool = SearchPool(threads: configuration.searchThreads)
        defer { pool.stop() }
        let refresher = Task.detached {
            while !Task.isCancelled {
                try? await Task.sleep(for: configuration.refreshInterval)
                _ = await Offload.run { store.refresh() }
            }
        }
        defer { refresher.cancel() }
        let server = makeMCPServer(version: configuration.version)
        await QuarryMCPTools(store: store, pool: pool, timeout: configuration.requestTimeout).register(on: server)
        try await server.start(transport: StdioTransport())
        await server.waitUntilCompleted()
    }
}
