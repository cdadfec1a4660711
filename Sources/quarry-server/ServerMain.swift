import ArgumentParser
import QuarryCLI

/// `quarry-server`: the HTTP and MCP servers, in their own executable so that the rest of
/// `quarry` starts without loading them (the networking stack and its libraries cost a
/// one-shot search more than its own work). `quarry serve` and `quarry mcp` run it in place
/// of themselves (same process id, standard input and output, signals), so users and MCP
/// client configurations name `quarry` only.
@main
struct ServerMain {
    static func main() async {
        do {
            var command = try ServerRoot.parseAsRoot()
            if var server = command as? any AsyncParsableCommand {
                try await server.run()
            } else {
                try command.run()
            }
        } catch {
            exitWith(error, root: ServerRoot.self)
        }
    }
}

/// Named `quarry` so that usage lines and errors read as the user typed them (`quarry serve`).
struct ServerRoot: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarry",
        abstract: "The servers of quarry: quarry serve (HTTP and MCP) and quarry mcp (MCP on stdin/stdout).",
        version: quarryVersion,
        subcommands: [ServeCommand.self, MCPCommand.self]
    )
}
