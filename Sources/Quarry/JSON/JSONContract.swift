import QuarryCore
import QuarryDocument
import QuarryIndex
import QuarrySearch

/// Quarry's JSON output for tools (documented in docs/JSON.md). Every object carries a
/// `schema` name with a version; fields are only ever added within a version.
public enum JSONContract {
    /// Search responses (documents or passages).
    public static let searchSchema = "quarry.search/1"
    /// A stored document.
    public static let documentSchema = "quarry.document/1"
    /// Index statistics.
    public static let statsSchema = "quarry.stats/1"
    /// The outcome of a check.
    public static let checkSchema = "quarry.check/1"

    /// A document search response.
    public static func documents(
        query: String, qid: String? = nil, results: [DocumentResult], notices: [QueryNotice] = [], tookMilliseconds: Double
    ) -> String {
        var w = searchHeader(query: query, qid: qid, mode: "documents", notices: notices, tookMilliseconds: tookMilliseconds)
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
            if let e = r.explanation { explanation(e, into: &w) }
            w.field("date", r.date.map(ISODate.format))
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.text
    }

    /// A passage search response.
    public static func passages(
        query: String, qid: String? = nil, hits: [PassageHit], notices: [QueryNotice] = [], tookMilliseconds: Double
    ) -> String {
        var w = searchHeader(query: query, qid: qid, mode: "passages", notices: notices, tookMilliseconds: tookMilliseconds)
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
            if let e = h.explanation { explanation(e, into: &w) }
            w.field("date", h.date.map(ISODate.format))
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.text
    }

    /// The fields every search response starts with, up to the opened `results` array.
    private static func searchHeader(query: String, qid: String?, mode: String, notices: [QueryNotice], tookMilliseconds: Double)
        -> JSONWriter
    {
        var w = JSONWriter()
        w.beginObject()
        w.field("schema", searchSchema)
        if let qid { w.field("qid", qid) }
        w.field("query", query)
        w.field("mode", mode)
        w.field("took_ms", (tookMilliseconds * 1000).rounded() / 1000)
        w.beginArray("notices")
        for n in notices {
            w.beginObject()
            w.field("code", n.code)
            w.field("message", n.message)
            w.endObject()
        }
        w.endArray()
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
        w.field("date", d.date.map(ISODate.format))
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
        if let c = p.crop {
            w.beginObject("snippet")
            w.field("start", c.start)
            w.field("end", c.end)
            w.field("char_start", c.charStart)
            w.field("char_end", c.charEnd)
            w.field("text", c.text)
            w.endObject()
        }
    }

    /// `explanation`: the score and its parts (BM25 per term or phrase and field).
    static func explanation(_ e: ScoreExplanation, into w: inout JSONWriter) {
        w.beginObject("explanation")
        w.field("score", e.score)
        w.beginArray("parts")
        for p in e.parts {
            w.beginObject()
            w.field("clause", p.clause)
            w.field("field", p.field)
            w.beginArray("terms")
            for t in p.terms {
                w.beginObject()
                w.field("term", t.term)
                w.field("df", t.df)
                w.field("idf", t.idf)
                w.endObject()
            }
            w.endArray()
            w.field("boost", p.boost)
            w.field("idf", p.idf)
            w.field("documents", p.documents)
            w.field("tf", p.tf)
            w.field("length", p.length)
            w.field("average_length", p.averageLength)
            w.field("k1", p.k1)
            w.field("b", p.b)
            w.field("length_norm", p.lengthNorm)
            w.field("score", p.score)
            if let fields = p.fields {
                w.beginArray("fields")
                for f in fields {
                    w.beginObject()
                    w.field("field", f.field)
                    w.field("tf", f.tf)
                    w.field("length", f.length)
                    w.field("average_length", f.averageLength)
                    w.field("weight", f.weight)
                    w.field("b", f.b)
                    w.field("length_norm", f.lengthNorm)
                    w.field("weighted_tf", f.weightedTF)
                    w.endObject()
                }
                w.endArray()
            }
            w.endObject()
        }
        w.endArray()
        w.endObject()
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

    /// What an index holds (`quarry stats --json`). `index` is the directory as the user
    /// named it.
    public static func stats(_ s: IndexStats, index: String) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.field("schema", statsSchema)
        w.field("index", index)
        w.field("generation", s.generation)
        w.field("documents", s.documents)
        w.field("deleted_documents", s.deletedDocuments)
        w.field("passages", s.passages)
        w.field("terms_summed_over_segments", s.termsSummedOverSegments)
        w.field("segments", s.segments)
        w.field("bytes", s.bytes)
        w.field("bytes_without_stored_text", s.bytesWithoutStoredText)
        w.beginObject("bytes_by_file")
        for (k, v) in s.bytesByFile { w.field(k, v) }
        w.endObject()
        let a = s.settings.analyzer
        w.beginObject("analyzer")
        w.field("language", a.language)
        w.field("stopwords", a.stopwords.count)
        w.field("fold_diacritics", a.foldDiacritics)
        w.endObject()
        w.beginObject("passages_settings")
        w.field("target_words", s.settings.passages.targetWords)
        w.field("overlap_words", s.settings.passages.overlapWords)
        w.endObject()
        w.field("average_title_length", s.averageTitleLength)
        w.field("average_body_length", s.averageBodyLength)
        w.endObject()
        return w.text
    }

    /// The outcome of a check (`quarry check --json`).
    public static func check(_ report: CheckReport) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.field("schema", checkSchema)
        w.field("ok", report.ok)
        w.field("segments", report.segments)
        w.field("documents", report.documents)
        w.field("terms", report.terms)
        w.field("postings", report.postings)
        w.field("files", report.files)
        w.beginArray("problems")
        for p in report.problems {
            w.beginObject()
            w.field("file", p.file)
            if let o = p.offset { w.field("offset", o) }
            w.field("message", p.message)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.text
    }
}
