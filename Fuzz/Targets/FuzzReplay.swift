import QuarryCore

/// Inputs kept on disk (seed corpora, crash regressions), for replaying them without libFuzzer.
package enum FuzzReplay {
    /// The files under `path` (itself when it is a file), sorted.
    package static func files(_ path: String) -> [String] {
        guard FileSystem.isDirectory(path) else { return FileSystem.exists(path) ? [path] : [] }
        let names = ((try? FileSystem.list(path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        return names.flatMap { files(path + "/" + $0) }
    }

    package static func read(_ path: String) -> [UInt8]? { try? FileSystem.read(path) }
}
