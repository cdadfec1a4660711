import QuarryCore
import QuarryIndex
import QuarryIngest

#if canImport(Glibc)
import Glibc
#endif

/// What a sync is asked to do. Options left nil take the value recorded in the index (the
/// default for a new one); options given are recorded for the next runs.
package struct SyncRequest: Sendable {
    package var paths: [SourcePath]
    package var format: SourceFormat = .auto
    /// Delete the documents of sources gone from a walked directory (or now excluded).
    package var deleteMissing = true
    package var keepChrome: Bool?
    package var indexGenerated: Bool?
    /// Replace the recorded `--include` / `--exclude` patterns.
    package var include: [String]?
    package var exclude: [String]?
    /// Bring back the documents deleted with `delete` whose sources this run walks.
    package var restoreDeleted = false
    /// The largest one-document file, and the longest JSON line, read.
    package var maxDocumentBytes = FeedOptions().maxDocumentBytes

    package init(paths: [SourcePath]) {
        self.paths = paths
    }
}

extension CollectionSync {
    /// Syncs paths with the recorded options (see `sync(_:notify:progress:)`).
    package func sync(
        paths: [String], format: SourceFormat, deleteMissing: Bool = true,
        progress: ((IndexingProgress) -> Void)? = nil
    ) throws -> SyncReport {
        var request = SyncRequest(paths: paths.map { SourcePath(path: $0) })
        request.format = format
        request.deleteMissing = deleteMissing
        return try sync(request, progress: progress)
    }

    /// Checks that every path can be indexed before anything is done: it exists and is a
    /// readable directory or regular file, and its name (if any) can be used. Throws the
    /// first problem (a `SystemError` naming the path, or `IndexError.invalidArgument`).
    package static func checkPaths(_ paths: [SourcePath]) throws {
        var names: [String: String] = [:]
        for p in paths {
            if let name = p.name {
                if let problem = SourcePath.problem(withName: name) {
                    throw IndexError.invalidArgument("\(name)=\(p.path): \(problem)")
                }
                let absolute = absolutePath(p.path)
                if let other = names[name], other != absolute {
                    throw IndexError.invalidArgument("two paths are named '\(name)': \(other) and \(absolute)")
                }
                names[name] = absolute
            }
            let raw = RawPath(p.path)
            let status: FileStatus
            do {
                status = try FileSystem.status(raw, name: p.path)
            } catch let e as SystemError {
                throw SystemError(path: p.path, operation: "index", errno: e.errno)
            }
            switch status.kind {
            case .directory:
                do {
                    _ = try FileSystem.entries(raw, name: p.path)
                } catch let e as SystemError {
                    throw SystemError(path: p.path, operation: "index", errno: e.errno, detail: "cannot list the directory: \(e.reason)")
                }
            case .regular:
                do {
                    let (fd, _) = try FileSystem.openRegularFile(raw, name: p.path)
                    close(fd)
                } catch let e as SystemError {
                    throw SystemError(path: p.path, operation: "index", errno: e.errno, detail: e.detail)
                }
            default:
                throw SystemError(
                    path: p.path, operation: "index", errno: EINVAL,
                    detail: "not a file or directory (a \(status.kind.rawValue))")
            }
        }
    }

    /// The options of this run: those asked for, else those recorded.
    func resolvedOptions(_ request: SyncRequest) throws -> CollectionOptions {
        var o = state.options
        if let v = request.keepChrome { o.keepChrome = v }
        if let v = request.indexGenerated { o.indexGenerated = v }
        if let v = request.include {
            for p in v where p.hasPrefix("!") {
                throw IndexError.invalidArgument("include pattern '\(p)': '!' is for exclude patterns")
            }
            o.include = v
        }
        if let v = request.exclude { o.exclude = v }
        return o
    }
}
