import ArgumentParser
import Quarry
import QuarryCLI

struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete documents by id.",
        discussion: """
            Removes documents from the index in one atomic commit. Ids that are not in the \
            index are reported and otherwise ignored. A document that came from a file stays \
            out of the index when 'quarry index' runs again, as long as the file is there, \
            until 'quarry index --restore' brings it back.

            Example:
              quarry delete old-article.html drafts/notes.txt
            """)

    @OptionGroup var location: IndexLocation

    @Argument(help: ArgumentHelp("Ids of the documents to delete.", valueName: "id"))
    var ids: [String]

    func run() throws {
        let writer = try Index.open(location.index).writer()
        defer { writer.close() }
        let result = try writer.deleteDocuments(ids: ids)
        let commit = try writer.commit()
        for id in result.missing { Terminal.warning("no document with id '\(id)'") }
        let deleted = ids.count - result.missing.count
        print("deleted \(deleted) document\(deleted == 1 ? "" : "s"); the index holds \(grouped(commit.documents)) documents")
        if result.fromFiles > 0 {
            let them = result.fromFiles == 1 ? "it" : "them"
            Terminal.note(
                "'quarry index' will leave \(them) out while \(result.fromFiles == 1 ? "its file exists" : "their files exist"); 'quarry index --restore' brings \(them) back"
            )
        }
    }
}
