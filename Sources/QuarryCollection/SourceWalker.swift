import QuarryCore
import QuarryDocument
import QuarryIngest

/// One input file to index.
package struct Source: Sendable, Equatable {
    /// The path as the user can read it (the argument joined with the relative path).
    package var path: String
    /// Absolute, normalised path: the key of the source in the index's sources table.
    package var absolutePath: String
    /// The external id of its document: the path relative to the walked root
    /// (for a file named directly: its file name).
    package var relativeID: String
    /// The absolute directory the relative id is relative to.
    package var root: String
    package var format: SourceFormat
    package var size: Int64
    package var mtimeNanos: Int64
}

/// Expands the paths given on the command line into sources: directories are walked
/// recursively in name order (hidden entries and symbolic links to directories skipped;
/// with `auto`, Sphinx's `_sources/` copies of the pages too), files named directly are
/// always taken.
package struct SourceWalker {
    package var format: SourceFormat

    package init(format: SourceFormat) {
        self.format = format
    }

    package struct Walk: Sendable {
        package var sources: [Source] = []
        /// Absolute directories walked (a source under one of them that has disappeared is deleted).
        package var roots: [String] = []
        package var issues: [IngestIssue] = []
    }

    package func walk(_ paths: [String]) -> Walk {
        var result = Walk()
        for path in paths {
            let absolute = absolutePath(path)
            do {
                let st = try FileSystem.status(path)
                if st.isDirectory {
                    result.roots.append(absolute)
                    walkDirectory(display: trimSlash(path), absolute: absolute, relative: "", root: absolute, into: &result)
                } else {
                    let detected = format == .auto ? (SourceFormat.detect(path: path) ?? .text) : format
                    let name = absolute.split(separator: "/").last.map(String.init) ?? absolute
                    result.sources.append(Source(
                        path: path, absolutePath: absolute, relativeID: name,
                        root: FileSystem.directoryName(absolute), format: detected,
                        size: st.size, mtimeNanos: st.mtimeNanos))
                }
            } catch {
                result.issues.append(IngestIssue(path: path, message: describe(error)))
            }
        }
        return result
    }

    private func walkDirectory(display: String, absolute: String, relative: String, root: String, into result: inout Walk) {
        let names: [String]
        do {
            names = try FileSystem.list(absolute).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        } catch {
            result.issues.append(IngestIssue(path: display, message: describe(error)))
            return
        }
        for name in names where !name.hasPrefix(".") {
            let abs = absolute + "/" + name
            let rel = relative.isEmpty ? name : relative + "/" + name
            let shown = display + "/" + name
            guard let st = try? FileSystem.status(abs) else {
                result.issues.append(IngestIssue(path: shown, message: "cannot read (broken link or no permission)", severity: .warning))
                continue
            }
            if st.isDirectory {
                if FileSystem.isSymbolicLink(abs) { continue }  // avoid cycles
                // Sphinx keeps a text copy of every page in _sources/: the pages are the documents.
                if format == .auto && name == "_sources" { continue }
                walkDirectory(display: shown, absolute: abs, relative: rel, root: root, into: &result)
            } else if st.isRegular, let f = format.accepts(path: name) {
                result.sources.append(Source(
                    path: shown, absolutePath: abs, relativeID: rel, root: root, format: f,
                    size: st.size, mtimeNanos: st.mtimeNanos))
            }
        }
    }

    private func trimSlash(_ p: String) -> String {
        var s = p
        while s.count > 1 && s.hasSuffix("/") { s.removeLast() }
        return s
    }

    private func describe(_ error: any Error) -> String {
        if let e = error as? SystemError { return "cannot \(e.operation): \(e.reason)" }
        return "\(error)"
    }
}

/// The absolute, normalised form of a path ("." and ".." resolved lexically).
package func absolutePath(_ path: String) -> String {
    let full = path.hasPrefix("/") ? path : FileSystem.currentDirectory + "/" + path
    var parts: [Substring] = []
    for part in full.split(separator: "/") {
        if part == "." || part.isEmpty { continue }
        if part == ".." {
            if !parts.isEmpty { parts.removeLast() }
            continue
        }
        parts.append(part)
    }
    return "/" + parts.joined(separator: "/")
}
