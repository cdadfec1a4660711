import ArgumentParser
import Quarry

#if canImport(Glibc)
import Glibc
#endif

/// Exit codes of `quarry` and `quarry-server` (documented in `quarry --help` and the README).
package enum ExitStatus: Int32 {
    case success = 0
    case failure = 1
    case usage = 2
    case noIndex = 3
    case locked = 4
    case damaged = 5
    /// The search's --timeout passed before it finished.
    case timedOut = 6
}

/// A failure the command has already explained, with its exit status.
package struct CommandFailure: Error, CustomStringConvertible {
    package var status: ExitStatus
    package var message: String
    package var description: String { message }

    package init(status: ExitStatus, message: String) {
        self.status = status
        self.message = message
    }
}

/// A malformed query given on the command line.
package struct QueryFailure: Error {
    package var column: Int
    package var message: String
    package var query: String

    package init(column: Int, message: String, query: String) {
        self.column = column
        self.message = message
        self.query = query
    }

    /// "quarry: query error at column 12: unclosed quote", then the query with a caret under
    /// the column.
    package var report: String {
        let at = max(1, min(column, query.count + 1))
        let caret = String(repeating: " ", count: at - 1) + "^"
        let head = Terminal.styled("quarry: query error at column \(column):", .red, enabled: Terminal.stderrColor)
        return "\(head) \(message)\n  \(query)\n  \(caret)\n"
    }
}

/// Prints an error the way every command does and exits with its status; `root` is the
/// executable's root command (it renders --help, --version and parser errors).
package func exitWith<Root: ParsableCommand>(_ error: any Error, root: Root.Type) -> Never {
    let (status, message) = classify(error, root: root)
    if status == .success {
        // --help, --version.
        print(Root.fullMessage(for: error))
        exit(0)
    }
    if let message { Terminal.error(message) }
    exit(status.rawValue)
}

private func classify<Root: ParsableCommand>(_ error: any Error, root: Root.Type) -> (ExitStatus, String?) {
    switch error {
    case let e as CommandFailure:
        return (e.status, e.message)
    case let e as QueryFailure:
        FileHandleStderr.write(e.report)
        return (.usage, nil)
    case let e as QuarryError:
        return (status(of: e), message(for: e))
    default:
        let code = Root.exitCode(for: error)
        if code == .success { return (.success, nil) }
        // Argument parser errors: its message already says what was wrong and how to get help.
        let message = Root.fullMessage(for: error)
        FileHandleStderr.write(message + "\n")
        return (.usage, nil)
    }
}

/// The exit status of a library error.
package func status(of error: QuarryError) -> ExitStatus {
    switch error {
    case .noIndex: return .noIndex
    case .locked: return .locked
    case .damaged: return .damaged
    case .invalidQuery, .invalidArgument, .settingsMismatch, .malformedInput: return .usage
    case .deadlineExceeded: return .timedOut
    case .unknownDocument, .io, .internalError: return .failure
    }
}

/// A library error as the command line says it: what happened, then what to do.
package func message(for error: QuarryError) -> String {
    switch error {
    case .noIndex(let path):
        return "\(error) (run 'quarry index --index \(path) PATH...' to build one)"
    case .locked:
        return "\(error); wait for it to finish"
    case .damaged where error.isOtherFormatVersion:
        return error.description
    case .damaged:
        return "\(error) (run 'quarry check' for a full report; rebuild the index to repair it)"
    case .settingsMismatch:
        return "\(error) (quarry index --rebuild)"
    default:
        return error.description
    }
}
