/// Errors of the search layer.
package enum SearchError: Error, CustomStringConvertible, Sendable, Equatable {
    case invalidParameter(String)
    case unknownDocument(String)
    /// The search's deadline passed (`phase`: what it was doing); nothing was returned.
    case deadlineExceeded(phase: String)

    package var description: String {
        switch self {
        case .invalidParameter(let s): return s
        case .unknownDocument(let id): return "no document with id '\(id)' in the index"
        case .deadlineExceeded(let phase): return "the search's deadline passed while \(phase); it was stopped and returned nothing"
        }
    }
}
