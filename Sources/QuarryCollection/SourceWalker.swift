import QuarryCore
import QuarryDocument
import QuarryIngest

#if canImport(Glibc)
import Glibc
#endif

/// One input file to index.
package struct Source: Sendable, Equatable {
    /// The path as the user can read it (the argument joined with the relative path).
    package var path: String
    /// Absolute, normalised path as text (`RawPath.text`): the key of the source in the
    /// sources table and its documents' origin.
    package var absolutePath: String
    /// The path as the file system holds it (to open the file).
    package var file: RawPath
    /// The external id of its document: the root's id prefix and the path relative to the
    /// root (for a file named directly: its file name).
    package var relativeID: String
    /// The absolute directory the id is relative to.
    package var root: String
    package var format: SourceFormat
    package var size: Int64
    package var mtimeNanos: Int64
}

/// A path to walk: a directory or a file, and the prefix of its documents' ids.
package struct WalkTarget: Sendable, Equatable {
    /// As given (shown in messages).
    package var path: String
    /// Absolute, normalised.
    package var absolute: String
    /// Put before every id: "" or a root's name and "/".
    package var idPrefix: String

    package init(path: String, absolute: String? = nil, idPrefix: String = "") {
        self.path = path
        self.absolute = absolute ?? absolutePath(path)
        self.idPrefix = idPrefix
    }
}

/// What a walk left out, by reason (docs/INDEXING.md).
public struct WalkCounts: Sendable, Equatable {
    /// Folders and files whose name starts with ".".
    public var hiddenFolders = 0
    public var hiddenFiles = 0
    /// Sphinx's `_sources/` folders (text copies of the pages).
    public var sphinxSourceFolders = 0
    /// Symbolic links to folders (not followed: they could loop).
    public var linkedFolders = 0
    /// Folders and files matched by `.quarryignore` or `--exclude`.
    public var excludedFolders = 0
    public var excludedFiles = 0
    /// Files that match no `--include` pattern.
    public var notIncluded = 0
    /// FIFOs, devices and sockets with a name the walk would have taken.
    public var notRegular = 0

    public init() {}
}

/// Expands paths into sources: directories are walked recursively in byte order of names
/// (hidden entries, symbolic links to directories and, with `auto`, Sphinx's `_sources/`
/// skipped; `.quarryignore` at the root, `exclude` and `include` applied); files named
/// directly are always taken.
package struct SourceWalker {
    package var format: SourceFormat
    /// Patterns applied after each root's `.quarryignore` (the last that matches decides).
    package var exclude: IgnoreRules
    /// When not empty, a file found by the walk is taken only if one of these matches it.
    package var include: IgnoreRules

    /// The name of the ignore file read at each root.
    package static let ignoreFileName = ".quarryignore"

    package init(format: SourceFormat, exclude: IgnoreRules = IgnoreRules(), include: IgnoreRules = IgnoreRules()) {
        self.format = format
        self.exclude = exclude
        self.include = include
    }

    package struct Walk: Sendable {
        package var sources: [Source] = []
        /// Absolute directories walked (a source under one of them that has disappeared is deleted).
        package var roots: [String] = []
        package var issues: [IngestIssue] = []
        package var counts = WalkCounts()
    }

    /// Walks paths with plain ids (relative to each directory).
    package func walk(_ paths: [String]) -> Walk {
        walk(targets: paths.map { WalkTarget(path: $0) })
    }

    package func walk(targets: [WalkTarget]) -> Walk {
        var result = Walk()
        for target in targets {
            let file = RawPath(target.path)
            do {
                let st = try FileSystem.status(file, name: target.path)
                if st.isDirectory {
                    result.roots.append(target.absolute)
                    var rules = IgnoreRules()
                    rules.patterns = readIgnoreFile(target, into: &result).patterns + exclude.patterns
                    let dir = DirectoryWalk(
                        display: trimSlash(target.path), absolute: target.absolute, file: file,
                        idPrefix: target.idPrefix, rules: rules)
                    walkDirectory(dir, relative: nil, into: &result)
                } else if st.isRegular {
                    let detected = format == .auto ? (SourceFormat.detect(path: target.path) ?? .text) : format
                    let name = target.absolute.split(separator: "/").last.map(String.init) ?? target.absolute
                    result.sources.append(
                        Source(
                            path: target.path, absolutePath: target.absolute, file: file, relativeID: target.idPrefix + name,
                            root: FileSystem.directoryName(target.absolute), format: detected,
                            size: st.size, mtimeNanos: st.mtimeNanos))
                } else {
                    result.counts.notRegular += 1
                    result.issues.append(IngestIssue(path: target.path, message: "not a regular file (a \(st.kind.rawValue)); skipped"))
                }
            } catch {
                result.issues.append(IngestIssue(path: target.path, message: describe(error)))
            }
        }
        return result
    }

    /// A directory being walked, and what every entry under it shares.
    private struct DirectoryWalk {
        var display: String
        var absolute: String
        var file: RawPath
        var idPrefix: String
        var rules: IgnoreRules
    }

    private func readIgnoreFile(_ target: WalkTarget, into result: inout Walk) -> IgnoreRules {
        let path = RawPath(target.path).appending(Array(SourceWalker.ignoreFileName.utf8))
        guard (try? FileSystem.linkStatus(path)) != nil else { return IgnoreRules() }
        do {
            let bytes = try FileSystem.read(path, limit: 1 << 20)
            return IgnoreRules(text: String(decoding: bytes, as: UTF8.self))
        } catch {
            result.issues.append(
                IngestIssue(path: path.text, message: describe(error) + "; its patterns are not applied", severity: .warning))
            return IgnoreRules()
        }
    }

    private func walkDirectory(_ root: DirectoryWalk, relative: RawPath?, into result: inout Walk) {
        let directory = relative.map { root.file.appending($0.bytes) } ?? root.file
        let shownDirectory = relative.map { root.display + "/" + $0.text } ?? root.display
        let names: [[UInt8]]
        do {
            names = try FileSystem.entries(directory, name: shownDirectory).sorted { $0.lexicographicallyPrecedes($1) }
        } catch {
            result.issues.append(IngestIssue(path: shownDirectory, message: describe(error)))
            return
        }
        for name in names {
            let rel = relative.map { $0.appending(name) } ?? RawPath(bytes: name)
            let relText = rel.text
            let file = root.file.appending(rel.bytes)
            let shown = root.display + "/" + relText
            let hidden = name.first == 0x2E
            // lstat first: one call for all but symbolic links, which are followed.
            var st: FileStatus
            var isLink = false
            do {
                st = try FileSystem.linkStatus(file, name: shown)
                if st.kind == .symbolicLink {
                    isLink = true
                    st = try FileSystem.status(file, name: shown)
                }
            } catch let e as SystemError {
                if hidden { continue }
                let message = isLink && e.errno == ENOENT ? "broken symbolic link; skipped" : "cannot \(e.operation): \(e.reason); skipped"
                result.issues.append(IngestIssue(path: shown, message: message, severity: .warning))
                continue
            } catch {
                continue
            }
            if st.isDirectory {
                if hidden {
                    result.counts.hiddenFolders += 1
                } else if isLink {
                    result.counts.linkedFolders += 1  // avoid cycles
                } else if format == .auto && name == Array("_sources".utf8) {
                    // Sphinx keeps a text copy of every page in _sources/: the pages are the documents.
                    result.counts.sphinxSourceFolders += 1
                } else if root.rules.ignores(relText, isDirectory: true) {
                    result.counts.excludedFolders += 1
                } else {
                    walkDirectory(root, relative: rel, into: &result)
                }
                continue
            }
            if hidden {
                result.counts.hiddenFiles += 1
                continue
            }
            guard let f = format.accepts(path: relText) else { continue }
            if root.rules.ignores(relText, isDirectory: false) {
                result.counts.excludedFiles += 1
                continue
            }
            if !include.isEmpty && !include.anyMatches(relText) {
                result.counts.notIncluded += 1
                continue
            }
            guard st.isRegular else {
                result.counts.notRegular += 1
                result.issues.append(
                    IngestIssue(path: shown, message: "not a regular file (a \(st.kind.rawValue)); skipped", severity: .warning))
                continue
            }
            result.sources.append(
                Source(
                    path: shown, absolutePath: root.absolute + "/" + relText, file: file, relativeID: root.idPrefix + relText,
                    root: root.absolute, format: f, size: st.size, mtimeNanos: st.mtimeNanos))
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
