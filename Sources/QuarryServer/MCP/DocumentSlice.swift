import Quarry

/// A stored document, or a byte range of its body, as the `get_document` tool returns it.
enum DocumentSlice {
    static func json(_ d: StoredDocument, start: Int?, end: Int?, maxBytes: Int) throws(APIError) -> String {
        let body = Array(d.body.utf8)
        let length = body.count
        let s = start ?? 0
        var e = min(end ?? length, length)
        guard s <= length else { throw APIError.badRequest("start \(s) is past the end of the text (\(length) bytes)", field: "start") }
        guard s <= e else { throw APIError.badRequest("end \(e) is before start \(s)", field: "end") }
        func isBoundary(_ i: Int) -> Bool { i == length || body[i] & 0xC0 != 0x80 }
        guard isBoundary(s) else {
            throw APIError.badRequest("start \(s) is inside a character; offsets are UTF-8 bytes at character starts", field: "start")
        }
        guard isBoundary(e) else {
            throw APIError.badRequest("end \(e) is inside a character; offsets are UTF-8 bytes at character starts", field: "end")
        }
        var truncated = false
        if e - s > maxBytes {
            e = s + maxBytes
            while !isBoundary(e) { e -= 1 }
            truncated = true
        }
        var chars = 0, charStart = 0
        for i in 0..<e {
            if i == s { charStart = chars }
            if body[i] & 0xC0 != 0x80 { chars += 1 }
        }
        if s == e { charStart = chars }
        let passages: [JSONValue] = d.passages.enumerated().compactMap { (i, p) in
            guard p.end > s && p.start < e || (s == e && p.start <= s && s <= p.end) else { return nil }
            return .object([("index", .int(i)), ("start", .int(p.start)), ("end", .int(p.end))])
        }
        return JSONValue.object([
            ("schema", .string("quarry.document-slice/1")),
            ("id", .string(d.id)),
            ("title", .string(d.title)),
            ("path", .string(d.path)),
            ("length", .int(length)),
            ("start", .int(s)),
            ("end", .int(e)),
            ("char_start", .int(charStart)),
            ("char_end", .int(chars)),
            ("truncated", .bool(truncated)),
            ("text", .string(String(decoding: body[s..<e], as: UTF8.self))),
            ("passages", .array(passages)),
        ]).text
    }
}
