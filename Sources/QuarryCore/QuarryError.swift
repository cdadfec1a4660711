/// The one error type of Quarry's public API (the façade maps the errors of the machinery
/// to it). Declared here, in the lowest module, so that every public entry point can throw it.
/// Every error the Quarry library throws. Each case says what went wrong and carries what
/// a caller needs to react (a path, a column); `description` is a sentence for people.
public enum QuarryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No index at the path (no `MANIFEST`).
    case noIndex(path: String)
    /// Another process holds the index's writer lock.
    case locked(path: String, pid: Int32?)
    /// A file of the index is damaged, truncated, foreign or missing: the index must be
    /// rebuilt (or restored). `offset` is the byte where the problem was found, when known.
    case damaged(file: String, offset: Int?, reason: String)
    /// Malformed query text: the 1-based column (in characters) and what was expected.
    case invalidQuery(column: Int, message: String)
    /// An argument is out of range or inconsistent (a parameter, a setting, an option).
    case invalidArgument(String)
    /// The settings asked for differ from those the index was built with; rebuild it to
    /// change them.
    case settingsMismatch(String)
    /// No document with this id in the index.
    case unknownDocument(id: String)
    /// The search's deadline (`SearchOptions.deadline`, `QueryOptions.deadline`) passed before
    /// it finished; `phase` says what it was doing. Nothing is returned: no partial results.
    case deadlineExceeded(phase: String)
    /// An operating-system call failed on a path (not a damaged index).
    case io(path: String, operation: String, reason: String)
    /// An input file given to Quarry (qrels, a run, a query file, a stopword list) has
    /// lines it cannot read: the file, the first bad line (from 1) and what was wrong
    /// (the first few problems when there are several).
    case malformedInput(file: String, line: Int?, message: String)
    /// Something Quarry did not expect: a bug.
    case internalError(String)

    public var description: String {
        switch self {
        case .noIndex(let path):
            return "no index at \(path)"
        case .locked(let path, let pid):
            let who = pid.map { "pid \($0)" } ?? "another process"
            return "the index \(path) is locked by \(who), which is writing to it"
        case .damaged(let file, let offset, let reason):
            return "index file damaged: \(file)" + (offset.map { ": byte \($0)" } ?? "") + ": \(reason)"
        case .invalidQuery(let column, let message):
            return "query error at column \(column): \(message)"
        case .invalidArgument(let s), .settingsMismatch(let s):
            return s
        case .unknownDocument(let id):
            return "no document with id '\(id)' in the index"
        case .deadlineExceeded(let phase):
            return "the search's deadline passed while \(phase); it was stopped and returned nothing"
        case .io(let path, let operation, let reason):
            return "\(path): cannot \(operation): \(reason)"
        case .malformedInput(let file, let line, let message):
            return file + (line.map { ":\($0)" } ?? "") + ": " + message
        case .internalError(let s):
            return "internal error: \(s)"
        }
    }
}
