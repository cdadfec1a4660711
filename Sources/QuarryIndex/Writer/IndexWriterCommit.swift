import QuarryCore

#if canImport(Glibc)
import Glibc
#endif

/// Publishing commits (and merges), and removing the files no commit needs.
extension IndexWriter {
    /// True when there is something to commit.
    package var hasChanges: Bool { dirty }

    /// The last published commit (nil for a new index before its first commit).
    package var committedManifest: Manifest? { base }

    var mergePolicy: MergePolicy { options.mergePolicy }

    /// Replaces each group of segments of the current commit by one merged segment and
    /// publishes the result. Groups are merged side by side on up to `options.threads`
    /// threads (each merge reads its own segments and writes its own files).
    func merge(_ groups: [[String]]) throws -> Manifest {
        guard let current = base else { throw IndexError.notFound(path: directory) }
        do {
            let readers = try self.readers()
            var planned: [PlannedMerge] = []
            for group in groups {
                let members = readers.filter { group.contains($0.entry.name) }
                guard members.count == group.count, members.contains(where: { $0.liveDocumentCount > 0 }) else { continue }
                let name = segmentName(nextSegmentNumber)
                nextSegmentNumber += 1
                let nonce = options.deterministicSeed.map { XXH64.hash(Array(name.utf8), seed: $0) | 1 } ?? randomNonce()
                planned.append(PlannedMerge(group: group, members: members, name: name, nonce: nonce))
            }
            let merger = SegmentMerger(directory: directory, storeLevel: options.storeCompressionLevel)
            let flushed = try ParallelMerges.run(planned, merger: merger, threads: options.threads)
            var entries = current.segments
            for (plan, segment) in zip(planned, flushed) {
                let entry = SegmentEntry(
                    name: plan.name, nonce: plan.nonce, documents: segment.docCount, deleted: 0, deletionGeneration: 0)
                guard let at = entries.firstIndex(where: { plan.group.contains($0.name) }) else { continue }
                entries.removeAll { plan.group.contains($0.name) }
                entries.insert(entry, at: min(at, entries.count))
            }
            let manifest = Manifest(
                generation: current.generation + 1,
                commitTimeNanos: options.deterministicSeed.map { Int64($0 & 0xFFFF_FFFF) } ?? nowNanos(),
                settings: settings, nextSegmentNumber: nextSegmentNumber, segments: entries, payloadFile: current.payloadFile)
            try FileSystem.syncDirectory(directory)
            try CrashPoint.reached("merge-before-manifest")
            try manifest.write(directory: directory)
            removeUnreferencedFiles(keeping: manifest.files)
            return try reopen(after: manifest)
        } catch {
            throw indexError(error)
        }
    }

    /// Publishes everything done so far as a new commit, atomically: a crash at any point
    /// leaves the previous commit intact. Returns the new manifest.
    @discardableResult
    package func commit() throws -> Manifest {
        if !dirty, let base { return base }
        let generation = (base?.generation ?? 0) + 1
        let accountant = try DeletionAccountant(settings: settings)
        var entries: [SegmentEntry] = []
        do {
            // Old segments, with their deletions brought up to date.
            for reader in try readers() {
                var entry = reader.entry
                if let docs = pendingDeletes[entry.name], !docs.isEmpty {
                    var deletions = try reader.deletions?.load() ?? Deletions(docCount: reader.documentCount)
                    for d in docs.sorted() { try accountant.delete(d, of: reader, into: &deletions) }
                    if deletions.deletedCount != entry.deleted {
                        entry.deleted = deletions.deletedCount
                        entry.deletionGeneration = generation
                        _ = try DeletionAccountant.write(deletions, segment: entry, generation: generation, directory: directory)
                    }
                }
                if entry.deleted < entry.documents { entries.append(entry) }
            }
            // New segments.
            for s in newSegments {
                var entry = SegmentEntry(name: s.name, nonce: s.nonce, documents: s.docCount, deleted: 0, deletionGeneration: 0)
                if let docs = pendingDeletes[s.name], !docs.isEmpty {
                    let reader = try newReader(s)
                    var deletions = Deletions(docCount: s.docCount)
                    for d in docs.sorted() { try accountant.delete(d, of: reader, into: &deletions) }
                    entry.deleted = deletions.deletedCount
                    entry.deletionGeneration = generation
                    _ = try DeletionAccountant.write(deletions, segment: entry, generation: generation, directory: directory)
                }
                if entry.deleted < entry.documents { entries.append(entry) }
            }
            try CrashPoint.reached("commit-deletions-written")
            var payloadFile = base?.payloadFile ?? ""
            if let payload = pendingPayload {
                payloadFile = payloadFileName(generation: generation)
                try writePayload(payload, directory: directory, file: payloadFile)
            }
            try CrashPoint.reached("commit-sources-written")
            let manifest = Manifest(
                generation: generation, commitTimeNanos: options.deterministicSeed.map { Int64($0 & 0xFFFF_FFFF) } ?? nowNanos(),
                settings: settings,
                nextSegmentNumber: nextSegmentNumber, segments: entries, payloadFile: payloadFile)
            try FileSystem.syncDirectory(directory)
            try manifest.write(directory: directory)
            // Published. Files of older commits are no longer needed by this writer (readers
            // that have them open keep their mappings).
            removeUnreferencedFiles(keeping: manifest.files)
            let added = Set(newSegments.map(\.name))
            let published = try reopen(after: manifest)
            if options.mergeAutomatically, let merged = try mergeIfNeeded(added: added) { return merged }
            return published
        } catch {
            throw indexError(error)
        }
    }

    /// Continues from a just-published manifest (the writer can go on and commit again).
    func reopen(after manifest: Manifest) throws -> Manifest {
        newSegments.removeAll()
        newReaders.removeAll()
        pendingDeletes.removeAll()
        pendingPayload = nil
        baseReaders = nil
        dirty = false
        base = manifest
        return manifest
    }

    /// Removes files of this index that `keeping` does not name: leftovers of killed
    /// writers and of older commits. Only names Quarry writes are touched.
    func removeUnreferencedFiles(keeping: Set<String>) {
        guard let names = try? FileSystem.list(directory) else { return }
        let pending = Set(newSegments.flatMap { s in SegmentFiles.kinds.map { s.name + "." + $0.fileExtension } })
        for name in names where !keeping.contains(name) && !pending.contains(name) && isQuarryFile(name) {
            try? FileSystem.remove(directory + "/" + name)
        }
    }

    private func isQuarryFile(_ name: String) -> Bool {
        if name == Manifest.fileName + ".tmp" { return true }
        if isPayloadFileName(name) { return true }
        guard name.hasPrefix("s"), let dot = name.firstIndex(of: ".") else { return false }
        let ext = String(name[name.index(after: dot)...])
        return SegmentFiles.kinds.contains { $0.fileExtension == ext } || ext == IndexFileKind.deletions.fileExtension
            || ext.hasSuffix(".tmp")
    }
}

func nowNanos() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
}

func describe(_ s: IndexSettings) -> String {
    let stop = s.analyzer.stopwords.isEmpty ? "no stopwords" : "\(s.analyzer.stopwords.count) stopwords"
    return
        "language \(s.analyzer.language), \(stop), folding \(s.analyzer.foldDiacritics ? "on" : "off"), passages of \(s.passages.targetWords) words"
}
