import ArgumentParser
import Quarry
import QuarryCLI

#if canImport(Glibc)
import Glibc
#endif

/// The `quarry` command: a thin shell over the Quarry library.
@main
struct QuarryMain {
    static func main() {
        if let arguments = ServerLauncher.serverArguments(Array(CommandLine.arguments.dropFirst())) {
            ServerLauncher.run(arguments)
        }
        do {
            var command = try QuarryCommand.parseAsRoot()
            try command.run()
        } catch {
            exitWith(error, root: QuarryCommand.self)
        }
    }
}

struct QuarryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarry",
        abstract: "Index articles and search them: ranked documents and passages with BM25.",
        discussion: """
            Quarry keeps an index in a directory (default: Index/). Build or update it from \
            HTML, plain-text and BEIR JSON Lines files, then search it:

              quarry index Corpus/                       # index (again: only what changed)
              quarry search norepinephrine deficiency    # ranked documents with snippets
              quarry search --passages --json "what causes low norepinephrine"
              quarry show norepinephrine-deficiency.txt  # a stored document
              quarry stats                               # what the index holds
              quarry serve                               # HTTP JSON API on 127.0.0.1:7700
              quarry mcp                                 # MCP server on stdin/stdout

            Exit codes: 0 success, 1 failure, 2 usage or query error, 3 no index at the \
            given path, 4 index locked by another writer, 5 index damaged, 6 search \
            stopped by its --timeout.
            """,
        version: quarryVersion,
        subcommands: [
            IndexCommand.self, SearchCommand.self, ShowCommand.self, StatsCommand.self, EvalCommand.self, DeleteCommand.self,
            MergeCommand.self, CheckCommand.self,
            ServeCommand.self, MCPCommand.self,  // run by quarry-server (ServerLauncher)
        ]
    )
}
