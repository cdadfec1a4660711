import QuarryCore
import QuarryDocument
import QuarryIndex
import QuarryIngest

extension CollectionSync {
    /// Brings the index in step with files and directories (docs/INDEXING.md): new sources
    /// are added, changed ones replaced, unchanged ones skipped without parsing, and (with
    /// `deleteMissing`) sources gone from a walked directory deleted. Every path is checked
    /// first; a path that cannot be indexed throws before anything changes. `notify` hears
    /// what the run decided (names of new directories, files extracted again) before it
    /// indexes. Call `commit()` after.
    package func sync(
        _ request: SyncRequest, notify: ((String) -> Void)? = nil,
        progress: ((IndexingProgress) -> Void)? = nil
    ) throws -> SyncReport {
        try CollectionSync.checkPaths(request.paths)
        let options = try resolvedOptions(request)
        var report = SyncReport()
        func note(_ s: String) {
            report.notes.append(s)
            notify?(s)
        }
        for n in openingNotes { note(n) }
        openingNotes = []

        // Names of directories, then the walk.
        var directories: [(absolute: String, asked: String?)] = []
        for p in request.paths where FileSystem.isDirectory(p.path) { directories.append((absolutePath(p.path), p.name)) }
        let distinct = Set(request.paths.map { absolutePath($0.path) }).count
        let naming = RootNaming.decide(directories, pathsInRun: distinct, recorded: state.roots, sources: state.sources)
        var byName: [String: String] = [:]
        for (dir, _) in directories {
            let name = naming.names[dir] ?? ""
            if let other = byName[name], other != dir {
                let what = name.isEmpty ? "plain ids" : "ids starting with '\(name)/'"
                throw IndexError.invalidArgument(
                    "\(other) and \(dir) would both have \(what); name them: NAME=DIR (see 'quarry help index')")
            }
            byName[name] = dir
        }
        for n in naming.notes { note(n) }
        let targets = request.paths.map { p -> WalkTarget in
            let absolute = absolutePath(p.path)
            let name = naming.names[absolute] ?? p.name ?? ""
            return WalkTarget(path: p.path, absolute: absolute, idPrefix: name.isEmpty ? "" : name + "/")
        }
        let walker = SourceWalker(
            format: request.format,
            exclude: IgnoreRules(options.exclude.compactMap { IgnorePattern($0) }),
            include: IgnoreRules(options.include.compactMap { IgnorePattern($0) }))
        let walk = walker.walk(targets: targets)
        report.issues.append(contentsOf: walk.issues)
        report.walk = walk.counts
        report.sourcesSeen = walk.sources.count

        // One source per key (nested roots find files twice).
        var fileOfKey: [String: RawPath] = [:]
        var unique: [Source] = []
        for s in walk.sources {
            if let other = fileOfKey[s.absolutePath] {
                if other != s.file {
                    report.collisions += 1
                    report.issues.append(
                        IngestIssue(path: s.path, message: "its name as text is that of another file (\(other.text)); not indexed"))
                }
                continue
            }
            fileOfKey[s.absolutePath] = s.file
            unique.append(s)
        }
        var vanished = Set<String>()
        if request.deleteMissing {
            for root in walk.roots {
                let prefix = root.hasSuffix("/") ? root : root + "/"
                for path in state.sources.keys where path.hasPrefix(prefix) && fileOfKey[path] == nil { vanished.insert(path) }
            }
        }

        // Who has which id: recorded one-document sources that stay, less those whose id changes.
        var owner: [String: String] = [:]
        for (path, r) in state.sources where !r.documentID.isEmpty && !vanished.contains(path) { owner[r.documentID] = path }
        for s in unique where s.format != .beir {
            if let r = state.sources[s.absolutePath], r.documentID != s.relativeID, owner[r.documentID] == s.absolutePath {
                owner[r.documentID] = nil
            }
        }

        var plan = SyncPlan()
        var replaced = vanished
        for source in unique {
            let key = source.absolutePath
            let old = state.sources[key]
            let oneDocument = source.format != .beir
            if oneDocument {
                if let other = owner[source.relativeID], other != key {
                    report.collisions += 1
                    report.issues.append(
                        IngestIssue(
                            path: source.path,
                            message:
                                "its id '\(source.relativeID)' is the id of \(other) already; not indexed (name the directories: NAME=DIR, see 'quarry help index')"
                        ))
                    continue
                }
                owner[source.relativeID] = key
            }
            // Deleted with `delete`: left out unless restored.
            var restoring = false
            let remembered = old ?? carried[key]
            if let r = remembered, r.deletedByUser, oneDocument {
                guard request.restoreDeleted else {
                    report.heldBack += 1
                    if old == nil {  // carried through a rebuild
                        state.sources[key] = r
                        stateChanged = true
                    }
                    continue
                }
                restoring = true
            }
            var excludedIDs: Set<String> = []
            if let r = remembered, !oneDocument, !r.deletedIDs.isEmpty {
                if request.restoreDeleted { restoring = true } else { excludedIDs = Set(r.deletedIDs) }
            }
            let sameFile = old.map { $0.size == source.size && $0.mtimeNanos == source.mtimeNanos && $0.format == source.format } ?? false
            // Extract again whatever the content?
            var reason: SyncPlan.Reason? = nil
            if let old, old.incomplete {
                reason = .incomplete
            } else if let old, oneDocument {
                if old.documentID != source.relativeID {
                    reason = .id
                } else if old.extractionRules != SourcesTable.extractionRules {
                    reason = .rules
                } else if isChromeSensitive(source) && old.keptChrome != options.keepChrome {
                    reason = .chrome
                } else if old.generated && !old.indexed && options.indexGenerated {
                    reason = .generated
                } else if old.generated && old.indexed && !options.indexGenerated {
                    if sameFile {
                        // A generated page indexed before, now left out: no need to read it.
                        replaced.insert(key)
                        state.sources[key]?.indexed = false
                        stateChanged = true
                        report.generatedSkipped += 1
                        continue
                    }
                    reason = .generated
                }
            }
            if let old, sameFile, reason == nil, !restoring {
                if old.generated && !old.indexed { report.generatedSkipped += 1 }
                report.heldBack += excludedIDs.count
                report.unchanged += 1
                continue
            }
            if let reason { plan.reasons[reason, default: 0] += 1 }
            let index = plan.inputs.count
            var lines: LineFile? = nil
            if !oneDocument {
                let scan: LineFile.Scan
                do {
                    let file = try LineFile(file: source.file, name: source.path)
                    scan = try file.scan(chunkBytes: 1 << 20, maxLineBytes: request.maxDocumentBytes)
                    lines = file
                } catch let e as SystemError {
                    report.issues.append(IngestIssue(path: source.path, message: "cannot \(e.operation): \(e.reason); skipped"))
                    report.failed += 1
                    continue
                }
                if let old, old.contentHash == scan.hash, old.format == .beir, !restoring, reason == nil {
                    touch(source)
                    report.heldBack += excludedIDs.count
                    report.unchanged += 1
                    continue
                }
                plan.lineHashes[index] = scan.hash
                for range in scan.chunks { plan.items.append(.lines(input: index, range: range)) }
                for o in scan.oversized { plan.items.append(.oversizedLine(input: index, range: o.range, line: o.line)) }
            } else {
                plan.items.append(.file(input: index))
            }
            plan.inputs.append(
                SourceInput(
                    path: key, file: source.file, displayPath: source.path, id: source.relativeID, format: source.format,
                    size: Int(source.size), previousHash: reason != nil || restoring ? nil : old?.contentHash, lines: lines,
                    excludedIDs: excludedIDs))
            plan.sources.append((source, restoring))
        }
        for n in plan.notes(options) { note(n) }
        report.reextracted = plan.reasons.values.reduce(0, +)

        let feed = SourceFeed(
            inputs: plan.inputs, items: plan.items,
            options: FeedOptions(
                extraction: ExtractionOptions(keepChrome: options.keepChrome), indexGenerated: options.indexGenerated,
                maxDocumentBytes: request.maxDocumentBytes))
        var indexing = try writer.add(feed, progress: progress)
        report.issues.append(contentsOf: feed.issues)
        record(feed, plan: plan, options: options, replaced: &replaced, report: &report)
        for path in vanished { state.sources[path] = nil }
        if !vanished.isEmpty { stateChanged = true }
        try writer.delete(origins: replaced, report: &indexing)
        report.take(indexing)
        if options != state.options {
            state.options = options
            stateChanged = true
        }
        for (dir, name) in naming.names where state.roots[dir] != name {
            state.roots[dir] = name
            stateChanged = true
        }
        return report
    }

    /// Records what became of each input of the feed.
    private func record(
        _ feed: SourceFeed, plan: SyncPlan, options: CollectionOptions, replaced: inout Set<String>, report: inout SyncReport
    ) {
        let outcomes = feed.outcomes
        for (index, input) in plan.inputs.enumerated() {
            let outcome = outcomes[index] ?? SourceOutcome()
            let (source, restoring) = plan.sources[index]
            let old = state.sources[input.path]
            if outcome.unchanged {
                touch(source)
                if let old, old.generated && !old.indexed { report.generatedSkipped += 1 }
                report.unchanged += 1
                continue
            }
            if outcome.failed {
                report.failed += 1
                continue
            }
            var r = SourceRecord(
                path: input.path, size: source.size, mtimeNanos: source.mtimeNanos,
                contentHash: plan.lineHashes[index] ?? outcome.contentHash ?? 0, format: input.format,
                documentID: input.format == .beir ? "" : input.id)
            r.generated = outcome.generated != nil
            r.indexed = !r.generated || options.indexGenerated
            r.keptChrome = options.keepChrome
            r.incomplete = outcome.oversizedLines > 0
            let remembered = old ?? carried[input.path]
            if restoring {
                report.restored += input.format == .beir ? (remembered?.deletedIDs.count ?? 0) : 1
            } else if input.format == .beir {
                r.deletedIDs = remembered?.deletedIDs ?? []
            }
            report.heldBack += outcome.excludedLines
            if !r.indexed { report.generatedSkipped += 1 }
            if old != nil { replaced.insert(input.path) }
            state.sources[input.path] = r
            stateChanged = true
        }
    }

    /// Records a new size and time for a source whose content did not change.
    private func touch(_ source: Source) {
        state.sources[source.absolutePath]?.size = source.size
        state.sources[source.absolutePath]?.mtimeNanos = source.mtimeNanos
        stateChanged = true
    }

    /// Whether keeping or dropping page chrome changes what the source gives.
    private func isChromeSensitive(_ source: Source) -> Bool {
        if source.format == .html { return true }
        let lower = source.path.lowercased()
        return source.format == .text && (lower.hasSuffix(".md") || lower.hasSuffix(".markdown"))
    }
}

/// The inputs a sync run reads, and why files are extracted again.
struct SyncPlan {
    enum Reason: CaseIterable {
        case id, rules, chrome, generated, incomplete
    }

    var inputs: [SourceInput] = []
    var items: [SourceFeed.Item] = []
    var sources: [(Source, restoring: Bool)] = []
    var lineHashes: [Int: UInt64] = [:]
    var reasons: [Reason: Int] = [:]

    /// 12,345.
    static func grouped(_ n: Int) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(d)
        }
        return out
    }

    func notes(_ options: CollectionOptions) -> [String] {
        Reason.allCases.compactMap { reason in
            guard let n = reasons[reason], n > 0 else { return nil }
            let files = n == 1 ? "1 file" : "\(SyncPlan.grouped(n)) files"
            switch reason {
            case .id: return "extracting \(files) again: their ids change"
            case .rules: return "extracting \(files) again: the index was made by an earlier quarry, whose text extraction differs"
            case .chrome: return "extracting \(files) again: page chrome is now \(options.keepChrome ? "kept" : "dropped")"
            case .generated: return "extracting \(files) again: generated pages are now \(options.indexGenerated ? "indexed" : "left out")"
            case .incomplete: return "reading \(files) again: lines over the size limit were skipped last time"
            }
        }
    }
}
