import Foundation
import MCP
import Quarry

/// Quarry's MCP tools, read-only: `search`, `search_passages`, `get_document`,
/// `index_stats`. Results go in `structuredContent` (the objects of docs/JSON.md, described
/// by each tool's `outputSchema`) with a short text rendering in `content`. A bad argument or
/// query is a tool error (`isError`), which the agent can read and correct.
struct QuarryMCPTools: Sendable {
    let store: SnapshotStore
    let pool: SearchPool
    let timeout: Duration

    static let readOnly = Tool.Annotations(readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false)

    static let tools: [Tool] = [
        Tool(
            name: "search", title: "Search documents",
            description:
                "Ranked documents (BM25) for a query, each with its best passages as snippets; highlights are exact byte and character offsets into the document's stored text.",
            inputSchema: MCPSchemas.searchInput, annotations: readOnly, outputSchema: MCPSchemas.documentsOutput),
        Tool(
            name: "search_passages", title: "Search passages",
            description:
                "The best passages (about 60 words each) of the whole index for a query, with their document ids and exact offsets: the text to quote or answer from.",
            inputSchema: MCPSchemas.passagesInput, annotations: readOnly, outputSchema: MCPSchemas.passagesOutput),
        Tool(
            name: "get_document", title: "Get a document",
            description: "A stored document by id: title, path and its text (optionally a byte range of it), with its passages' ranges.",
            inputSchema: MCPSchemas.documentInput, annotations: readOnly, outputSchema: MCPSchemas.documentOutput),
        Tool(
            name: "index_stats", title: "Index statistics",
            description: "What the index holds: documents, passages, segments, size, analysis settings.",
            inputSchema: MCPSchemas.statsInput, annotations: readOnly, outputSchema: MCPSchemas.statsOutput),
    ]

    /// Registers the tools on an MCP server.
    func register(on server: Server) async {
        await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: QuarryMCPTools.tools) }
        await server.withMethodHandler(CallTool.self) { params in
            await self.call(params.name, params.arguments ?? [:])
        }
    }

    func call(_ name: String, _ arguments: [String: Value]) async -> CallTool.Result {
        do throws(APIError) {
            var args = ToolArguments(arguments)
            let deadline = ContinuousClock.now + timeout
            switch name {
            case "search", "search_passages":
                let passages = name == "search_passages"
                let q = try args.string("query", required: true) ?? ""
                guard !q.allSatisfy(\.isWhitespace), q.count <= 4096 else {
                    throw APIError.badRequest("query must be non-empty text of at most 4096 characters", field: "query")
                }
                var query = QueryOptions()
                var options = SearchOptions(limit: try args.int("limit", in: 1...50) ?? (passages ? 5 : 10))
                options.offset = try args.int("offset", in: 0...1000) ?? 0
                if let under = try args.string("under"), !under.isEmpty { options.idPrefix = under }
                if try args.bool("all") == true { query.defaultOperator = .and }
                for (name, bound) in [("after", \SearchOptions.after), ("before", \SearchOptions.before)] {
                    guard let text = try args.string(name) else { continue }
                    guard let seconds = ISODate.parse(text) else {
                        throw APIError.badRequest("\(name) is not an ISO 8601 date (2024-05-03, 2024-05-03T10:00:00Z)", field: name)
                    }
                    options[keyPath: bound] = seconds
                }
                if let a = options.after, let b = options.before, a >= b {
                    throw APIError.badRequest("the date range is empty: after must be earlier than before", field: "after")
                }
                if !passages {
                    let words = try args.int("snippet_words", in: 0...200) ?? 30
                    options.snippetWords = words == 0 ? nil : words
                }
                try args.rejectUnknown()
                let searcher = try store.searcher()
                query.deadline = deadline
                options.deadline = deadline
                let (query0, options0) = (query, options)
                let json = try await pool.run(deadline: deadline, budget: timeout) { () throws(APIError) -> String in
                    let (query, options) = (query0, options0)
                    let started = ContinuousClock.now
                    func took() -> Double { Double(nanoseconds(ContinuousClock.now - started)) / 1e6 }
                    do throws(QuarryError) {
                        let prepared = try searcher.prepare(q, options: query)
                        if passages {
                            let hits = try searcher.passages(prepared, options: options)
                            return JSONContract.passages(query: q, hits: hits, notices: prepared.notices, tookMilliseconds: took())
                        }
                        let results = try searcher.search(prepared, options: options)
                        return JSONContract.documents(query: q, results: results, notices: prepared.notices, tookMilliseconds: took())
                    } catch {
                        throw APIError(error)
                    }
                }
                return try result(json: json, text: passages ? MCPText.passages : MCPText.documents)
            case "get_document":
                let id = try args.string("id", required: true) ?? ""
                let start = try args.int("start", in: 0...Int(Int32.max))
                let end = try args.int("end", in: 0...Int(Int32.max))
                let maxBytes = try args.int("max_bytes", in: 1...200_000) ?? 50_000
                try args.rejectUnknown()
                let searcher = try store.searcher()
                let json = try await pool.run(deadline: deadline, budget: timeout) { () throws(APIError) -> String in
                    let document: StoredDocument
                    do throws(QuarryError) {
                        document = try searcher.document(id: id)
                    } catch {
                        throw APIError(error)
                    }
                    return try DocumentSlice.json(document, start: start, end: end, maxBytes: maxBytes)
                }
                return try result(json: json, text: MCPText.document)
            case "index_stats":
                try args.rejectUnknown()
                let searcher = try store.searcher()
                let directory = store.directory
                let json = try await pool.run(deadline: deadline, budget: timeout) { () throws(APIError) -> String in
                    do throws(QuarryError) {
                        return JSONContract.stats(try Index.open(searcher.directory).stats(), index: directory)
                    } catch {
                        throw APIError(error)
                    }
                }
                return try result(json: json, text: MCPText.stats)
            default:
                return CallTool.Result(
                    content: [
                        .text(
                            text: "unknown tool '\(name)'; the tools are search, search_passages, get_document, index_stats",
                            annotations: nil, _meta: nil)
                    ], isError: true)
            }
        } catch {
            return CallTool.Result(content: [.text(text: "\(error.code): \(error.message)", annotations: nil, _meta: nil)], isError: true)
        }
    }

    private func result(json: String, text: (Value) -> String) throws(APIError) -> CallTool.Result {
        let value: Value
        do {
            value = try JSONDecoder().decode(Value.self, from: Data(json.utf8))
        } catch {
            throw APIError.internalError("could not convert a result to an MCP value: \(error)")
        }
        return CallTool.Result(
            content: [.text(text: text(value), annotations: nil, _meta: nil)], structuredContent: Optional<Value>.some(value), isError: nil)
    }
}

/// A tool call's arguments, read with their types checked.
struct ToolArguments {
    private let values: [String: Value]
    private var used: Set<String> = []

    init(_ values: [String: Value]) { self.values = values }

    mutating func string(_ name: String, required: Bool = false) throws(APIError) -> String? {
        used.insert(name)
        guard let v = values[name], !v.isNull else {
            if required { throw APIError.badRequest("\(name) is required", field: name) }
            return nil
        }
        guard let s = v.stringValue else { throw APIError.badRequest("\(name) must be a string", field: name) }
        return s
    }

    mutating func int(_ name: String, in range: ClosedRange<Int>) throws(APIError) -> Int? {
        used.insert(name)
        guard let v = values[name], !v.isNull else { return nil }
        let i: Int
        if let n = v.intValue {
            i = n
        } else if let d = v.doubleValue, let n = Int(exactly: d) {
            i = n
        } else {
            throw APIError.badRequest("\(name) must be an integer", field: name)
        }
        guard range.contains(i) else {
            throw APIError.badRequest("\(name) must be from \(range.lowerBound) to \(range.upperBound), not \(i)", field: name)
        }
        return i
    }

    mutating func bool(_ name: String) throws(APIError) -> Bool? {
        used.insert(name)
        guard let v = values[name], !v.isNull else { return nil }
        guard let b = v.boolValue else { throw APIError.badRequest("\(name) must be true or false", field: name) }
        return b
    }

    func rejectUnknown() throws(APIError) {
        if let extra = values.keys.filter({ !used.contains($0) }).sorted().first {
            throw APIError.badRequest("unknown argument '\(extra)'", field: extra)
        }
    }
}
