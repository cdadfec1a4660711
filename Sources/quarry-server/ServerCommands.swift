import ArgumentParser
import Quarry
import QuarryCLI
import QuarryServer

#if canImport(Glibc)
import Glibc
#endif

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: ServerCommandText.serveAbstract,
        discussion: """
            One process serves one index. It prints the address it listens on (--port 0 \
            picks a free port) and runs until SIGTERM or SIGINT, which let requests in \
            flight and a running write finish.

            Reads: GET|POST /search, GET /documents/{id}, GET /stats, /health, /ready, \
            /metrics (Prometheus), /openapi.yaml. Writes are tasks (202 and a task id; \
            GET /tasks/{id}): POST /documents (a JSON array or JSON lines of {"id", \
            "title", "text"}), DELETE /documents/{id}, POST /index {"paths": [...]} for \
            directories given with --allow-path. MCP clients connect to /mcp (streamable \
            HTTP).

            Commits of any writer (this server's tasks, or quarry index from cron) are \
            served within a second; the writer lock is held only while a task runs.

            Security: the default address is loopback only; another address needs \
            --token. With a token, every route but /health needs 'Authorization: Bearer \
            TOKEN'; without one, writes are refused. The token can come from QUARRY_TOKEN \
            instead of the command line (which other users can see in ps).

            Examples:
              quarry serve --index Index
              QUARRY_TOKEN=s3cret-token quarry serve --host 0.0.0.0 --allow-path /srv/docs
              curl 'http://127.0.0.1:7700/search?q=csrf+token&limit=5'
            """)

    @OptionGroup var location: IndexLocation

    @Option(help: ArgumentHelp("Address to listen on (loopback by default; another needs --token).", valueName: "addr"))
    var host: String = "127.0.0.1"

    @Option(help: ArgumentHelp("Port (0: any free port, printed).", valueName: "port"))
    var port: Int = 7700

    @Option(help: ArgumentHelp("Bearer token for every route but /health; needed for writes (or set QUARRY_TOKEN).", valueName: "token"))
    var token: String?

    @Option(name: .customLong("allow-path"), help: ArgumentHelp("A directory POST /index may read (repeatable).", valueName: "dir"))
    var allowPaths: [String] = []

    @Option(
        name: .customLong("allow-origin"),
        help: ArgumentHelp("A browser origin allowed to call /mcp besides loopback ones (repeatable).", valueName: "origin"))
    var allowOrigins: [String] = []

    @Option(name: .customLong("max-body-mb"), help: ArgumentHelp("Largest request body, in MB.", valueName: "mb"))
    var maxBodyMB: Int = 16

    @Option(name: .customLong("timeout-ms"), help: ArgumentHelp("Deadline of a request, in milliseconds (503 past it).", valueName: "ms"))
    var timeoutMS: Int = 10_000

    @Option(name: .customLong("max-limit"), help: ArgumentHelp("Largest limit (and offset / 10) a search may ask for.", valueName: "n"))
    var maxLimit: Int = 1000

    @Option(help: ArgumentHelp("Threads that run searches (default: one per core).", valueName: "n"))
    var searchThreads: Int?

    @Option(
        name: .customLong("lock-wait-s"),
        help: ArgumentHelp("How long a write task waits for a writer lock held by another process, in seconds.", valueName: "s"))
    var lockWaitSeconds: Int = 30

    func validate() throws {
        if maxBodyMB < 1 || maxBodyMB > 4096 { throw ValidationError("--max-body-mb must be from 1 to 4096") }
        if timeoutMS < 1 { throw ValidationError("--timeout-ms must be 1 or more") }
        if maxLimit < 1 { throw ValidationError("--max-limit must be 1 or more") }
        if let t = searchThreads, t < 1 { throw ValidationError("--search-threads must be 1 or more") }
        if lockWaitSeconds < 0 { throw ValidationError("--lock-wait-s must be 0 or more") }
    }

    func run() async throws {
        var c = ServerConfiguration(indexDirectory: location.index)
        c.host = host
        c.port = port
        c.token = token ?? environment("QUARRY_TOKEN")
        c.allowedPaths = allowPaths
        c.allowedOrigins = allowOrigins
        c.maxBodyBytes = maxBodyMB << 20
        c.requestTimeout = .milliseconds(timeoutMS)
        c.maxLimit = maxLimit
        c.maxOffset = maxLimit * 10
        if let searchThreads { c.searchThreads = searchThreads }
        c.lockWait = .seconds(lockWaitSeconds)
        c.version = quarryVersion
        do {
            try await QuarryHTTPServer.run(
                c,
                announce: { address in
                    // Tests and scripts read this line to find the port.
                    print("quarry: listening on \(address)")
                    fflush(nil)
                }, log: { Terminal.note($0) })
        } catch let e as ServerError {
            switch e {
            case .configuration(let message): throw CommandFailure(status: .usage, message: message)
            case .startup(let message): throw CommandFailure(status: .failure, message: message)
            }
        }
    }
}

struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: ServerCommandText.mcpAbstract,
        discussion: """
            What desktop agents launch: the Model Context Protocol on stdin/stdout, with the \
            read-only tools search, search_passages, get_document and index_stats. Commits \
            made meanwhile (quarry index, quarry serve) are picked up within a second. \
            Nothing but the protocol is written to standard output.

            Example client configuration:
              {"mcpServers": {"quarry": {"command": "quarry", "args": ["mcp", "--index", "/path/to/Index"]}}}
            """)

    @OptionGroup var location: IndexLocation

    @Option(name: .customLong("timeout-ms"), help: ArgumentHelp("Deadline of a tool call, in milliseconds.", valueName: "ms"))
    var timeoutMS: Int = 10_000

    func validate() throws {
        if timeoutMS < 1 { throw ValidationError("--timeout-ms must be 1 or more") }
    }

    func run() async throws {
        var c = ServerConfiguration(indexDirectory: location.index)
        c.requestTimeout = .milliseconds(timeoutMS)
        c.version = quarryVersion
        try await MCPStdioServer.run(c)
    }
}
