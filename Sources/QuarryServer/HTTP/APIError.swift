import Foundation
import Hummingbird
import Quarry

/// An error answered to a client: an HTTP status and `{"error": {"code", "message", …}}`.
/// Codes are stable (docs/openapi.yaml lists them); messages say what was wrong and, where
/// it helps, what to do. Nothing internal (no stack, no file of the server) is in them.
struct APIError: Error, Sendable {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    /// The request field at fault (a query parameter or JSON key), when one is.
    var field: String? = nil
    /// The 1-based column of a malformed query.
    var column: Int? = nil
    var headers: HTTPFields = [:]

    static func badRequest(_ message: String, field: String? = nil) -> APIError {
        APIError(status: .badRequest, code: "bad_request", message: message, field: field)
    }

    static func notFound(_ message: String) -> APIError {
        APIError(status: .notFound, code: "not_found", message: message)
    }

    static func methodNotAllowed(_ method: HTTPRequest.Method, path: String, allowed: [HTTPRequest.Method]) -> APIError {
        var e = APIError(
            status: .methodNotAllowed, code: "method_not_allowed",
            message: "\(method.rawValue) is not allowed on \(path); use \(allowed.map(\.rawValue).joined(separator: " or "))")
        e.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
        return e
    }

    static func notReady(_ message: String) -> APIError {
        APIError(status: .serviceUnavailable, code: "not_ready", message: message)
    }

    static func timeout(_ limit: Duration) -> APIError {
        APIError(
            status: .serviceUnavailable, code: "deadline_exceeded",
            message: "the request did not finish within its deadline of \(milliseconds(limit)) ms; narrow the query or lower limit/offset")
    }

    static func unauthorized(_ message: String) -> APIError {
        var e = APIError(status: .unauthorized, code: "unauthorized", message: message)
        e.headers[.wwwAuthenticate] = "Bearer realm=\"quarry\""
        return e
    }

    static func forbidden(_ code: String, _ message: String) -> APIError {
        APIError(status: .forbidden, code: code, message: message)
    }

    static func internalError(_ message: String) -> APIError {
        APIError(status: .internalServerError, code: "internal_error", message: message)
    }

}

extension APIError {
    /// A library error as the API answers it.
    init(_ error: QuarryError) {
        switch error {
        case .invalidQuery(let column, _):
            self.init(status: .unprocessableContent, code: "invalid_query", message: error.description, column: column)
        case .invalidArgument(let s):
            self.init(status: .badRequest, code: "bad_request", message: s)
        case .unknownDocument(let id):
            self.init(status: .notFound, code: "unknown_document", message: "no document with id '\(id)' in the index")
        case .noIndex(let path):
            self.init(
                status: .serviceUnavailable, code: "not_ready",
                message: "no index at \(path) yet: add documents (POST /documents, POST /index) or run quarry index")
        case .locked:
            self.init(status: lockedStatus, code: "index_locked", message: "\(error.description); the write will be retried")
        case .damaged:
            self.init(status: .internalServerError, code: "index_damaged", message: "\(error.description) (run quarry check)")
        case .settingsMismatch(let s):
            self.init(status: .conflict, code: "settings_mismatch", message: s)
        case .io(let path, let operation, let reason):
            self.init(status: .internalServerError, code: "io_error", message: "\(path): cannot \(operation): \(reason)")
        case .deadlineExceeded:
            self.init(
                status: .serviceUnavailable, code: "deadline_exceeded",
                message: "\(error.description); narrow the query or lower limit/offset")
        case .malformedInput:
            self.init(status: .badRequest, code: "bad_input", message: error.description)
        case .internalError(let s):
            self.init(status: .internalServerError, code: "internal_error", message: s)
        }
    }

    /// The JSON body.
    var json: String {
        var o: [(String, JSONValue)] = [("code", .string(code)), ("message", .string(message))]
        if let field { o.append(("field", .string(field))) }
        if let column { o.append(("column", .int(column))) }
        return JSONValue.object([("error", .object(o))]).text
    }

    func response() -> Response {
        var r = JSONResponse.make(json, status: status)
        for f in headers { r.headers.append(f) }
        return r
    }
}

func milliseconds(_ d: Duration) -> Int {
    let (s, a) = d.components
    return Int(s) * 1000 + Int(a / 1_000_000_000_000_000)
}

/// 423 Locked (WebDAV's status, used for an index locked by another writer).
let lockedStatus = HTTPResponse.Status(code: 423, reasonPhrase: "Locked")
