import QuarryCore
import QuarryDocument
import QuarryIndex
import QuarryIngest

/// Keeps an index in step with files on disk: walks sources, tells changed from unchanged
/// ones by their size, time and content hash, has the writer add what changed and delete
/// what disappeared, and keeps its state (options, named directories, the table of sources
/// and what became of each) as the payload of each commit. Rules: docs/INDEXING.md.
/// Not thread-safe (like the writer it drives).
package final class CollectionSync {
    package let writer: IndexWriter
    /// Options, named directories and indexed sources, as of the last commit plus this
    /// writer's changes.
    package internal(set) var state: CollectionState
    /// What a rebuild keeps of the index it replaces: documents deleted with `delete`
    /// (by source path). Empty otherwise.
    var carried: [String: SourceRecord] = [:]
    var stateChanged = false
    /// Notes about the state read (a rebuild that could not read the old one).
    package internal(set) var openingNotes: [String] = []

    /// Takes over an open writer and reads the state kept with its commit. A rebuild starts
    /// with no sources, but keeps the options, the names of directories and the deletions
    /// made with `delete` of the index it replaces.
    package init(writer: IndexWriter) throws {
        self.writer = writer
        state = CollectionState()
        if let payload = try writer.committedPayload() {
            let name = writer.directory + "/" + (writer.committedManifest?.payloadFile ?? "sources")
            state = try CollectionSync.decode(payload, name: name)
        } else if writer.options.rebuild {
            do {
                let manifest = try Manifest.read(directory: writer.directory, olderFormat: true)
                if !manifest.payloadFile.isEmpty {
                    let old = try CollectionSync.decode(
                        try readPayload(directory: writer.directory, file: manifest.payloadFile, olderFormat: true),
                        name: writer.directory + "/" + manifest.payloadFile)
                    state.options = old.options
                    state.roots = old.roots
                    carried = old.sources.filter { $0.value.deletedByUser || !$0.value.deletedIDs.isEmpty }
                }
            } catch IndexError.notFound {
                // A new index.
            } catch {
                openingNotes.append(
                    "the state of the index being replaced could not be read (\(error)): "
                        + "its options and the deletions made with 'delete' are not kept")
            }
        }
        if state.version < SourcesTable.currentVersion { stateChanged = true }
    }

    private static func decode(_ payload: [UInt8], name: String) throws -> CollectionState {
        do {
            return try payload.withUnsafeBytes { try SourcesTable.decode($0, name: name) }
        } catch let e as FormatError {
            throw IndexError.corrupt(e)
        }
    }

    /// Indexes BEIR-style JSON lines (a batch of standard input, say): each document is
    /// added, or replaces the document with its id. Lines longer than `maxLineBytes` are
    /// reported and skipped. `lineBase` and `byteBase` are the lines and bytes before the
    /// batch (for messages). Call `commit()` after.
    package func add(
        jsonLines bytes: [UInt8], displayPath: String = "<stdin>", maxLineBytes: Int = FeedOptions().maxDocumentBytes,
        lineBase: Int = 0, byteBase: Int = 0, progress: ((IndexingProgress) -> Void)? = nil
    ) throws -> SyncReport {
        var report = SyncReport()
        let file = LineFile(bytes: bytes)
        let scan = try file.scan(chunkBytes: 1 << 20, maxLineBytes: maxLineBytes)
        var items = scan.chunks.map { SourceFeed.Item.lines(input: 0, range: $0) }
        items += scan.oversized.map { SourceFeed.Item.oversizedLine(input: 0, range: $0.range, line: $0.line) }
        let input = SourceInput(
            path: "-", file: nil, displayPath: displayPath, id: "", format: .beir, size: bytes.count,
            previousHash: nil, lines: file, lineBase: lineBase, byteBase: byteBase)
        let feed = SourceFeed(inputs: [input], items: items, options: FeedOptions(maxDocumentBytes: maxLineBytes))
        let indexing = try writer.add(feed, progress: progress)
        report.issues.append(contentsOf: feed.issues)
        report.take(indexing)
        return report
    }

    /// Deletes documents by id (see `IndexWriter.delete(ids:)`); the sources they came from
    /// remember it, so that a sync leaves them out until it is asked to restore them.
    /// Returns the ids not found, and how many deleted documents came from files.
    package func delete(ids: [String]) throws -> (missing: [String], fromFiles: Int) {
        let origins = try writer.origins(ofIDs: ids)
        let missing = try writer.delete(ids: ids)
        var fromFiles = 0
        for (id, paths) in origins {
            for path in paths {
                guard var record = state.sources[path] else { continue }
                if record.format == .beir {
                    if !record.deletedIDs.contains(id) {
                        record.deletedIDs.append(id)
                        record.deletedIDs.sort(by: utf8Precedes)
                    }
                } else if record.documentID == id {
                    record.deletedByUser = true
                } else {
                    continue
                }
                state.sources[path] = record
                fromFiles += 1
                stateChanged = true
            }
        }
        return (missing, fromFiles)
    }

    /// Publishes the writer's changes with the collection's state (when it changed) as the
    /// commit's payload.
    @discardableResult
    package func commit() throws -> Manifest {
        if stateChanged || writer.options.rebuild && writer.committedManifest == nil {
            writer.setPayload(SourcesTable.encode(state))
        }
        let manifest = try writer.commit()
        stateChanged = false
        carried = [:]
        return manifest
    }
}

extension CollectionSync {
    /// Problems with the collection's state kept with the current commit of `directory`
    /// (its envelope and checksum are the index checker's; this checks its records).
    package static func checkSources(directory: String) -> [CheckProblem] {
        do {
            let manifest = try Manifest.read(directory: directory)
            guard !manifest.payloadFile.isEmpty else { return [] }
            let body = try readPayload(directory: directory, file: manifest.payloadFile)
            _ = try body.withUnsafeBytes { try SourcesTable.decode($0, name: directory + "/" + manifest.payloadFile) }
            return []
        } catch let e as FormatError {
            return [CheckProblem(file: e.file, offset: e.offset, message: e.message)]
        } catch {
            // Unreadable or damaged files are reported by the index checker.
            return []
        }
    }
}
