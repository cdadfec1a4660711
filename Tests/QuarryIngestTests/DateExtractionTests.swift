import QuarryCore
import QuarryDocument
import Testing

@testable import QuarryIngest

/// Dates from HTML `<meta>` elements, Markdown front matter and JSON Lines (docs/TEXT.md,
/// "Dates").
@Suite("document dates")
struct DateExtractionTests {
    private func html(_ head: String) throws -> Int64? {
        let page = "<html><head><title>T</title>\(head)</head><body><p>Text.</p></body></html>"
        return try HTMLExtractor().extract(Array(page.utf8), id: "p", path: "p.html").article.date
    }

    @Test("HTML meta dates: the most preferred kind wins, the first among equals, non-dates ignored")
    func htmlMeta() throws {
        #expect(try html("") == nil)
        // Javadoc, as under /usr/share/doc (erlang-doc's jinterface pages).
        #expect(try html(#"<meta name="dc.created" content="2026-05-03">"#) == ISODate.parse("2026-05-03"))
        #expect(try html(#"<meta name="DC.Date" content="2001-02-03T04:05:06Z">"#) == ISODate.parse("2001-02-03T04:05:06Z"))
        #expect(try html(#"<meta name="dcterms.date" content="2001-02-03">"#) == ISODate.parse("2001-02-03"))
        // Publication beats the page's date, which beats creation and modification, in any order.
        #expect(
            try html(
                #"<meta name="last-modified" content="2020-01-01"><meta name="date" content="2019-01-01"><meta property="article:published_time" content="2018-01-01T10:00:00+02:00"><meta name="dc.created" content="2017-01-01">"#
            )
                == ISODate.parse("2018-01-01T08:00:00Z"))
        #expect(
            try html(#"<meta name="dcterms.modified" content="2020-01-01"><meta name="dcterms.created" content="2017-01-01">"#)
                == ISODate.parse("2017-01-01"))
        #expect(
            try html(#"<meta name="date" content="2019-01-01"><meta name="DC.date" content="2011-01-01">"#) == ISODate.parse("2019-01-01"))
        #expect(try html(#"<meta itemprop="datePublished" content="2015-06-07">"#) == ISODate.parse("2015-06-07"))
        // A date that is not one is skipped for the next candidate.
        #expect(
            try html(#"<meta name="date" content="last Tuesday"><meta name="dc.modified" content="2021-03-04">"#)
                == ISODate.parse("2021-03-04"))
        // Other meta elements are no dates.
        #expect(try html(#"<meta name="keywords" content="2021-03-04"><meta name="description" content="2021-03-04">"#) == nil)
    }

    @Test("Markdown front matter date (YAML and TOML)")
    func markdown() {
        func md(_ s: String) -> Int64? {
            Array(s.utf8).withUnsafeBytes { MarkdownExtractor().extract($0, id: "m", path: "m.md") }.article.date
        }
        #expect(md("---\ntitle: T\ndate: 2024-05-03\n---\nText\n") == ISODate.parse("2024-05-03"))
        #expect(md("---\ndate: 2024-05-03 10:00:00 +02:00\n---\nText\n") == ISODate.parse("2024-05-03T08:00:00Z"))
        #expect(md("+++\ndate = \"2024-05-03T10:00:00Z\"\n+++\nText\n") == ISODate.parse("2024-05-03T10:00:00Z"))
        #expect(md("---\ndate: someday\n---\nText\n") == nil)
        #expect(md("# date: 2024-05-03\n\nText\n") == nil)
    }

    @Test("JSON Lines date member")
    func jsonLines() throws {
        #expect(
            try parseLine(#"{"_id":"a","title":"T","text":"x","date":"2024-05-03T10:00:00Z"}"#)?.date
                == ISODate.parse("2024-05-03T10:00:00Z"))
        #expect(try parseLine(#"{"_id":"a","text":"x","date":"soon"}"#)?.date == nil)
        #expect(try parseLine(#"{"_id":"a","text":"x","date":1714694400}"#)?.date == nil)
        #expect(try parseLine(#"{"_id":"a","text":"x"}"#)?.date == nil)
    }
}
