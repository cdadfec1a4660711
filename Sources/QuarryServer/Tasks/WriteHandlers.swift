import Foundation
import Hummingbird
import Quarry

/// The write API: every write is a task, answered `202 Accepted` with the task's record
/// and its URL; `GET /tasks/{id}` follows it to `succeeded` or `failed`.
struct WriteHandlers {
    let state: ServerState
    var configuration: ServerConfiguration { state.configuration }

    /// `POST /documents`: a JSON array or JSON lines of `{"id", "title", "text"}`.
    func addDocuments(_ request: Request) async throws -> Response {
        try state.access.authorizeWrite()
        try noParameters(request)
        let bytes = try await body(of: request, limit: configuration.maxBodyBytes)
        let batch = try DocumentBatch(body: bytes)
        return try await accepted(
            try await state.tasks.enqueue(.addDocuments(batch), received: batch.documents + batch.issues.count, issues: batch.issues))
    }

    /// `DELETE /documents/{id}`.
    func deleteDocument(_ id: String) async throws -> Response {
        try state.access.authorizeWrite()
        guard !id.isEmpty else { throw APIError.badRequest("give a document id: /documents/{id}", field: "id") }
        return try await accepted(try await state.tasks.enqueue(.deleteDocument(id: id), received: 1))
    }

    /// `POST /index` with `{"paths": [...], "format": "auto", "delete_missing": true}`: the
    /// sync `quarry index PATH...` does, for paths inside the `--allow-path` directories.
    func indexPaths(_ request: Request) async throws -> Response {
        try state.access.authorizeWrite()
        try noParameters(request)
        var fields = try RequestFields(jsonBody: try await body(of: request, limit: configuration.maxBodyBytes))
        guard let paths = try fields.strings("paths", maxCount: 1000), !paths.isEmpty else {
            throw APIError.badRequest("paths is missing: give {\"paths\": [\"DIR\", ...]}", field: "paths")
        }
        var options = SyncOptions()
        if let format = try fields.choice("format", SourceFormat.self) { options.format = format }
        if let delete = try fields.bool("delete_missing") { options.deleteMissing = delete }
        if let e = fields.unknownFieldsError(known: ["paths", "format", "delete_missing"]) { throw e }
        var resolved: [String] = []
        for (i, p) in paths.enumerated() { resolved.append(try state.access.resolve(p, field: "paths[\(i)]")) }
        return try await accepted(try await state.tasks.enqueue(.indexPaths(resolved, options), received: resolved.count))
    }

    /// `GET /tasks/{id}`.
    func task(_ id: String) async throws -> Response {
        guard let n = Int(id), n > 0 else {
            throw APIError.badRequest("a task id is a positive integer, not '\(id.prefix(40))'", field: "id")
        }
        guard let record = await state.tasks.record(n) else {
            throw APIError(
                status: .notFound, code: "unknown_task",
                message: "no task \(n) (the server keeps the last \(TaskQueue.kept) tasks since it started)")
        }
        return JSONResponse.make(record.json)
    }

    /// `GET /tasks?limit=N`: the most recent tasks, newest first.
    func listTasks(_ request: Request) async throws -> Response {
        var fields = try RequestFields(query: request.uri.query)
        let limit = try fields.int("limit", in: 1...TaskQueue.kept) ?? 20
        if let e = fields.unknownFieldsError(known: ["limit"]) { throw e }
        let records = await state.tasks.recent(limit)
        return JSONResponse.make("{\"schema\":\"quarry.tasks/1\",\"tasks\":[" + records.map(\.json).joined(separator: ",") + "]}")
    }

    private func accepted(_ record: TaskRecord) async throws -> Response {
        JSONResponse.make(record.json, status: .accepted, headers: [.location: "/tasks/\(record.id)"])
    }

    private func noParameters(_ request: Request) throws(APIError) {
        let fields = try RequestFields(query: request.uri.query)
        if let e = fields.unknownFieldsError(known: []) { throw e }
    }
}
