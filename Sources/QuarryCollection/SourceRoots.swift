import QuarryCore

/// A path given to a sync, with an optional name: `NAME=PATH` names a directory (its ids
/// start with `NAME/`). Rules: docs/INDEXING.md, "Ids".
package struct SourcePath: Sendable, Equatable {
    /// As given (without the name).
    package var path: String
    /// The name asked for, if any.
    package var name: String?

    package init(path: String, name: String? = nil) {
        self.path = path
        self.name = name
    }

    /// Reads `NAME=PATH` or `PATH`: an argument is a name and a path when it contains "=",
    /// the part before has no "/", and the whole argument is not itself an existing path.
    package init(argument: String) {
        if let eq = argument.firstIndex(of: "="), eq != argument.startIndex,
            !argument[..<eq].contains("/"), !FileSystem.exists(argument)
        {
            self.init(path: String(argument[argument.index(after: eq)...]), name: String(argument[..<eq]))
        } else {
            self.init(path: argument)
        }
    }

    /// Why a name cannot be used, or nil when it can.
    package static func problem(withName name: String) -> String? {
        if name.isEmpty { return "a name cannot be empty" }
        if name == "." || name == ".." { return "a name cannot be '\(name)'" }
        if name.contains("/") { return "a name cannot contain '/'" }
        return nil
    }
}

/// Gives each directory of a sync the name that prefixes its ids, once: the name is
/// recorded in the index and kept on later runs, so ids do not depend on which other
/// directories a run names.
enum RootNaming {
    struct Decision {
        /// Absolute directory → name ("" for plain ids).
        var names: [String: String] = [:]
        /// What was decided for directories new to the index (or renamed), to tell the user.
        var notes: [String] = []
    }

    /// Decides the names of `directories` (absolute paths, in command-line order, with the
    /// name asked for): a name asked for; else the recorded one; else the prefix the index's
    /// sources under it already have (an index made before roots were recorded); else none
    /// when the index is empty and this is the only path of the run; else the shortest
    /// trailing part of its path that no other directory uses.
    static func decide(
        _ directories: [(absolute: String, asked: String?)], pathsInRun: Int,
        recorded: [String: String], sources: [String: SourceRecord]
    ) -> Decision {
        var d = Decision()
        var taken: [String: String] = [:]  // name → directory
        for (dir, name) in recorded { taken[name] = dir }
        var pending: [String] = []
        for (dir, asked) in directories {
            if d.names[dir] != nil { continue }
            if let asked {
                if let old = recorded[dir], old != asked {
                    d.notes.append("\(dir) was named '\(old)', now '\(asked)': its documents get new ids")
                } else if recorded[dir] == nil {
                    d.notes.append("\(dir): ids start with '\(asked)/'")
                }
                d.names[dir] = asked
                taken[asked] = dir
            } else if let old = recorded[dir] {
                d.names[dir] = old
            } else if let inferred = inferredName(dir, sources: sources) {
                d.names[dir] = inferred
                taken[inferred] = dir
            } else {
                pending.append(dir)
            }
        }
        for dir in pending {
            if recorded.isEmpty && sources.isEmpty && pathsInRun == 1 {
                d.names[dir] = ""
                continue
            }
            // The shortest end of its path that no other directory uses, and that no other new
            // directory of this run ends with too (two "…/html" both get a longer name).
            let parts = dir.split(separator: "/").map(String.init)
            let others = pending.filter { $0 != dir }.map { $0.split(separator: "/").map(String.init) }
            var name = "root"
            for k in 1...max(1, parts.count) {
                let candidate = parts.suffix(k).joined(separator: "/")
                if candidate.isEmpty { break }
                name = candidate
                let shared = others.contains { $0.count >= k && $0.suffix(k) == parts.suffix(k) }
                if !shared && (taken[name] == nil || taken[name] == dir) { break }
            }
            d.names[dir] = name
            taken[name] = dir
            d.notes.append("\(dir): ids start with '\(name)/' (NAME=DIR gives another name)")
        }
        return d
    }

    /// The id prefix the index's one-document sources under `dir` have, if any.
    private static func inferredName(_ dir: String, sources: [String: SourceRecord]) -> String? {
        let prefix = dir.hasSuffix("/") ? dir : dir + "/"
        for (path, record) in sources where path.hasPrefix(prefix) && !record.documentID.isEmpty {
            let rel = String(path.dropFirst(prefix.count))
            if record.documentID == rel { return "" }
            if record.documentID.hasSuffix("/" + rel) { return String(record.documentID.dropLast(rel.count + 1)) }
        }
        return nil
    }
}
