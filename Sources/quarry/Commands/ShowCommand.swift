import ArgumentParser
import Quarry
import QuarryCLI

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a stored document by id.",
        discussion: """
            Prints the title, path and text of a document as Quarry stored it (after HTML \
            extraction and whitespace normalisation). --json adds its blocks and passages \
            with byte and character offsets, the same offsets search results use.

            Example:
              quarry show norepinephrine-deficiency.txt
              quarry show --json norepinephrine-deficiency.txt | jq '.passages[3]'
            """)

    @OptionGroup var location: IndexLocation

    @Flag(help: "Print JSON (schema quarry.document/1) with blocks and passages.")
    var json = false

    @Argument(help: ArgumentHelp("Document id (as in search results).", valueName: "id"))
    var id: String

    func run() throws {
        let searcher = try Searcher(directory: location.index)
        let doc: StoredDocument
        do {
            doc = try searcher.document(id: id)
        } catch {
            guard case .unknownDocument = error else { throw error }
            throw CommandFailure(
                status: .failure, message: "no document with id '\(id)' in \(location.index) (ids are shown by 'quarry search')")
        }
        var out = Output()
        defer { out.flush() }
        if json {
            out.line(JSONContract.document(doc))
            return
        }
        let color = Terminal.stdoutColor
        out.line(Terminal.styled(SafeText.line(doc.title.isEmpty ? doc.id : doc.title), .bold, enabled: color))
        let date = doc.date.map { "  date \(ISODate.format($0))" } ?? ""
        out.line(
            Terminal.styled(
                "id \(SafeText.line(doc.id))  path \(SafeText.line(doc.path))\(date)  \(doc.passages.count) passages", .dim, enabled: color)
        )
        out.line("")
        out.line(SafeText.text(doc.body))
    }
}
