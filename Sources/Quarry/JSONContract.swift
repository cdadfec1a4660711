import QuarryCore

/// Quarry's JSON output for tools (documented in docs/JSON.md). Every object carries a
/// `schema` name with a version; fields are only ever added within a version.
public enum JSONContract {
    public static let searchSchema = "quarry.search/1"
    public static let documentSchema = "quarry.document/1"
    public static let statsSchema = "quarry.stats/1"

    /// A document search response.
    public static func documents(query: String, qid: String? = nil, results: [DocumentResult], tookMilliseconds: Double) -> String {
        var w = searchHeader(query: query, qid: qid, mode: "documents", tookMilliseconds: tookMilliseconds)
        for r in results {
            w.beginObject()
            w.field("rank", r.rank)
            w.field("id", r.id)
            w.field("title", r.title)
            w.field("path", r.path)
            w.field("score", r.score)
            highlights(r.titleHighlights, key: "title_highlights", into: &w)
            w.beginArray("passages")
            for p in r.passages { passage(p, into: &w) }
            w.endArray()
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.text
    }

    /// A passage search response.
    public static func passages(query: String, qid: String? = nil, hits: [PassageHit], tookMilliseconds: Double) -> String {
        var w = searchHeader(query: query, qid: qid, mode: "passages", tookMilliseconds: tookMilliseconds)
        for h in hits {
            w.beginObject()
            w.field("rank", h.rank)
            w.field("id", h.id)
            w.field("title", h.title)
            w.field("path", h.path)
            w.field("score", h.passage.score)
            w.beginObject("passage")
            passageFields(h.passage, into: &w)
            w.endObject()
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.text
    }

    /// The fields every search response starts with, up to the opened `results` array.
    private static func searchHeader(query: String, qid: String?, mode: String, tookMilliseconds: Double) -> JSONWriter {
        var w = JSONWriter()
        w.beginObject()
        w.field("schema", searchSchema)
        if let qid { w.field("qid", qid) }
        w.field("query", query)
        w.field("mode", mode)
        w.field("took_ms", (tookMilliseconds * 1000).rounded() / 1000)
        w.beginArray("results")
        return w
    }

    /// A stored document with its blocks and passages.
    public static func document(_ d: StoredDocument) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.field("schema", documentSchema)
        w.field("id", d.id)
        w.field("title", d.title)
        w.field("path", d.path)
        w.field("body", d.body)
        w.beginArray("blocks")
        let utf8 = Array(d.body.utf8)
        for b in d.blocks {
            w.beginObject()
            w.field("kind", "\(b.kind)")
            if b.kind == .heading { w.field("level", Int(b.level)) }
            w.field("start", b.start)
            w.field("end", b.end)
            w.endObject()
        }
        w.endArray()
        w.beginArray("passages")
        utf8.withUnsafeBytes { bytes in
            var counter = ScalarCounter(bytes)
            for (i, p) in d.passages.enumerated() {
                w.beginObject()
                w.field("index", i)
                w.field("start", p.start)
                w.field("end", p.end)
                w.field("char_start", counter.scalars(upTo: p.start))
                w.field("char_end", counter.scalars(upTo: p.end))
                w.field("text", String(decoding: utf8[min(p.start, utf8.count)..<min(p.end, utf8.count)], as: UTF8.self))
                w.endObject()
            }
        }
        w.endArray()
        w.endObject()
        return w.text
    }

    static func passage(_ p: PassageResult, into w: inout JSONWriter) {
        w.beginObject()
        passageFields(p, into: &w)
        w.endObject()
    }

    static func passageFields(_ p: PassageResult, into w: inout JSONWriter) {
        w.field("index", p.index)
        w.field("start", p.start)
        w.field("end", p.end)
        w.field("char_start", p.charStart)
        w.field("char_end", p.charEnd)
        w.field("score", p.score)
        w.field("heading", p.heading)
        w.field("text", p.text)
        highlights(p.highlights, key: "highlights", into: &w)
    }

    static func highlights(_ hs: [TextHighlight], key: String, into w: inout JSONWriter) {
        w.beginArray(key)
        for h in hs {
            w.beginObject()
            w.field("start", h.start)
            w.field("end", h.end)
            w.field("char_start", h.charStart)
            w.field("char_end", h.charEnd)
            w.field("term", h.term)
            w.endObject()
        }
        w.endArray()
    }
}
