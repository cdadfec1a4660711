import MCP

/// JSON Schemas of the MCP tools' inputs and outputs (the outputs are the JSON contract's
/// objects of docs/JSON.md; clients validate `structuredContent` against them).
enum MCPSchemas {
    static func object(_ properties: [String: Value], required: [String] = []) -> Value {
        .object(["type": "object", "properties": .object(properties), "required": .array(required.map { .string($0) })])
    }

    static let integer: Value = ["type": "integer"]
    static let number: Value = ["type": "number"]
    static let string: Value = ["type": "string"]
    static let nullableString: Value = ["type": .array(["string", "null"])]

    static let highlight = object(
        ["start": integer, "end": integer, "char_start": integer, "char_end": integer, "term": string],
        required: ["start", "end", "char_start", "char_end", "term"])
    static let snippet = object(
        ["start": integer, "end": integer, "char_start": integer, "char_end": integer, "text": string],
        required: ["start", "end", "text"])
    static let passage = object(
        [
            "index": integer, "start": integer, "end": integer, "char_start": integer, "char_end": integer, "score": number,
            "heading": nullableString, "text": string, "highlights": ["type": "array", "items": highlight], "snippet": snippet,
        ], required: ["index", "start", "end", "char_start", "char_end", "score", "text", "highlights"])
    static let explanation: Value = ["type": "object"]
    static let notice = object(["code": string, "message": string], required: ["code", "message"])

    static func searchResponse(result: Value) -> Value {
        object(
            [
                "schema": string, "query": string, "mode": string, "took_ms": number,
                "notices": ["type": "array", "items": notice],
                "results": ["type": "array", "items": result],
            ], required: ["schema", "query", "mode", "results"])
    }

    static let documentsOutput = searchResponse(
        result: object(
            [
                "rank": integer, "id": string, "title": string, "path": string, "score": number,
                "title_highlights": ["type": "array", "items": highlight],
                "passages": ["type": "array", "items": passage], "explanation": explanation,
            ], required: ["rank", "id", "title", "score", "passages"]))

    static let passagesOutput = searchResponse(
        result: object(
            [
                "rank": integer, "id": string, "title": string, "path": string, "score": number, "passage": passage,
                "explanation": explanation,
            ], required: ["rank", "id", "title", "score", "passage"]))

    static let documentOutput = object(
        [
            "schema": string, "id": string, "title": string, "path": string, "length": integer, "start": integer, "end": integer,
            "char_start": integer, "char_end": integer, "truncated": ["type": "boolean"], "text": string,
            "passages": [
                "type": "array",
                "items": object(["index": integer, "start": integer, "end": integer], required: ["index", "start", "end"]),
            ],
        ], required: ["schema", "id", "title", "length", "start", "end", "text"])

    static let statsOutput = object(
        [
            "schema": string, "index": string, "generation": integer, "documents": integer, "deleted_documents": integer,
            "passages": integer, "segments": integer, "bytes": integer,
        ], required: ["schema", "generation", "documents"])

    static let searchInput = object(
        [
            "query": [
                "type": "string",
                "description":
                    "Query text: free words (ranked, any may match), \"exact phrases\", +required, -excluded, title:word, prefix*, fuzzy~1 (docs/QUERY.md).",
            ],
            "limit": ["type": "integer", "minimum": 1, "maximum": 50, "description": "Results to return (default 10)."],
            "offset": ["type": "integer", "minimum": 0, "maximum": 1000, "description": "Results to skip (paging)."],
            "under": ["type": "string", "description": "Only documents whose id starts with this prefix (a folder: docs/api/)."],
            "all": ["type": "boolean", "description": "Require every free word (AND) instead of ranking any (OR)."],
            "after": [
                "type": "string",
                "description": "Only documents dated at or after this ISO 8601 date (2024-05-03); undated documents are left out.",
            ],
            "before": ["type": "string", "description": "Only documents dated before this ISO 8601 date."],
            "snippet_words": [
                "type": "integer", "minimum": 0, "maximum": 200,
                "description": "Crop snippets to about this many words (0: whole passages; default 30).",
            ],
        ], required: ["query"])

    static let passagesInput = object(
        [
            "query": ["type": "string", "description": "Query text (as for search)."],
            "limit": ["type": "integer", "minimum": 1, "maximum": 50, "description": "Passages to return (default 5)."],
            "offset": ["type": "integer", "minimum": 0, "maximum": 1000, "description": "Passages to skip (paging)."],
            "under": ["type": "string", "description": "Only documents whose id starts with this prefix."],
            "all": ["type": "boolean", "description": "Require every free word."],
            "after": ["type": "string", "description": "Only documents dated at or after this ISO 8601 date."],
            "before": ["type": "string", "description": "Only documents dated before this ISO 8601 date."],
        ], required: ["query"])

    static let documentInput = object(
        [
            "id": ["type": "string", "description": "Document id, as search results give it."],
            "start": ["type": "integer", "minimum": 0, "description": "First UTF-8 byte of the body to return (default 0)."],
            "end": [
                "type": "integer", "minimum": 0, "description": "Byte after the last one to return (default: the end, within max_bytes).",
            ],
            "max_bytes": [
                "type": "integer", "minimum": 1, "maximum": 200000,
                "description": "Most bytes of text to return (default 50000); truncated says when more remain.",
            ],
        ], required: ["id"])

    static let statsInput = object([:])
}
