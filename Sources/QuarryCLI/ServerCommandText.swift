/// What `quarry --help` says of the commands that `quarry-server` runs: the same words in
/// both executables' help.
package enum ServerCommandText {
    package static let serveAbstract = "Serve an index over HTTP: a JSON API for search and writes, and MCP at /mcp."
    package static let mcpAbstract = "Serve an index to an MCP client over standard input and output."
    /// The name of the executable, installed beside `quarry`, that `quarry serve` and
    /// `quarry mcp` run.
    package static let executable = "quarry-server"
}
