import ArgumentParser
import Quarry

struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete documents by id.",
        discussion: """
            Removes documents from the index in one atomic commit. Ids that are not in the \
            index are reported and otherwise ignored.

            Example:
              quarry delete old-article.html drafts/notes.txt
            """)

    @OptionGroup var location: IndexLocation

    @Argument(help: ArgumentHelp("Ids of the documents to delete.", valueName: "id"))
    var ids: [String]

    func run() throws {
        let writer = try Index.open(location.index).writer()
        defer { writer.close() }
        let missing = try writer.delete(ids: ids)
        let commit = try writer.commit()
        for id in missing { Terminal.warning("no document with id '\(id)'") }
        print("deleted \(ids.count - missing.count) document\(ids.count - missing.count == 1 ? "" : "s"); the index holds \(grouped(commit.documents)) documents")
    }
}
