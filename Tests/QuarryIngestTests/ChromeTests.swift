import QuarryCore
import QuarryDocument
import Testing

@testable import QuarryIngest

private func page(_ html: String, keepChrome: Bool = false) throws -> Extraction {
    try HTMLExtractor(options: ExtractionOptions(keepChrome: keepChrome)).extractPage(Array(html.utf8), id: "p", path: "p.html")
}

private func texts(_ a: Article) -> [String] {
    let u = Array(a.body.utf8)
    return a.blocks.map { String(decoding: u[$0.start..<$0.end], as: UTF8.self) }
}

@Suite("Page chrome")
struct ChromeTests {
    static let chromePage = """
        <html><head><title>Page</title></head><body>
        <header><p>Site banner</p></header>
        <div role="banner">Banner role</div>
        <div class="related" role="navigation"><a href="a">previous</a></div>
        <div class="navheader">Prev Up Next</div>
        <h1>Heading<a class="headerlink" href="#h">¶</a></h1>
        <article><header><p>Article header</p></header><p>Body text.</p><footer><p>Article footer</p></footer></article>
        <span aria-hidden="true">icon</span><p hidden>hidden text</p>
        <div class="sphinxsidebar"><p>Sidebar</p></div>
        <div class="other nav"><p>nav class</p></div>
        <div role="contentinfo">Copyright</div>
        <footer><p>Site footer</p></footer>
        <div class="navfooter">Prev Next</div>
        </body></html>
        """

    @Test("chrome is dropped; header and footer inside an article stay; headerlink ¶ goes")
    func dropped() throws {
        let r = try page(Self.chromePage)
        #expect(texts(r.article) == ["Heading", "Article header", "Body text.", "Article footer"])
        #expect(r.page.chromeBytes > 0)
        #expect(r.article.title == "Page")
    }

    @Test("keepChrome keeps everything")
    func kept() throws {
        let r = try page(Self.chromePage, keepChrome: true)
        for s in [
            "Site banner", "Banner role", "previous", "Prev Up Next", "Heading¶", "icon", "hidden text",
            "Sidebar", "nav class", "Copyright", "Site footer", "Prev Next",
        ] {
            #expect(r.article.body.contains(s), "\(s)")
        }
        #expect(r.page.chromeBytes == 0)
    }

    @Test("with a main element only its content is the body; the title still comes from <title>")
    func main() throws {
        let r = try page(
            """
            <title>T</title><h1>Site</h1><p>Outside.</p><div role="main"><h2>In</h2><p>Inside.</p></div><p>After.</p>
            """)
        #expect(texts(r.article) == ["In", "Inside."])
        #expect(r.article.title == "T")
        #expect(r.page.chromeBytes > 0)
        let untitled = try page("<h1>Site name</h1><main><h1>Real title</h1><p>x</p></main>")
        #expect(untitled.article.title == "Real title")
        let kept = try page("<p>Outside.</p><main><p>Inside.</p></main>", keepChrome: true)
        #expect(texts(kept.article) == ["Outside.", "Inside."])
    }

    @Test("a link bar (links and separators only) is chrome; links in a sentence are not")
    func linkBars() throws {
        let r = try page(
            """
            <div>&laquo; <a href="p">previous</a> | <a href="u">up</a> | <a href="n">next</a> &raquo;</div>
            <div><a href="/">Home</a> | <a href="c">Contents</a> | <a href="i">Index</a></div>
            <p>See <a href="x">x</a> | <a href="y">y</a> for more.</p>
            <p><a href="a">alpha</a>, <a href="b">beta</a></p>
            <p>Text.</p>
            """)
        #expect(texts(r.article) == ["See x | y for more.", "alpha, beta", "Text."])
        #expect(r.page.chromeBytes > 0)
    }

    @Test("a page without chrome reports none")
    func noChrome() throws {
        let r = try page("<title>T</title><h1>T</h1><p>Only content.</p>")
        #expect(r.page.chromeBytes == 0)
        #expect(r.page.generated == nil)
    }
}

@Suite("Generated pages")
struct GeneratedPageTests {
    @Test("index tables, search results and source listings are detected from the page")
    func detected() throws {
        #expect(
            try page(#"<h1>Index</h1><table class="indextable genindextable"><tr><td>a</td></tr></table>"#).page.generated?.kind == .index)
        #expect(try page(#"<table class="indextable modindextable"><tr><td>os</td></tr></table>"#).page.generated?.kind == .index)
        #expect(try page(#"<div class="index"><div class="indexdiv"><h3>A</h3></div></div>"#).page.generated?.kind == .index)
        #expect(try page(#"<h1>Search</h1><div id="search-results"></div>"#).page.generated?.kind == .search)
        let listing = try page(
            #"<h1>Source code for m</h1><div class="viewcode-block" id="f"><a class="viewcode-back" href="x">[docs]</a>def f(): pass</div>"#
        )
        #expect(listing.page.generated?.kind == .sourceListing)
        #expect(listing.page.generated?.evidence.contains("viewcode") == true)
        #expect(try page("<h1>Index of things</h1><p>An ordinary page about indexes.</p>").page.generated == nil)
    }

    /// Real pages from Debian's documentation packages, when installed.
    @Test("real Sphinx and DocBook pages (skipped when /usr/share/doc lacks them)")
    func realPages() throws {
        let cases: [(String, GeneratedPage.Kind?)] = [
            ("/usr/share/doc/python-django-doc/html/genindex.html", .index),
            ("/usr/share/doc/python-django-doc/html/py-modindex.html", .index),
            ("/usr/share/doc/python-django-doc/html/search.html", .search),
            ("/usr/share/doc/python-django-doc/html/_modules/django/db/models/query.html", .sourceListing),
            ("/usr/share/doc/python-django-doc/html/topics/http/urls.html", nil),
            ("/usr/share/doc/python3.11/html/genindex-A.html", .index),
            ("/usr/share/doc/python3.11/html/library/os.html", nil),
            ("/usr/share/doc/postgresql-doc-15/html/bookindex.html", .index),
            ("/usr/share/doc/postgresql-doc-15/html/sql-select.html", nil),
        ]
        var found = 0
        for (path, kind) in cases {
            guard let bytes = try? readFile(path) else { continue }
            found += 1
            let r = try HTMLExtractor().extractPage(bytes, id: path, path: path)
            #expect(r.page.generated?.kind == kind, "\(path)")
            if kind == nil {
                #expect(r.page.chromeBytes > 0, "\(path)")
                #expect(!r.article.body.contains("¶"), "\(path)")
            }
        }
        if found == 0 { print("skipped: no documentation pages under /usr/share/doc") }
    }
}
