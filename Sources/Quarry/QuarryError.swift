import QuarryAnalysis
import QuarryCore
import QuarryDocument
import QuarryIndex
import QuarrySearch

#if canImport(Glibc)
import Glibc
#endif

/// The library's error type (declared in QuarryCore).
public typealias QuarryError = QuarryCore.QuarryError

extension QuarryError {
    /// The library error an error of the machinery stands for.
    package init(_ error: any Error) {
        switch error {
        case let e as QuarryError: self = e
        case let e as IndexError:
            switch e {
            case .notFound(let path): self = .noIndex(path: path)
            case .locked(let path, let pid): self = .locked(path: path, pid: pid)
            case .settingsMismatch(let s): self = .settingsMismatch(s)
            case .corrupt(let f): self = .damaged(file: f.file, offset: f.offset, reason: f.message)
            case .system(let s): self = QuarryError(s)
            case .invalidArgument(let s): self = .invalidArgument(s)
            case .internalError(let s): self = .internalError(s)
            }
        case let e as FormatError: self = .damaged(file: e.file, offset: e.offset, reason: e.message)
        case let e as SystemError: self = .io(path: e.path, operation: e.operation, reason: e.reason)
        case let e as QueryError: self = .invalidQuery(column: e.column, message: e.message)
        case let e as SearchError:
            switch e {
            case .invalidParameter(let s): self = .invalidArgument(s)
            case .unknownDocument(let id): self = .unknownDocument(id: id)
            case .deadlineExceeded(let phase): self = .deadlineExceeded(phase: phase)
            }
        case let e as AnalysisError: self = .invalidArgument(e.description)
        case let e as PassageSettingsError: self = .invalidArgument(e.description)
        default: self = .internalError("\(error)")
        }
    }
}

/// Runs `body`, turning any error it throws into a `QuarryError`.
@inline(__always)
func mapped<R>(_ body: () throws -> R) throws(QuarryError) -> R {
    do {
        return try body()
    } catch {
        throw QuarryError(error)
    }
}
