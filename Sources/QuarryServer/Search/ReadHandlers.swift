import Foundation
import Hummingbird
import Quarry
import Synchronization

/// The read API: `/search`, `/documents/{id}`, `/stats`, `/ready`, and `/mcp`.
struct ReadHandlers {
    let state: ServerState
    var configuration: ServerConfiguration { state.configuration }

    /// `GET /search?q=…` or `POST /search` with a JSON object (or a form) of the same fields.
    func search(_ request: Request) async throws -> Response {
        var fields: RequestFields
        if request.method == .post {
            let bytes = try await body(of: request, limit: configuration.maxBodyBytes)
            let type = request.headers[.contentType]?.lowercased() ?? ""
            if type.hasPrefix("application/x-www-form-urlencoded") {
                fields = try RequestFields(query: String(decoding: bytes, as: UTF8.self))
            } else {
                fields = try RequestFields(jsonBody: bytes)
            }
        } else {
            fields = try RequestFields(query: request.uri.query)
        }
        let search = try SearchRequest(&fields, limits: configuration)
        let searcher = try state.store.searcher()
        let deadline = ContinuousClock.now + search.timeout
        let json = try await state.pool.run(deadline: deadline, budget: search.timeout) { () throws(APIError) -> String in
            do throws(QuarryError) {
                return try search.run(on: searcher, deadline: deadline)
            } catch {
                throw APIError(error)
            }
        }
        return JSONResponse.make(json, headers: [generationHeader: String(searcher.generation)])
    }

    /// `GET /documents/{id}`: the stored document (`quarry.document/1`).
    func document(_ id: String, _ request: Request) async throws -> Response {
        let fields = try RequestFields(query: request.uri.query)
        if let e = fields.unknownFieldsError(known: []) { throw e }
        guard !id.isEmpty else { throw APIError.badRequest("give a document id: /documents/{id}", field: "id") }
        let searcher = try state.store.searcher()
        let timeout = configuration.requestTimeout
        let json = try await state.pool.run(deadline: ContinuousClock.now + timeout, budget: timeout) { () throws(APIError) -> String in
            do throws(QuarryError) {
                return JSONContract.document(try searcher.document(id: id))
            } catch {
                throw APIError(error)
            }
        }
        return JSONResponse.make(json, headers: [generationHeader: String(searcher.generation)])
    }

    /// `GET /stats` (`quarry.stats/1`), computed once per commit.
    func stats() async throws -> Response {
        let searcher = try state.store.searcher()
        let generation = searcher.generation
        if let cached = state.stats.get(generation) { return JSONResponse.make(cached, headers: [generationHeader: String(generation)]) }
        let timeout = configuration.requestTimeout
        let directory = configuration.indexDirectory
        let json = try await state.pool.run(deadline: ContinuousClock.now + timeout, budget: timeout) { () throws(APIError) -> String in
            do throws(QuarryError) {
                return JSONContract.stats(try Index.open(directory).stats(), index: directory)
            } catch {
                throw APIError(error)
            }
        }
        state.stats.set(generation, json)
        return JSONResponse.make(json, headers: [generationHeader: String(generation)])
    }

    /// `GET /ready`: 200 once an index is open, 503 before.
    func ready() throws(APIError) -> Response {
        let searcher = try state.store.searcher()
        return JSONResponse.make(
            JSONValue.object([
                ("status", .string("ready")), ("generation", .int(searcher.generation)), ("documents", .int(searcher.documentCount)),
            ]).text)
    }

    /// `POST /mcp`: one JSON-RPC message of the MCP streamable HTTP transport.
    func mcp(_ request: Request) async throws -> Response {
        let bytes = try await body(of: request, limit: configuration.maxBodyBytes)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let answer = await state.mcp.handle(method: request.method.rawValue, headers: headers, body: Data(bytes))
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let n = HTTPFields.Element.Name(name) { fields[n] = value }
        }
        let data = answer.bodyData ?? Data()
        return Response(
            status: HTTPResponse.Status(code: answer.statusCode), headers: fields,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// The commit generation a response was computed on.
// (A valid token; the fallback is never taken.)
let generationHeader = HTTPFields.Element.Name("Quarry-Generation") ?? .via

/// `/stats` of the last generation asked for.
final class StatsCache: Sendable {
    private let entry = Mutex<(Int, String)?>(nil)
    func get(_ generation: Int) -> String? { entry.withLock { $0?.0 == generation ? $0?.1 : nil } }
    func set(_ generation: Int, _ json: String) { entry.withLock { $0 = (generation, json) } }
}
