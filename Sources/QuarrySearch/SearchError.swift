/// Errors of the search layer.
package enum SearchError: Error, CustomStringConvertible, Sendable, Equatable {
    case invalidParameter(String)
    case unknownDocument(String)

    package var description: String {
        switch self {
        case .invalidParameter(let s): return s
        case .unknownDocument(let id): return "no document with id '\(id)' in the index"
        }
    }
}
