/// What a command leaves for the process's exit to release.
enum ProcessExit {
    /// Keeps `object` alive until the process exits instead of freeing it when the command
    /// returns: unmapping an index's hundred-odd files one by one and freeing its tables cost
    /// a one-shot search on the 784k-document index about a tenth of its run (perf: the
    /// searcher's deinit, mostly munmap); the kernel drops the mappings at exit in one go.
    static func leave(_ object: AnyObject) {
        _ = Unmanaged.passRetained(object)
    }
}
