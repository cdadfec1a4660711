import QuarryCore
import QuarryDocument
import QuarryIndex
import QuarryIngest

/// Keeps an index in step with files on disk: walks sources, tells changed from unchanged
/// ones by their size, time and content hash, has the writer add what changed and delete
/// what disappeared, and keeps the table of indexed sources as the payload of each commit.
/// Not thread-safe (like the writer it drives).
package final class CollectionSync {
    package let writer: IndexWriter
    /// The indexed sources, by absolute path.
    private(set) var sources: [String: SourceRecord]
    private var sourcesChanged = false

    /// Takes over an open writer and reads the sources table of its commit.
    package init(writer: IndexWriter) throws {
        self.writer = writer
        sources = [:]
        if let payload = try writer.committedPayload() {
            let name = writer.directory + "/" + (writer.committedManifest?.payloadFile ?? "sources")
            do {
                sources = try payload.withUnsafeBytes { try SourcesTable.decode($0, name: name) }
            } catch let e as FormatError {
                throw IndexError.corrupt(e)
            }
        }
    }

    /// Indexes files and directories incrementally: new sources are added, changed ones
    /// replaced, unchanged ones skipped without parsing, and (with `deleteMissing`)
    /// sources that disappeared from a walked directory deleted. Call `commit()` after.
    package func sync(paths: [String], format: SourceFormat, deleteMissing: Bool = true,
                      progress: ((IndexingProgress) -> Void)? = nil) throws -> SyncReport {
        var report = SyncReport()
        let walk = SourceWalker(format: format).walk(paths)
        report.issues.append(contentsOf: walk.issues)
        report.sourcesSeen = walk.sources.count
        var inputs: [SourceInput] = []
        var items: [SourceFeed.Item] = []
        var lineFileHashes: [Int: UInt64] = [:]
        var seen = Set<String>()
        var sourcesOfInput: [Source] = []
        for source in walk.sources {
            if seen.contains(source.absolutePath) { continue }
            seen.insert(source.absolutePath)
            let old = sources[source.absolutePath]
            if let old, old.size == source.size, old.mtimeNanos == source.mtimeNanos, old.format == source.format {
                report.unchanged += 1
                continue
            }
            let index = inputs.count
            var lines: LineFile? = nil
            if source.format == .beir {
                let hash: UInt64
                let chunks: [Range<Int>]
                do {
                    lines = try LineFile(path: source.absolutePath)
                    (hash, chunks) = try LineFile.scan(path: source.absolutePath, chunkBytes: 1 << 20)
                } catch let e as SystemError {
                    report.issues.append(IngestIssue(path: source.path, message: "cannot \(e.operation): \(e.reason); skipped"))
                    report.failed += 1
                    continue
                }
                if let old, old.contentHash == hash, old.format == .beir {
                    touch(source)
                    report.unchanged += 1
                    continue
                }
                lineFileHashes[index] = hash
                for range in chunks { items.append(.lines(input: index, range: range)) }
            } else {
                items.append(.file(input: index))
            }
            inputs.append(SourceInput(path: source.absolutePath, displayPath: source.path, id: source.relativeID,
                                      format: source.format, size: Int(source.size), previousHash: old?.contentHash, lines: lines))
            sourcesOfInput.append(source)
        }
        // Sources that disappeared from walked directories.
        var vanished: [String] = []
        if deleteMissing {
            for root in walk.roots {
                let prefix = root.hasSuffix("/") ? root : root + "/"
                for path in sources.keys where path.hasPrefix(prefix) && !seen.contains(path) {
                    vanished.append(path)
                }
            }
        }

        let feed = SourceFeed(inputs: inputs, items: items)
        var indexing = try writer.add(feed, progress: progress)
        report.issues.append(contentsOf: feed.issues)

        // Sources whose old documents are replaced, and the new source records.
        var replaced = Set<String>(vanished)
        let outcomes = feed.outcomes
        for (index, input) in inputs.enumerated() {
            let outcome = outcomes[index] ?? SourceOutcome()
            let source = sourcesOfInput[index]
            if outcome.unchanged {
                touch(source)
                report.unchanged += 1
                continue
            }
            if outcome.failed {
                report.failed += 1
                continue
            }
            let hash = lineFileHashes[index] ?? outcome.contentHash ?? 0
            if sources[input.path] != nil { replaced.insert(input.path) }
            sources[input.path] = SourceRecord(
                path: input.path, size: source.size, mtimeNanos: source.mtimeNanos, contentHash: hash,
                format: input.format, documentID: input.format == .beir ? "" : input.id)
            sourcesChanged = true
        }
        for path in vanished { sources[path] = nil }
        if !vanished.isEmpty { sourcesChanged = true }
        try writer.delete(origins: replaced, report: &indexing)
        report.take(indexing)
        return report
    }

    /// Indexes BEIR-style JSON lines (from standard input, say): each document is added,
    /// or replaces the document with its id. Call `commit()` after.
    package func add(jsonLines bytes: [UInt8], displayPath: String = "<stdin>", progress: ((IndexingProgress) -> Void)? = nil) throws -> SyncReport {
        var report = SyncReport()
        let items = bytes.withUnsafeBytes { b in Lines.chunks(b, chunkBytes: 1 << 20).map { SourceFeed.Item.lines(input: 0, range: $0) } }
        let input = SourceInput(path: "-", displayPath: displayPath, id: "", format: .beir, size: bytes.count,
                                previousHash: nil, lines: LineFile(bytes: bytes))
        let feed = SourceFeed(inputs: [input], items: items)
        let indexing = try writer.add(feed, progress: progress)
        report.issues.append(contentsOf: feed.issues)
        report.take(indexing)
        return report
    }

    /// Publishes the writer's changes with the sources table (when it changed) as the
    /// commit's payload.
    @discardableResult
    package func commit() throws -> Manifest {
        if sourcesChanged { writer.setPayload(SourcesTable.encode(sources)) }
        let manifest = try writer.commit()
        sourcesChanged = false
        return manifest
    }

    /// Records a new size and time for a source whose content did not change.
    private func touch(_ source: Source) {
        sources[source.absolutePath]?.size = source.size
        sources[source.absolutePath]?.mtimeNanos = source.mtimeNanos
        sourcesChanged = true
    }
}

extension CollectionSync {
    /// Problems with the table of indexed sources of the current commit of `directory`
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
