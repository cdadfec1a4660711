import MCP

/// Short text renderings of tool results, for clients that show `content` rather than
/// `structuredContent`.
enum MCPText {
    static func documents(_ v: Value) -> String {
        let results = v.objectValue?["results"]?.arrayValue ?? []
        if results.isEmpty { return "No documents match." }
        return results.map { r -> String in
            let o = r.objectValue ?? [:]
            var line = "\(o["rank"]?.intValue ?? 0). \(title(o)) (id: \(o["id"]?.stringValue ?? ""), score \(score(o["score"])))"
            for p in o["passages"]?.arrayValue ?? [] {
                let po = p.objectValue ?? [:]
                let text = po["snippet"]?.objectValue?["text"]?.stringValue ?? po["text"]?.stringValue ?? ""
                line += "\n   " + text.replacingOccurrences(of: "\n", with: " ")
            }
            return line
        }.joined(separator: "\n")
    }

    static func passages(_ v: Value) -> String {
        let results = v.objectValue?["results"]?.arrayValue ?? []
        if results.isEmpty { return "No passages match." }
        return results.map { r -> String in
            let o = r.objectValue ?? [:]
            let p = o["passage"]?.objectValue ?? [:]
            return
                "\(o["rank"]?.intValue ?? 0). \(title(o)) (id: \(o["id"]?.stringValue ?? ""), bytes \(p["start"]?.intValue ?? 0)–\(p["end"]?.intValue ?? 0), score \(score(o["score"])))\n   "
                + (p["text"]?.stringValue ?? "").replacingOccurrences(of: "\n", with: " ")
        }.joined(separator: "\n")
    }

    static func document(_ v: Value) -> String {
        let o = v.objectValue ?? [:]
        var head =
            "\(o["title"]?.stringValue ?? "") (id: \(o["id"]?.stringValue ?? ""), bytes \(o["start"]?.intValue ?? 0)–\(o["end"]?.intValue ?? 0) of \(o["length"]?.intValue ?? 0)"
        if o["truncated"]?.boolValue == true { head += ", truncated: ask again from end" }
        return head + ")\n\n" + (o["text"]?.stringValue ?? "")
    }

    static func stats(_ v: Value) -> String {
        let o = v.objectValue ?? [:]
        return
            "\(o["documents"]?.intValue ?? 0) documents, \(o["passages"]?.intValue ?? 0) passages in \(o["segments"]?.intValue ?? 0) segments; generation \(o["generation"]?.intValue ?? 0); \(o["bytes"]?.intValue ?? 0) bytes"
    }

    private static func title(_ o: [String: Value]) -> String {
        let t = o["title"]?.stringValue ?? ""
        return t.isEmpty ? (o["id"]?.stringValue ?? "") : t
    }

    private static func score(_ v: Value?) -> String {
        let d = v?.doubleValue ?? Double(v?.intValue ?? 0)
        return String((d * 1000).rounded() / 1000)
    }
}
