import ArgumentParser
import QuarryCLI

#if canImport(Glibc)
import Glibc
#endif

/// `quarry serve` and `quarry mcp` run `quarry-server`, installed beside this executable, in
/// place of this process (execv: the same process id, standard streams and signals, so an
/// MCP client's `{"command": "quarry", "args": ["mcp"]}` talks to the server directly). The
/// servers live in their own executable so that every other command starts without loading
/// the networking stack: measured on the 784k-document index, a one-shot search took 27.8 ms
/// with the servers linked in and 18.7 ms without.
enum ServerLauncher {
    /// The arguments for `quarry-server` when `arguments` (without the program name) ask for
    /// a server command: `serve ...`, `mcp ...`, or `help serve` / `help mcp`.
    static func serverArguments(_ arguments: [String]) -> [String]? {
        guard let first = arguments.first else { return nil }
        if isServerCommand(first) { return arguments }
        if first == "help", arguments.count >= 2, isServerCommand(arguments[1]) { return [arguments[1], "--help"] }
        return nil
    }

    static func isServerCommand(_ name: String) -> Bool {
        name == ServeCommand.configuration.commandName || name == MCPCommand.configuration.commandName
    }

    /// Replaces this process with `quarry-server ARGUMENTS`; returns only by exiting with an
    /// error that says what is missing.
    static func run(_ arguments: [String]) -> Never {
        let path = serverPath()
        let argv = ([path] + arguments).map { strdup($0) }
        var pointers: [UnsafeMutablePointer<CChar>?] = argv + [nil]
        execv(path, &pointers)
        let reason = String(cString: strerror(errno))
        for p in argv { free(p) }
        Terminal.error(
            "cannot run \(path): \(reason) (quarry \(arguments.first ?? "serve") runs the \(ServerCommandText.executable) "
                + "executable, which must be installed beside quarry; 'swift build' builds both)")
        exit(ExitStatus.failure.rawValue)
    }

    /// `quarry-server` in the directory of this executable's file (through any symlink on
    /// PATH, as /proc/self/exe names it).
    static func serverPath() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let me: String
        if count > 0 {
            me = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        } else {
            me = CommandLine.arguments.first ?? "quarry"
        }
        guard let slash = me.lastIndex(of: "/") else { return ServerCommandText.executable }
        return String(me[...slash]) + ServerCommandText.executable
    }
}

/// `quarry serve`, as `quarry --help` lists it; ServerLauncher hands every use of it to
/// `quarry-server`, whose ServeCommand has the options and the full help.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: ServerCommandText.serveAbstract,
        discussion: "Run by \(ServerCommandText.executable); 'quarry serve --help' lists its options.")

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The server's options (quarry serve --help)."))
    var arguments: [String] = []

    func run() throws { ServerLauncher.run(["serve"] + arguments) }
}

/// `quarry mcp`, as `quarry --help` lists it (see ServeCommand).
struct MCPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp", abstract: ServerCommandText.mcpAbstract,
        discussion: "Run by \(ServerCommandText.executable); 'quarry mcp --help' lists its options.")

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The server's options (quarry mcp --help)."))
    var arguments: [String] = []

    func run() throws { ServerLauncher.run(["mcp"] + arguments) }
}
