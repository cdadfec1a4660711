// HTML → Article: libxml2's HTML parser through its SAX interface (no tree is built), with the
// text fed straight from libxml2's buffers into a TextBuilder.
//
// Rules:
// - The title is the first `<title>`'s text, else the first `<h1>`'s (inside the main content
//   when the page has one), else "". It is not part of the body (an `<h1>` used as the title
//   stays in the body). Capped by `TitleRules`.
// - Block-level elements start and end blocks; inline elements do not break words.
//   h1–h6 → .heading(level); li, dt, dd → .listItem; td, th, caption → .tableCell;
//   pre, listing, xmp, plaintext, textarea → .preformatted (split at blank lines); other block
//   elements → .paragraph. A block element inside a list item, cell, heading or pre keeps that
//   kind; `<br>` ends the block (a newline inside preformatted text).
// - Dropped with all their content: script, style, noscript, template, svg, math, iframe, object,
//   applet, canvas, audio, video, noembed, select (with its options), datalist; comments and
//   processing instructions. Head content other than the title has no text of its own. (`embed`
//   is void and has no text; libxml2 2.9 does not know it is void, so it is not counted as a
//   dropped element, or an unclosed `<embed>` would swallow the rest of its parent.)
// - Page chrome is dropped unless `options.keepChrome`: see HTMLChrome for the rules, and
//   when the page has a main element (`main`, role="main") only its content is the body.
// - Generated pages (indexes, search pages, source listings) are reported in `PageInfo`.
// - Before parsing, start tags with more than `HTMLAttributeGuard.maxAttributes` attributes
//   lose the excess (libxml2 2.9 checks duplicate attributes in quadratic time).
// docs/TEXT.md states these rules for users.

internal import CLibXML2
import QuarryCore
import QuarryDocument

#if canImport(Glibc)
import Glibc
#endif

/// Extracts title, body text and block structure from HTML. Cheap to create; safe to use from
/// several threads at once (every call has its own parser context).
package struct HTMLExtractor: Sendable {
    package var options: ExtractionOptions

    package init(options: ExtractionOptions = .default) {
        self.options = options
    }

    /// Parses an HTML document (any charset: see `Charset.detectHTML`).
    /// Returns the article and warnings (charset problems, repaired bytes, attributes dropped,
    /// a parser that stopped early). Throws an `IngestIssue` only when the document cannot be
    /// parsed at all. `extractPage` also tells about chrome and generated pages.
    package func extract(_ bytes: UnsafeRawBufferPointer, id: String, path: String) throws -> (article: Article, issues: [IngestIssue]) {
        let result = try extractPage(bytes, id: id, path: path)
        return (result.article, result.issues)
    }

    package func extract(_ bytes: [UInt8], id: String, path: String) throws -> (article: Article, issues: [IngestIssue]) {
        try bytes.withUnsafeBytes { try extract($0, id: id, path: path) }
    }

    package func extractPage(_ bytes: [UInt8], id: String, path: String) throws -> Extraction {
        try bytes.withUnsafeBytes { try extractPage($0, id: id, path: path) }
    }

    /// The article, its warnings and what the page is (generated or not, chrome dropped).
    package func extractPage(_ bytes: UnsafeRawBufferPointer, id: String, path: String) throws -> Extraction {
        _ = LibXML2.initialized
        let prepared = Charset.prepareHTML(bytes)
        var issues = prepared.warnings.map { IngestIssue(path: path, message: $0, severity: .warning) }
        // The state lives behind a raw pointer so the callbacks reach it without reference
        // counting or dynamic exclusivity checks.
        let state = UnsafeMutablePointer<SAXState>.allocate(capacity: 1)
        state.initialize(to: SAXState(capacity: bytes.count / 2, keepChrome: options.keepChrome))
        defer {
            state.deinitialize(count: 1)
            state.deallocate()
        }
        switch prepared.payload {
        case .original(let offset):
            try guardedParse(UnsafeRawBufferPointer(rebasing: bytes[offset...]), state: state, path: path, issues: &issues)
        case .converted(let utf8):
            try utf8.withUnsafeBytes { try guardedParse($0, state: state, path: path, issues: &issues) }
        }
        var (body, blocks) = state.pointee.builder.finish()
        var page = PageInfo(generated: state.pointee.generated, chromeBytes: state.pointee.chromeBytes)
        let mainBlocks = state.pointee.mainBlocks
        if !mainBlocks.isEmpty {
            let kept = HTMLExtractor.keeping(mainBlocks, of: blocks, in: body)
            page.chromeBytes += body.utf8.count - kept.body.utf8.count
            (body, blocks) = (kept.body, kept.blocks)
        }
        var title = normalized(state.pointee.title)
        if title.isEmpty && !mainBlocks.isEmpty { title = normalized(state.pointee.mainH1Text) }
        if title.isEmpty { title = normalized(state.pointee.h1Text) }
        let article = Article(id: id, path: path, title: TitleRules.cap(title), body: body, blocks: blocks, date: state.pointee.date)
        return Extraction(article: article, issues: issues, page: page)
    }

    /// The blocks whose indexes are in `ranges`, joined again into a body.
    static func keeping(_ ranges: [Range<Int>], of blocks: [TextBlock], in body: String) -> (body: String, blocks: [TextBlock]) {
        let utf8 = Array(body.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        var kept: [TextBlock] = []
        for range in ranges {
            for i in range where i < blocks.count {
                let b = blocks[i]
                if !out.isEmpty { out.append(0x0A) }
                let start = out.count
                out.append(contentsOf: utf8[b.start..<b.end])
                kept.append(TextBlock(start: start, end: out.count, kind: b.kind, level: b.level))
            }
        }
        return (String(decoding: out, as: UTF8.self), kept)
    }

    /// Caps the attributes per start tag (`HTMLAttributeGuard`), then parses.
    private func guardedParse(
        _ utf8: UnsafeRawBufferPointer, state: UnsafeMutablePointer<SAXState>, path: String,
        issues: inout [IngestIssue]
    ) throws {
        guard let capped = HTMLAttributeGuard.capAttributes(utf8) else {
            try parse(utf8, state: state, path: path, issues: &issues)
            return
        }
        issues.append(IngestIssue(path: path, message: capped.warning, severity: .warning))
        try capped.html.withUnsafeBytes { try parse($0, state: state, path: path, issues: &issues) }
    }

    /// Options for every parse: recover from errors, never touch the network, report nothing,
    /// and ignore `<meta charset>` (the bytes are already UTF-8 when libxml2 sees them).
    static let parseOptions: Int32 = Int32(
        HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
            | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_IGNORE_ENC.rawValue)

    /// Runs libxml2 over valid UTF-8 (no NUL bytes), calling back into `state`.
    private func parse(
        _ utf8: UnsafeRawBufferPointer, state: UnsafeMutablePointer<SAXState>, path: String,
        issues: inout [IngestIssue]
    ) throws {
        guard utf8.count > 0, let base = utf8.baseAddress else { return }
        guard utf8.count <= Int(Int32.max) else {
            throw IngestIssue(path: path, message: "HTML document too large to parse (\(utf8.count) bytes; the limit is 2 GiB)")
        }
        guard let ctxt = htmlCreateMemoryParserCtxt(base.assumingMemoryBound(to: CChar.self), Int32(utf8.count)) else {
            throw IngestIssue(path: path, message: "cannot create an HTML parser (out of memory?)")
        }
        defer { htmlFreeParserCtxt(ctxt) }
        guard let sax = ctxt.pointee.sax else {
            throw IngestIssue(path: path, message: "cannot create an HTML parser (no SAX handler)")
        }
        sax.pointee = Self.makeSAXHandler()
        _ = htmlCtxtUseOptions(ctxt, Self.parseOptions)
        // The input is UTF-8. Without this, libxml2 2.9 decodes the first non-ASCII byte as
        // ISO-8859-1 and switches the whole document to Latin-1 (the HTML context does not
        // start out as UTF-8); with HTML_PARSE_IGNORE_ENC no `<meta>` can switch it later.
        ctxt.pointee.charset = Int32(XML_CHAR_ENCODING_UTF8.rawValue)
        ctxt.pointee.userData = UnsafeMutableRawPointer(state)
        _ = htmlParseDocument(ctxt)
        ctxt.pointee.userData = nil
        if let input = ctxt.pointee.input, let cur = input.pointee.cur, let end = input.pointee.end, cur < end {
            let consumed = cur - UnsafePointer<xmlChar>(base.assumingMemoryBound(to: xmlChar.self))
            let at = consumed >= 0 && consumed <= utf8.count ? " at byte \(consumed) of \(utf8.count) (after decoding)" : ""
            issues.append(
                IngestIssue(
                    path: path,
                    message: "HTML parser stopped early\(at); the rest of the document is missing (libxml2 error \(ctxt.pointee.errNo))",
                    severity: .warning))
        }
    }

    /// The SAX callbacks. They capture nothing: the state comes through libxml2's `userData`.
    private static func makeSAXHandler() -> htmlSAXHandler {
        var sax = htmlSAXHandler()
        sax.startElement = { ctx, name, attributes in
            guard let ctx, let name else { return }
            ctx.assumingMemoryBound(to: SAXState.self).pointee.startElement(name, attributes)
        }
        sax.endElement = { ctx, name in
            guard let ctx, let name else { return }
            ctx.assumingMemoryBound(to: SAXState.self).pointee.endElement(name)
        }
        sax.characters = { ctx, ch, len in
            guard let ctx, let ch, len > 0 else { return }
            ctx.assumingMemoryBound(to: SAXState.self).pointee.characters(ch, Int(len))
        }
        sax.ignorableWhitespace = sax.characters
        // libxml2 delivers script and style content here; they are dropped anyway, but going
        // through the same checks keeps that true whatever elements a libxml2 version treats as raw text.
        sax.cdataBlock = sax.characters
        // A structured-error callback that ignores everything: nothing is printed and no global
        // handler is needed (libxml2 prefers this per-context callback when `initialized` is the SAX2 magic).
        sax.serror = { _, _ in }
        sax.initialized = UInt32(XML_SAX2_MAGIC)
        return sax
    }

    private func normalized(_ bytes: [UInt8]) -> String {
        guard !bytes.isEmpty else { return "" }
        var builder = TextBuilder(capacity: bytes.count)
        bytes.withUnsafeBytes { builder.append($0) }
        return builder.finish().body
    }
}
