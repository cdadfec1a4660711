import QuarryCore

/// One line of a `.quarryignore` (or an `--exclude` / `--include` value), in gitignore
/// syntax (docs/INDEXING.md):
///
/// - a blank line, or one starting with `#`, is no pattern (`\#` starts one with `#`);
/// - trailing spaces are dropped unless escaped (`\ `);
/// - `!` first negates: a path it matches is taken again (`\!` for a literal `!`);
/// - `/` last: the pattern matches directories only;
/// - a `/` first or in the middle anchors the pattern to the root (a leading `/` is then
///   dropped); without one, the pattern matches a file or directory name at any depth;
/// - the rest is a `GlobPattern`.
package struct IgnorePattern: Sendable, Equatable {
    /// The line as written.
    package let line: String
    package let negated: Bool
    package let directoryOnly: Bool
    /// Matched against the whole relative path (else against the last name).
    package let anchored: Bool
    let glob: GlobPattern

    /// Parses one line; nil for blank lines and comments.
    package init?(_ line: String) {
        var s = Array(line.unicodeScalars)
        if s.last == "\r" { s.removeLast() }
        // Trailing spaces, unless escaped.
        while let last = s.last, last == " " {
            let before = s.count >= 2 ? s[s.count - 2] : nil
            if before == "\\" { break }
            s.removeLast()
        }
        guard let first = s.first, first != "#" else { return nil }
        var negated = false
        if first == "!" {
            negated = true
            s.removeFirst()
        }
        var directoryOnly = false
        if s.last == "/" {
            let escaped = s.count >= 2 && s[s.count - 2] == "\\"
            if !escaped {
                directoryOnly = true
                s.removeLast()
            }
        }
        guard !s.isEmpty else { return nil }
        // A "/" anywhere (escaped or not, as git does) anchors the pattern.
        let anchored = s.contains("/")
        if s.first == "/" { s.removeFirst() }
        guard !s.isEmpty else { return nil }
        var text = ""
        text.unicodeScalars.append(contentsOf: s)
        self.line = line
        self.negated = negated
        self.directoryOnly = directoryOnly
        self.anchored = anchored
        glob = GlobPattern(text)
    }

    /// Whether the pattern matches a path relative to the root (`name` is its last
    /// component). Negation is the caller's business.
    package func matches(relativePath: String, name: String, isDirectory: Bool) -> Bool {
        if directoryOnly && !isDirectory { return false }
        return glob.matches(anchored ? relativePath : name)
    }
}

/// An ordered list of ignore patterns: the last pattern that matches a path decides.
/// Directories are checked as the walk reaches them, so nothing inside an ignored directory
/// can be taken again (as in git).
package struct IgnoreRules: Sendable, Equatable {
    package var patterns: [IgnorePattern]

    package init(_ patterns: [IgnorePattern] = []) {
        self.patterns = patterns
    }

    /// The patterns of a file's text (one per line).
    package init(text: String) {
        patterns = text.split(separator: "\n", omittingEmptySubsequences: false).compactMap { IgnorePattern(String($0)) }
    }

    package var isEmpty: Bool { patterns.isEmpty }

    /// True when the path is ignored: the last matching pattern is not negated.
    package func ignores(_ relativePath: String, isDirectory: Bool) -> Bool {
        if patterns.isEmpty { return false }
        let name = relativePath.split(separator: "/").last.map(String.init) ?? relativePath
        for p in patterns.reversed() where p.matches(relativePath: relativePath, name: name, isDirectory: isDirectory) {
            return !p.negated
        }
        return false
    }

    /// True when any pattern matches the file (for `--include`; negation is not used there).
    package func anyMatches(_ relativePath: String) -> Bool {
        let name = relativePath.split(separator: "/").last.map(String.init) ?? relativePath
        return patterns.contains { $0.matches(relativePath: relativePath, name: name, isDirectory: false) }
    }
}
