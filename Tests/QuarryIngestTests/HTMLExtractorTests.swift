import QuarryCore
import QuarryDocument
import Testing

@testable import QuarryIngest

#if canImport(Glibc)
import Glibc
#endif

private func extract(_ html: String, path: String = "test.html") throws -> Article {
    try extractBytes(Array(html.utf8), path: path).article
}

private func extractBytes(_ bytes: [UInt8], path: String = "test.html") throws -> (article: Article, issues: [IngestIssue]) {
    let result = try HTMLExtractor().extract(bytes, id: path, path: path)
    checkInvariants(result.article)
    return result
}

/// The texts of the blocks.
private func texts(_ article: Article) -> [String] {
    let utf8 = Array(article.body.utf8)
    return article.blocks.map { String(decoding: utf8[$0.start..<$0.end], as: UTF8.self) }
}

private func kinds(_ article: Article) -> [BlockKind] { article.blocks.map(\.kind) }

/// Block ranges slice `body.utf8` on character boundaries, in order, and the body is exactly
/// the blocks joined by "\n".
private func checkInvariants(_ article: Article, sourceLocation: SourceLocation = #_sourceLocation) {
    let utf8 = Array(article.body.utf8)
    var previousEnd = -1
    for block in article.blocks {
        #expect(block.start < block.end, sourceLocation: sourceLocation)
        #expect(block.start > previousEnd, sourceLocation: sourceLocation)
        #expect(block.end <= utf8.count, sourceLocation: sourceLocation)
        guard block.start < block.end, block.end <= utf8.count, block.start >= 0 else { return }
        #expect(String(validating: utf8[block.start..<block.end], as: UTF8.self) != nil, sourceLocation: sourceLocation)
        #expect(utf8[block.start] & 0xC0 != 0x80, sourceLocation: sourceLocation)
        if block.end < utf8.count {
            #expect(utf8[block.end] == 0x0A, sourceLocation: sourceLocation)
        }
        if block.kind == .heading {
            #expect((1...6).contains(block.level), sourceLocation: sourceLocation)
        } else {
            #expect(block.level == 0, sourceLocation: sourceLocation)
        }
        previousEnd = block.end
    }
    #expect(texts(article).joined(separator: "\n") == article.body, sourceLocation: sourceLocation)
    #expect(!article.title.hasPrefix(" ") && !article.title.hasSuffix(" "), sourceLocation: sourceLocation)
}

private func readCorpusFile(_ name: String) throws -> [UInt8] {
    // Tests/QuarryIngestTests/HTMLExtractorTests.swift → package root → Corpus/name
    var components = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    components.removeLast(3)
    let path = components.joined(separator: "/") + "/Corpus/" + name
    guard let file = fopen(path, "rb") else {
        throw IngestIssue(path: path, message: "cannot open")
    }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buffer, 1, buffer.count, file)
        if n <= 0 { break }
        bytes += buffer[0..<n]
    }
    return bytes
}

@Suite("HTML extraction")
struct HTMLExtractorTests {
    @Test("named and numeric entities are decoded; &nbsp; is whitespace")
    func entities() throws {
        let a = try extract("<p>Caf&eacute; &amp; bar&#8212;baz&nbsp;&nbsp;qux &#x263A; &lt;tag&gt; &quot;q&quot;</p>")
        #expect(a.body == "Café & bar—baz qux ☺ <tag> \"q\"")
    }

    @Test("table cells are separate blocks")
    func tableCells() throws {
        let a = try extract("<table><caption>Cap</caption><tr><th>H</th></tr><tr><td>One</td><td>Two</td></tr></table>")
        #expect(texts(a) == ["Cap", "H", "One", "Two"])
        #expect(kinds(a) == [.tableCell, .tableCell, .tableCell, .tableCell])
        #expect(!a.body.contains("OneTwo"))
        // Unclosed cells, as often written by hand.
        let b = try extract("<table><tr><td>a<td>b<tr><td>c</table>")
        #expect(texts(b) == ["a", "b", "c"])
    }

    @Test("script, style, comments and processing instructions leave no text")
    func droppedContent() throws {
        let a = try extract(
            """
            <html><head><title>T</title><style>p { color: stylemarker }</style>
            <script>var x = "<p>scriptmarker</p>";</script></head>
            <body><!-- commentmarker --><?php echo "pimarker"; ?><p>visible</p>
            <script type="text/javascript">document.write('scriptmarker2')</script></body></html>
            """)
        #expect(a.body == "visible")
        #expect(a.title == "T")
    }

    @Test("other dropped elements: svg, math, iframe, object, template, noscript, select, canvas, audio, video")
    func otherDropped() throws {
        let a = try extract(
            """
            <p>a</p><svg><title>svgtitle</title><text>svgtext</text></svg><math><mi>x</mi></math>
            <iframe>frametext</iframe><object>objtext</object><template><p>tpl</p></template>
            <noscript>enable js</noscript><select><option>opt1</option><option>opt2</option></select>
            <canvas>canvastext</canvas><audio>audiotext</audio><video>videotext</video><p>b</p>
            """)
        #expect(texts(a) == ["a", "b"])
        #expect(a.title == "")
    }

    @Test("an unclosed embed does not swallow its parent")
    func embed() throws {
        let a = try extract("<p>before<embed src=x>after</p>")
        #expect(a.body == "beforeafter")
    }

    @Test("title: <title>, else the first h1, else empty; normalised; not in the body")
    func title() throws {
        let a = try extract("<html><head><title>\n  A   &amp;\tB </title></head><body><h1>Head</h1><p>x</p></body></html>")
        #expect(a.title == "A & B")
        #expect(texts(a) == ["Head", "x"])
        let b = try extract("<body><h2>Second</h2><h1>First <i>one</i></h1><h1>Another</h1></body>")
        #expect(b.title == "First one")
        #expect(texts(b) == ["Second", "First one", "Another"])
        let c = try extract("<title>  </title><h1>Fallback</h1>")
        #expect(c.title == "Fallback")
        let d = try extract("<p>no title at all</p>")
        #expect(d.title == "")
        let e = try extract("<h1>Two<br>lines</h1>")
        #expect(e.title == "Two lines")
        #expect(texts(e) == ["Two", "lines"])
    }

    @Test("inline elements never break or join words wrongly")
    func inlineElements() throws {
        #expect(try extract("<p>foo<b>bar</b></p>").body == "foobar")
        #expect(try extract("<p><b>foo</b> bar</p>").body == "foo bar")
        #expect(try extract("<p>x<a href='#'><span><em>y</em>z</span></a> <code>c</code><sup>2</sup></p>").body == "xyz c2")
        #expect(try extract("<p>  spaced \n\t out   </p>").body == "spaced out")
    }

    @Test("<br> ends a block")
    func lineBreak() throws {
        let a = try extract("<p>one<br>two<br/>three<br><br></p><li>i1<br>i2</li>")
        #expect(texts(a) == ["one", "two", "three", "i1", "i2"])
        #expect(kinds(a) == [.paragraph, .paragraph, .paragraph, .listItem, .listItem])
    }

    @Test("pre keeps line breaks and indentation and splits at blank lines")
    func preformatted() throws {
        let a = try extract("<p>before</p><pre>\nfunc f() {\n    return 1\n}\n\n   \nlet x = f()\n</pre><p>after</p>")
        #expect(texts(a) == ["before", "func f() {\n    return 1\n}", "let x = f()", "after"])
        #expect(kinds(a) == [.paragraph, .preformatted, .preformatted, .paragraph])
        let b = try extract("<pre>a <b>bold</b>\r\nb<br>c</pre>")
        #expect(texts(b) == ["a bold\nb\nc"])
    }

    @Test("headings carry their level")
    func headings() throws {
        let a = try extract("<h1>1</h1><h2>2</h2><h3>3</h3><h4>4</h4><h5>5</h5><h6>6</h6><p>p</p>")
        #expect(a.blocks.map(\.level) == [1, 2, 3, 4, 5, 6, 0])
        #expect(kinds(a) == [.heading, .heading, .heading, .heading, .heading, .heading, .paragraph])
    }

    @Test("lists: li, nested lists, dt and dd; block elements inside keep the list kind")
    func lists() throws {
        let a = try extract(
            "<ul><li>item <em>one</em><ul><li>sub</li></ul>tail</li><li><p>para in li</p></li></ul><dl><dt>T</dt><dd>D</dd></dl><p>end</p>")
        #expect(texts(a) == ["item one", "sub", "tail", "para in li", "T", "D", "end"])
        #expect(kinds(a) == [.listItem, .listItem, .listItem, .listItem, .listItem, .listItem, .paragraph])
    }

    @Test("block-level elements break text")
    func blockElements() throws {
        let a = try extract("<div>a<div>b</div>c</div><section>d</section><blockquote>e</blockquote>f<hr>g<article>h</article>")
        #expect(texts(a) == ["a", "b", "c", "d", "e", "f", "g", "h"])
        let b = try extract("<p>a<p>b")
        #expect(texts(b) == ["a", "b"])
    }

    @Test("broken input never crashes")
    func brokenInput() throws {
        let samples: [[UInt8]] = [
            [],
            Array("   ".utf8),
            Array("<".utf8),
            Array("<p".utf8),
            Array("<p>trunc<b".utf8),
            Array("<p>a</p><!-- unclosed comment".utf8),
            Array("<script>never closed".utf8),
            Array("</p></div></body>".utf8),
            Array("<![CDATA[x]]><p>y".utf8),
            Array("<p>a\u{0}b</p>\u{0}".utf8),
            Array("<p title='unterminated>text</p>".utf8),
            Array("<p>&#0;&#xD800;&#x110000;&unknown;&amp</p>".utf8),
            [0xFF, 0xFE],
            [0xFE, 0xFF, 0x00],
            [0xEF, 0xBB, 0xBF],
            [0x3C, 0x70, 0x3E, 0xC3],
        ]
        for sample in samples {
            _ = try extractBytes(sample)
        }
        #expect(try extractBytes([]).article.body == "")
        #expect(try extractBytes(Array("<p>trunc<b".utf8)).article.body == "trunc")
        let nul = try extractBytes(Array("<p>a\u{0}b</p>".utf8))
        #expect(nul.article.body == "ab")
        #expect(nul.issues.contains { $0.severity == .warning && $0.message.contains("NUL") })
    }

    @Test("random bytes and random tag soup never crash")
    func fuzz() throws {
        var rng = SplitMix64(seed: 7)
        let tokens = [
            "<p>", "</p>", "<td>", "<tr>", "<table>", "</table>", "<pre>", "</pre>", "\n", "\n\n", " ",
            "<br>", "<script>", "</script>", "<style>", "<!--", "-->", "<svg>", "</svg>", "<title>",
            "</title>", "<h1>", "</h1>", "<li>", "<b>", "</b>", "&amp;", "&nbsp;", "&#", "é", "word",
            "<", ">", "\"", "'", "=", "<meta charset=utf-8>", "\u{0}", "<?", "?>", "<![CDATA[", "]]>",
            "<select>", "<option>", "</div>", "<div>", "&", ";", "\r", "\u{A0}",
        ]
        for round in 0..<300 {
            var bytes: [UInt8] = []
            if round % 3 == 0 {
                bytes = (0..<Int.random(in: 0...600, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            } else {
                for _ in 0..<Int.random(in: 0...120, using: &rng) {
                    bytes += Array(tokens[Int.random(in: 0..<tokens.count, using: &rng)].utf8)
                }
                if round % 5 == 0, !bytes.isEmpty {
                    bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0x80...0xFF, using: &rng)
                }
            }
            _ = try extractBytes(bytes)
        }
    }

    @Test("deeply nested and very large constructs")
    func deepNesting() throws {
        let deep = String(repeating: "<div>", count: 5000) + "deep" + String(repeating: "</div>", count: 5000)
        #expect(try extract(deep).body == "deep")
        let items = "<ul>" + String(repeating: "<li>x", count: 3000) + "</ul>"
        #expect(try extract(items).blocks.count == 3000)
        let longName = "<p>a</p><" + String(repeating: "x", count: 20000) + ">b</p>"
        #expect(try extract(longName).body.hasPrefix("a"))
    }

    @Test("windows-1251 document")
    func windows1251() throws {
        var bytes = Array(#"<html><head><meta charset="windows-1251"><title>"#.utf8)
        bytes += [0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2]  // Привет
        bytes += Array("</title></head><body><p>".utf8)
        bytes += [0xEC, 0xE8, 0xF0]  // мир
        bytes += Array("</p></body></html>".utf8)
        let (a, issues) = try extractBytes(bytes)
        #expect(a.title == "Привет")
        #expect(a.body == "мир")
        #expect(issues.isEmpty)
    }

    @Test("ISO-8859-1 document (decoded as windows-1252, as browsers do)")
    func latin1() throws {
        var bytes = Array(#"<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"><p>"#.utf8)
        bytes += [0x63, 0x61, 0x66, 0xE9, 0x20, 0x47, 0x72, 0xFC, 0xDF, 0x65, 0x20, 0x80]  // café Grüße €
        bytes += Array("</p>".utf8)
        let (a, issues) = try extractBytes(bytes)
        #expect(a.body == "café Grüße €")
        #expect(issues.isEmpty)
    }

    @Test("a UTF-8 document whose meta says otherwise is decoded as declared, and libxml2 does not re-decode it")
    func metaIsAuthoritative() throws {
        // Declared windows-1252: the UTF-8 bytes of "é" read as "Ã©", as in a browser.
        let a = try extract(#"<meta charset="windows-1252"><p>é</p>"#)
        #expect(a.body == "Ã©")
        // No declaration and valid UTF-8.
        let b = try extract("<p>é — ☕</p>")
        #expect(b.body == "é — ☕")
    }

    @Test("declared UTF-8 but invalid: U+FFFD and a warning")
    func invalidUTF8() throws {
        let bytes = Array(#"<meta charset="utf-8"><p>caf"#.utf8) + [0xE9] + Array(" ok</p>".utf8)
        let (a, issues) = try extractBytes(bytes)
        #expect(a.body == "caf\u{FFFD} ok")
        #expect(issues.count == 1)
        #expect(issues.first?.severity == .warning)
    }

    @Test("unknown charset: warning, then the fallback")
    func unknownCharset() throws {
        let (a, issues) = try extractBytes(Array(#"<meta charset="x-nonsense"><p>plain</p>"#.utf8))
        #expect(a.body == "plain")
        #expect(issues.count == 1)
        #expect(issues.first?.message.contains("x-nonsense") == true)
        #expect(issues.first?.path == "test.html")
    }

    @Test("UTF-16 with a byte-order mark")
    func utf16Document() throws {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in "<p>Grüße ☕</p>".utf16 {
            bytes.append(UInt8(unit & 0xFF))
            bytes.append(UInt8(unit >> 8))
        }
        #expect(try extractBytes(bytes).article.body == "Grüße ☕")
    }

    @Test("extraction from several threads at once gives the same results")
    func concurrency() async throws {
        let names = ["dopamine.html", "sleep.html", "serotonin-fr.html", "adrenal-glands-ru.html"]
        let files = try names.map { try readCorpusFile($0) }
        let expected = try files.map { try HTMLExtractor().extract($0, id: "x", path: "x").article }
        try await withThrowingTaskGroup(of: (Int, Article).self) { group in
            for round in 0..<32 {
                let index = round % files.count
                let bytes = files[index]
                group.addTask {
                    (index, try HTMLExtractor().extract(bytes, id: "x", path: "x").article)
                }
            }
            for try await (index, article) in group {
                #expect(article == expected[index])
            }
        }
    }
}

@Suite("Corpus HTML files")
struct CorpusHTMLTests {
    private let markers = ["stylemarker", "scriptmarker", "commentmarker", "noscriptmarker", "headmarker"]

    @Test("dopamine.html: entities, table, script/style/comment dropped, h1–h3, list")
    func dopamine() throws {
        let (a, issues) = try extractBytes(try readCorpusFile("dopamine.html"), path: "dopamine.html")
        #expect(issues.isEmpty)
        #expect(a.title == "Dopamine: the molecule of motivation & movement")
        for marker in markers { #expect(!a.body.contains(marker)) }
        #expect(!a.body.contains("font-family"))
        #expect(a.body.contains("dopamine β-hydroxylase"))
        #expect(a.body.contains("in the brain — each"))
        #expect(a.body.contains("Parkinson’s disease"))
        #expect(a.body.contains("résumé"))
        #expect(a.body.contains("(DAT) & prolongs"))
        let t = texts(a)
        #expect(t.contains("D2, D3, D4"))
        #expect(t.contains("Dopamine receptor families"))
        #expect(!a.body.contains("D1-likeD1"))
        #expect(a.blocks.contains { $0.kind == .heading && $0.level == 3 })
        #expect(a.blocks.filter { $0.kind == .listItem }.count == 4)
        #expect(a.blocks.filter { $0.kind == .tableCell }.count == 10)
    }

    @Test("sleep.html: title from h1, pre, dl, br, noscript dropped")
    func sleep() throws {
        let (a, issues) = try extractBytes(try readCorpusFile("sleep.html"), path: "sleep.html")
        #expect(issues.isEmpty)
        #expect(a.title == "Sleep and the glymphatic system")
        for marker in markers { #expect(!a.body.contains(marker)) }
        #expect(a.body.contains("process S"))
        #expect(a.body.contains("7–9 hours — roughly"))
        let pre = a.blocks.filter { $0.kind == .preformatted }
        #expect(pre.count == 2)
        #expect(texts(a).contains("date        bed    wake   quality\n2024-03-01  23:10  06:45  good\n2024-03-02  00:30  06:45  poor"))
        #expect(texts(a).contains("This clearance route is called the glymphatic system."))
    }

    @Test("serotonin-fr.html: ISO-8859-1 declared, French and German accents")
    func serotonin() throws {
        let (a, issues) = try extractBytes(try readCorpusFile("serotonin-fr.html"), path: "serotonin-fr.html")
        #expect(issues.isEmpty)
        #expect(a.title == "La sérotonine, messagère de l'humeur")
        #expect(a.body.contains("synthétisée à partir du tryptophane"))
        #expect(a.body.contains("n'apparaît qu'après"))
        #expect(a.body.contains("„Glückshormon“"))
        #expect(a.body.contains("Größere Mengen"))
        #expect(a.body.contains("Environ 90 % de la"))
    }

    @Test("adrenal-glands-ru.html: windows-1251 Cyrillic")
    func adrenal() throws {
        let (a, issues) = try extractBytes(try readCorpusFile("adrenal-glands-ru.html"), path: "adrenal-glands-ru.html")
        #expect(issues.isEmpty)
        #expect(a.title == "Надпочечники и гормоны стресса")
        #expect(texts(a).first == "Надпочечники")
        #expect(a.body.contains("Надпочечники — парные эндокринные железы"))
        #expect(texts(a).contains("адреналин, норадреналин"))
        #expect(a.body.contains("Norepinephrine & epinephrine"))
    }
}

@Suite("Navigation landmarks")
struct NavigationLandmarkTests {
    @Test("nav elements and role=navigation/search subtrees are not content")
    func dropped() throws {
        let html = """
            <html><body><nav><ul><li>Home</li><li>About</li></ul></nav>
            <div class="sphinxsidebar" role="navigation"><ul><li>Sidebar entry</li></ul><div><p>deep</p></div></div>
            <form role="Search"><input name="q"><p>search box</p></form>
            <h1>Real heading</h1><p>Real <b>content</b> here.</p>
            <div><p>Main text.</p></div></body></html>
            """
        let (article, _) = try HTMLExtractor().extract(Array(html.utf8), id: "n", path: "n")
        #expect(article.body == "Real heading\nReal content here.\nMain text.")
        #expect(article.title == "Real heading")
    }
}
