import QuarryCore

/// Errors of the index layer. Each says what to do where there is something to do.
package enum IndexError: Error, CustomStringConvertible, Sendable, Equatable {
    /// No index at the path (no MANIFEST).
    case notFound(path: String)
    /// Another process holds the writer lock.
    case locked(path: String, pid: Int32?)
    /// The analyzer or passage settings given differ from those the index was built with.
    case settingsMismatch(String)
    /// A file is damaged or not what it should be.
    case corrupt(FormatError)
    /// An operating-system call failed.
    case system(SystemError)
    case invalidArgument(String)
    case internalError(String)

    package var description: String {
        switch self {
        case .notFound(let path):
            return "no index at \(path) (run 'quarry index --index \(path) PATH...' to build one)"
        case .locked(let path, let pid):
            let who = pid.map { "pid \($0)" } ?? "another process"
            return "index \(path) is locked by \(who), which is writing to it; wait for it to finish"
        case .settingsMismatch(let s):
            return s
        case .corrupt(let e) where e.isOtherVersion:
            return "\(e.file): \(e.message)"
        case .corrupt(let e):
            return "index file damaged: \(e) (run 'quarry check' for a full report; rebuild the index to repair it)"
        case .system(let e):
            return e.description
        case .invalidArgument(let s):
            return s
        case .internalError(let s):
            return "internal error: \(s)"
        }
    }
}

/// Wraps lower-level errors into `IndexError`.
func indexError(_ error: any Error) -> any Error {
    if let e = error as? FormatError { return IndexError.corrupt(e) }
    if let e = error as? SystemError { return IndexError.system(e) }
    return error
}
