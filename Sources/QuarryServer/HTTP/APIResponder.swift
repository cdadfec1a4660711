import Foundation
import Hummingbird
import NIOCore

/// Everything a request handler needs, shared by all requests.
final class ServerState: Sendable {
    let configuration: ServerConfiguration
    let store: SnapshotStore
    let pool: SearchPool
    let tasks: TaskQueue
    let metrics: ServerMetrics
    let access: AccessPolicy
    let mcp: MCPHTTPEndpoint
    let stats: StatsCache

    init(configuration: ServerConfiguration) {
        self.configuration = configuration
        store = SnapshotStore(directory: configuration.indexDirectory)
        pool = SearchPool(threads: configuration.searchThreads)
        tasks = TaskQueue(maxQueuedBytes: configuration.maxQueuedBytes)
        metrics = ServerMetrics()
        access = AccessPolicy(
            token: configuration.token, allowedPaths: configuration.allowedPaths, allowedOrigins: configuration.allowedOrigins)
        mcp = MCPHTTPEndpoint(
            tools: QuarryMCPTools(store: store, pool: pool, timeout: configuration.requestTimeout), version: configuration.version)
        stats = StatsCache()
    }
}

/// Routes requests, checks access, and turns every failure into a JSON error with its
/// status; records each request's route, status and time for `/metrics`.
struct APIResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let state: ServerState

    func respond(to request: Request, context: Context) async throws -> Response {
        let started = ContinuousClock.now
        var route = "unmatched"
        var response: Response
        do {
            response = try await dispatch(request, route: &route)
        } catch let e as APIError {
            response = e.response()
        } catch let e as NIOTooManyBytesError {
            _ = e
            response = APIError(
                status: .contentTooLarge, code: "body_too_large",
                message:
                    "the body is larger than \(state.configuration.maxBodyBytes >> 20) MB, the most this server accepts (--max-body-mb)"
            ).response()
        } catch {
            response = APIError.internalError("unexpected failure: \(type(of: error))").response()
        }
        state.metrics.request(
            route: route, method: request.method.rawValue, status: response.status.code, duration: ContinuousClock.now - started)
        return response
    }

    private func dispatch(_ request: Request, route: inout String) async throws -> Response {
        let path = request.uri.path
        let method = request.method
        func only(_ allowed: HTTPRequest.Method...) throws(APIError) {
            guard allowed.contains(method) else { throw APIError.methodNotAllowed(method, path: route, allowed: allowed) }
        }
        route = APIResponder.label(path)
        if path == "/health" {
            try only(.get)
            return JSONResponse.make(JSONValue.object([("status", .string("ok")), ("version", .string(state.configuration.version))]).text)
        }
        try state.access.authorize(request)
        let read = ReadHandlers(state: state)
        let write = WriteHandlers(state: state)
        switch path {
        case "/ready":
            try only(.get)
            return try read.ready()
        case "/metrics":
            try only(.get)
            return JSONResponse.text(state.metrics.text(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        case "/openapi.yaml":
            try only(.get)
            return JSONResponse.text(OpenAPIDocument.yaml + "\n", contentType: "application/yaml; charset=utf-8")
        case "/stats":
            try only(.get)
            return try await read.stats()
        case "/search":
            try only(.get, .post)
            return try await read.search(request)
        case "/documents":
            try only(.post)
            return try await write.addDocuments(request)
        case "/index":
            try only(.post)
            return try await write.indexPaths(request)
        case "/tasks":
            try only(.get)
            return try await write.listTasks(request)
        case "/mcp":
            try only(.post)
            try state.access.checkOrigin(request)
            return try await read.mcp(request)
        default:
            if let id = suffix(of: path, after: "/documents/") {
                try only(.get, .delete)
                let decoded = try percentDecoded(id, field: "id")
                return method == .get ? try await read.document(decoded, request) : try await write.deleteDocument(decoded)
            }
            if let id = suffix(of: path, after: "/tasks/") {
                try only(.get)
                return try await write.task(id)
            }
            throw APIError.notFound("no route \(path.prefix(200)); see /openapi.yaml for the routes")
        }
    }

    static let routes: Set<String> = [
        "/health", "/ready", "/metrics", "/openapi.yaml", "/stats", "/search", "/documents", "/index", "/tasks", "/mcp",
    ]

    /// The route a path belongs to, as `/metrics` labels it (never the raw path).
    static func label(_ path: String) -> String {
        if routes.contains(path) { return path }
        if path.hasPrefix("/documents/") { return "/documents/{id}" }
        if path.hasPrefix("/tasks/") { return "/tasks/{id}" }
        return "unmatched"
    }

    private func suffix(of path: String, after prefix: String) -> String? {
        guard path.hasPrefix(prefix), path.count > prefix.count else { return nil }
        return String(path.dropFirst(prefix.count))
    }

    private func percentDecoded(_ s: String, field: String) throws(APIError) -> String {
        guard let d = s.removingPercentEncoding else {
            throw APIError.badRequest("\(field) is not valid percent-encoded UTF-8", field: field)
        }
        return d
    }
}

/// Reads a request's body, refusing it once it passes the limit (without reading the rest).
func body(of request: Request, limit: Int) async throws -> [UInt8] {
    if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
        throw NIOTooManyBytesError(maxBytes: limit)
    }
    var buffer = try await request.body.collect(upTo: limit)
    return buffer.readBytes(length: buffer.readableBytes) ?? []
}
