#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Quarry
import QuarryCore

/// Exit codes of `quarry` (documented in `quarry --help` and the README).
enum ExitStatus: Int32 {
    case success = 0
    case failure = 1
    case usage = 2
    case noIndex = 3
    case locked = 4
    case damaged = 5
}

/// A failure the command has already explained, with its exit status.
struct CommandFailure: Error, CustomStringConvertible {
    var status: ExitStatus
    var message: String
    var description: String { message }
}

/// A malformed query given on the command line.
struct QueryFailure: Error {
    var error: QueryError
    var query: String

    /// "quarry: query error at column 12: unclosed quote", then the query with a caret under
    /// the column.
    var report: String {
        let e = error
        let column = max(1, min(e.column, query.count + 1))
        let caret = String(repeating: " ", count: column - 1) + "^"
        let head = Terminal.styled("quarry: query error at column \(e.column):", .red, enabled: Terminal.stderrColor)
        return "\(head) \(e.message)\n  \(query)\n  \(caret)\n"
    }
}

/// Prints an error the way every command does and exits with its status.
func exitWith(_ error: any Error) -> Never {
    let (status, message) = classify(error)
    if status == .success {
        // --help, --version.
        print(QuarryCommand.fullMessage(for: error))
        exit(0)
    }
    if let message { Terminal.error(message) }
    exit(status.rawValue)
}

private func classify(_ error: any Error) -> (ExitStatus, String?) {
    switch error {
    case let e as CommandFailure:
        return (e.status, e.message)
    case let e as QueryFailure:
        FileHandleStderr.write(e.report)
        return (.usage, nil)
    case let e as QueryError:
        return (.usage, e.description)
    case let e as IndexError:
        switch e {
        case .notFound: return (.noIndex, e.description)
        case .locked: return (.locked, e.description)
        case .corrupt: return (.damaged, e.description)
        case .settingsMismatch, .invalidArgument: return (.usage, e.description)
        default: return (.failure, e.description)
        }
    case let e as FormatError:
        return (.damaged, "index file damaged: \(e)")
    case let e as SystemError:
        return (.failure, e.description)
    case let e as SearchError:
        return (.usage, e.description)
    case let e as AnalysisError:
        return (.usage, e.description)
    case let e as PassageSettingsError:
        return (.usage, e.description)
    default:
        let code = QuarryCommand.exitCode(for: error)
        if code == .success { return (.success, nil) }
        // Argument parser errors: its message already says what was wrong and how to get help.
        let message = QuarryCommand.fullMessage(for: error)
        FileHandleStderr.write(message + "\n")
        return (.usage, nil)
    }
}
