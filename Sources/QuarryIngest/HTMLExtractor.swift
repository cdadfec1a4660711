// HTML → Article: libxml2's HTML parser through its SAX interface (no tree is built), with the
// text fed straight from libxml2's buffers into a TextBuilder.
//
// Rules:
// - The title is the first `<title>`'s text, else the first `<h1>`'s, else "". It is not part
//   of the body (an `<h1>` used as the title stays in the body).
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
// - Navigation landmarks are dropped too: `nav`, and any element with role="navigation" or
//   role="search" (page chrome such as Sphinx's sidebar, repeated on every page, not content).

internal import CLibXML2
import QuarryCore
import QuarryDocument

#if canImport(Glibc)
import Glibc
#endif

/// Extracts title, body text and block structure from HTML. Cheap to create; safe to use from
/// several threads at once (every call has its own parser context).
package struct HTMLExtractor: Sendable {
    package init() {}

    /// Parses an HTML document (any charset: see `Charset.detectHTML`).
    /// Returns the article and warnings (charset problems, repaired bytes, a parser that
    /// stopped early). Throws an `IngestIssue` only when the document cannot be parsed at all.
    package func extract(_ bytes: UnsafeRawBufferPointer, id: String, path: String) throws -> (article: Article, issues: [IngestIssue]) {
        _ = LibXML2.initialized
        let prepared = Charset.prepareHTML(bytes)
        var issues = prepared.warnings.map { IngestIssue(path: path, message: $0, severity: .warning) }
        // The state lives behind a raw pointer so the callbacks reach it without reference
        // counting or dynamic exclusivity checks.
        let state = UnsafeMutablePointer<SAXState>.allocate(capacity: 1)
        state.initialize(to: SAXState(capacity: bytes.count / 2))
        defer {
            state.deinitialize(count: 1)
            state.deallocate()
        }
        switch prepared.payload {
        case .original(let offset):
            try parse(UnsafeRawBufferPointer(rebasing: bytes[offset...]), state: state, path: path, issues: &issues)
        case .converted(let utf8):
            try utf8.withUnsafeBytes { try parse($0, state: state, path: path, issues: &issues) }
        }
        let (body, blocks) = state.pointee.builder.finish()
        var title = normalized(state.pointee.title)
        if title.isEmpty { title = normalized(state.pointee.h1Text) }
        return (Article(id: id, path: path, title: title, body: body, blocks: blocks), issues)
    }

    package func extract(_ bytes: [UInt8], id: String, path: String) throws -> (article: Article, issues: [IngestIssue]) {
        try bytes.withUnsafeBytes { try extract($0, id: id, path: path) }
    }

    /// Options for every parse: recover from errors, never touch the network, report nothing,
    /// and ignore `<meta charset>` (the bytes are already UTF-8 when libxml2 sees them).
    static let parseOptions: Int32 = Int32(
        HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
            | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_IGNORE_ENC.rawValue)

    /// Runs libxml2 over valid UTF-8 (no NUL bytes), calling back into `state`.
    private func parse(_ utf8: UnsafeRawBufferPointer, state: UnsafeMutablePointer<SAXState>, path: String,
                       issues: inout [IngestIssue]) throws {
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
            issues.append(IngestIssue(path: path, message: "HTML parser stopped early\(at); the rest of the document is missing (libxml2 error \(ctxt.pointee.errNo))", severity: .warning))
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

// MARK: - Element classification

/// What an element means for text extraction.
struct ElementInfo: Equatable {
    enum Role: UInt8 {
        /// Inline or unknown: no effect on blocks.
        case inline
        /// A block break; the text inside has the kind of the enclosing context (paragraph by default).
        case block
        /// An element that sets the kind of the blocks inside it (heading, list item, cell, pre).
        case context
        /// Dropped with all its content.
        case drop
        case title
        case lineBreak
    }

    var role: Role
    var kind: BlockKind = .paragraph
    var level: UInt8 = 0

    static let inline = ElementInfo(role: .inline)
}

/// An element name packed into two words (lower-cased, at most 16 bytes).
struct ElementKey: Hashable {
    var lo: UInt64
    var hi: UInt64

    /// Packs a NUL-terminated name; nil for names longer than 16 bytes (never a known element).
    @inline(__always) init?(_ name: UnsafePointer<xmlChar>) {
        var lo: UInt64 = 0
        var hi: UInt64 = 0
        var i = 0
        while true {
            let c = name[i]
            if c == 0 { break }
            if i == 16 { return nil }
            let l = UInt64((c >= 0x41 && c <= 0x5A) ? c | 0x20 : c)
            if i < 8 { lo |= l << UInt64(8 * i) } else { hi |= l << UInt64(8 * (i - 8)) }
            i += 1
        }
        self.lo = lo
        self.hi = hi
    }

    init(_ name: String) {
        var lo: UInt64 = 0
        var hi: UInt64 = 0
        for (i, c) in name.utf8.prefix(16).enumerated() {
            if i < 8 { lo |= UInt64(c) << UInt64(8 * i) } else { hi |= UInt64(c) << UInt64(8 * (i - 8)) }
        }
        self.lo = lo
        self.hi = hi
    }

    @inline(__always) var slot: Int {
        Int(truncatingIfNeeded: ((lo &* 0x9E37_79B9_7F4A_7C15) ^ (hi &* 0xC2B2_AE3D_27D4_EB4F)) >> 56)
    }
}

/// A small open-addressing table from element name to `ElementInfo`, built once.
struct ElementTable: Sendable {
    private var los = [UInt64](repeating: 0, count: 256)
    private var his = [UInt64](repeating: 0, count: 256)
    private var infos = [ElementInfo](repeating: .inline, count: 256)

    static let shared = ElementTable()

    private init() {
        func add(_ names: [String], _ info: ElementInfo) {
            for name in names {
                let key = ElementKey(name)
                var s = key.slot
                while los[s] != 0 { s = (s + 1) & 255 }
                los[s] = key.lo
                his[s] = key.hi
                infos[s] = info
            }
        }
        add(["address", "article", "aside", "blockquote", "body", "center", "details", "dialog", "dir", "div",
             "dl", "fieldset", "figcaption", "figure", "footer", "form", "frameset", "head", "header", "hgroup",
             "hr", "html", "legend", "main", "marquee", "menu", "multicol", "nav", "noframes", "ol", "optgroup",
             "option", "output", "p", "search", "section", "summary", "table", "tbody", "tfoot", "thead", "tr",
             "ul"], ElementInfo(role: .block))
        for level in 1...6 {
            add(["h\(level)"], ElementInfo(role: .context, kind: .heading, level: UInt8(level)))
        }
        add(["li", "dt", "dd"], ElementInfo(role: .context, kind: .listItem))
        add(["td", "th", "caption"], ElementInfo(role: .context, kind: .tableCell))
        add(["pre", "listing", "xmp", "plaintext", "textarea"], ElementInfo(role: .context, kind: .preformatted))
        add(["script", "style", "noscript", "template", "svg", "math", "iframe", "object", "applet",
             "canvas", "audio", "video", "noembed", "select", "datalist"], ElementInfo(role: .drop))
        add(["title"], ElementInfo(role: .title))
        add(["br"], ElementInfo(role: .lineBreak))
    }

    @inline(__always) func lookup(_ key: ElementKey) -> ElementInfo {
        var s = key.slot
        while true {
            let lo = los[s]
            if lo == 0 { return .inline }
            if lo == key.lo && his[s] == key.hi { return infos[s] }
            s = (s + 1) & 255
        }
    }
}

// MARK: - SAX state

/// Everything one parse accumulates. Used by one thread, through libxml2's callbacks.
struct SAXState {
    var builder: TextBuilder
    let table = ElementTable.shared

    /// Depth of dropped elements (script, svg, …) we are inside.
    var skipDepth = 0
    /// Nesting depth of all open elements, and the depth of the navigation landmark being
    /// dropped (a `nav`, or an element with `role="navigation"` or `role="search"`).
    var depth = 0
    var landmarkDepth = 0
    var titleDepth = 0
    var titleDone = false
    var title: [UInt8] = []
    /// 0: no `<h1>` yet; 1: inside the first `<h1>`; 2: the first `<h1>` is over.
    var h1State: UInt8 = 0
    var h1Text: [UInt8] = []

    /// Open elements that set a block kind (headings, list items, cells, pre), innermost last.
    var contexts: [(key: ElementKey, kind: BlockKind, level: UInt8)] = []
    var kind: BlockKind = .paragraph
    var level: UInt8 = 0

    /// Preformatted text: whether the current line has only had spaces so far, and how many.
    var preLineBlank = true
    var prePendingSpaces = 0
    var scratch: [UInt8] = []

    init(capacity: Int) {
        builder = TextBuilder(capacity: capacity)
    }

    mutating func startElement(_ name: UnsafePointer<xmlChar>, _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        depth += 1
        guard let key = ElementKey(name) else { return }
        let info = table.lookup(key)
        if landmarkDepth > 0 { return }
        if info.role != .inline && (key == SAXState.nav || SAXState.isNavigationLandmark(attributes)) {
            landmarkDepth = depth
            builder.startBlock(kind, level: level)
            return
        }
        switch info.role {
        case .inline:
            return
        case .drop:
            skipDepth += 1
            return
        default:
            break
        }
        if skipDepth > 0 { return }
        switch info.role {
        case .title:
            titleDepth += 1
        case .lineBreak:
            if titleDepth > 0 { return }
            if h1State == 1 { h1Text.append(0x20) }
            if kind == .preformatted {
                preformattedNewline()
            } else {
                builder.startBlock(kind, level: level)
            }
        case .block:
            if titleDepth > 0 { return }
            if h1State == 1 { h1Text.append(0x20) }
            builder.startBlock(kind, level: level)
        case .context:
            if titleDepth > 0 { return }
            contexts.append((key, info.kind, info.level))
            kind = info.kind
            level = info.level
            builder.startBlock(kind, level: level)
            if kind == .preformatted {
                preLineBlank = true
                prePendingSpaces = 0
            }
            if info.kind == .heading && info.level == 1 && h1State == 0 { h1State = 1 }
        case .inline, .drop:
            break
        }
    }

    mutating func endElement(_ name: UnsafePointer<xmlChar>) {
        defer { depth -= 1 }
        if landmarkDepth > 0 {
            if depth == landmarkDepth { landmarkDepth = 0 }
            return
        }
        guard let key = ElementKey(name) else { return }
        let info = table.lookup(key)
        switch info.role {
        case .inline, .lineBreak:
            return
        case .drop:
            if skipDepth > 0 { skipDepth -= 1 }
            return
        default:
            break
        }
        if skipDepth > 0 { return }
        switch info.role {
        case .title:
            if titleDepth > 0 {
                titleDepth -= 1
                if titleDepth == 0 { titleDone = true }
            }
        case .block:
            if titleDepth > 0 { return }
            builder.startBlock(kind, level: level)
        case .context:
            if titleDepth > 0 { return }
            if let i = contexts.lastIndex(where: { $0.key == key }) {
                contexts.removeSubrange(i...)
                if let outer = contexts.last {
                    kind = outer.kind
                    level = outer.level
                } else {
                    kind = .paragraph
                    level = 0
                }
            }
            builder.startBlock(kind, level: level)
            if info.kind == .heading && info.level == 1 && h1State == 1 { h1State = 2 }
        case .inline, .drop, .lineBreak:
            break
        }
    }

    static let nav = ElementKey("nav")

    /// True for `role="navigation"` or `role="search"` (ARIA landmarks that hold page
    /// chrome, not content).
    static func isNavigationLandmark(_ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) -> Bool {
        guard var p = attributes else { return false }
        while let name = p.pointee {
            let value = (p + 1).pointee
            if strcasecmp(UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self), "role") == 0, let value {
                let v = UnsafeRawPointer(value).assumingMemoryBound(to: CChar.self)
                return strcasecmp(v, "navigation") == 0 || strcasecmp(v, "search") == 0
            }
            p += 2
        }
        return false
    }

    mutating func characters(_ ch: UnsafePointer<xmlChar>, _ len: Int) {
        if skipDepth > 0 || landmarkDepth > 0 { return }
        let text = UnsafeRawBufferPointer(start: ch, count: len)
        if titleDepth > 0 {
            if !titleDone { title.append(contentsOf: text) }
            return
        }
        if h1State == 1 { h1Text.append(contentsOf: text) }
        if kind == .preformatted {
            preformatted(text)
        } else {
            builder.append(text)
        }
    }

    /// Preformatted text: kept line by line; a blank line (only spaces) ends the block and the
    /// next line starts a new preformatted block. Leading spaces of a line are held back until
    /// the line turns out not to be blank; everything else is appended in runs.
    private mutating func preformatted(_ text: UnsafeRawBufferPointer) {
        var runStart = -1
        var i = 0
        let n = text.count
        while i < n {
            let b = text[i]
            if preLineBlank {
                if b == 0x0A || b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0B || b == 0x0C {
                    if runStart >= 0 {
                        builder.append(UnsafeRawBufferPointer(rebasing: text[runStart..<i]))
                        runStart = -1
                    }
                    if b == 0x0A {
                        builder.startBlock(.preformatted, level: level)
                        prePendingSpaces = 0
                    } else if b == 0x20 || b == 0x09 {
                        prePendingSpaces += 1
                    }
                    i += 1
                    continue
                }
                // The first visible character of the line: its indentation counts after all.
                if prePendingSpaces > 0 {
                    if runStart >= 0 {
                        builder.append(UnsafeRawBufferPointer(rebasing: text[runStart..<i]))
                        runStart = -1
                    }
                    appendSpaces(prePendingSpaces)
                    prePendingSpaces = 0
                }
                preLineBlank = false
            } else if b == 0x0A {
                preLineBlank = true
            }
            if runStart < 0 { runStart = i }
            i += 1
        }
        if runStart >= 0 {
            builder.append(UnsafeRawBufferPointer(rebasing: text[runStart..<n]))
        }
    }

    private mutating func appendSpaces(_ count: Int) {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: repeatElement(0x20, count: count))
        scratch.withUnsafeBytes { builder.append($0) }
    }

    private mutating func preformattedNewline() {
        var newline: UInt8 = 0x0A
        withUnsafeBytes(of: &newline) { preformatted($0) }
    }
}
