internal import CLibXML2
import QuarryCore
import QuarryDocument

// Element classification for HTML extraction: what each element name means for the text.

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
        /// `<a>`: inline, but counted for link bars (see HTMLChrome).
        case anchor
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
        add(
            [
                "address", "article", "aside", "blockquote", "body", "center", "details", "dialog", "dir", "div",
                "dl", "fieldset", "figcaption", "figure", "footer", "form", "frameset", "head", "header", "hgroup",
                "hr", "html", "legend", "main", "marquee", "menu", "multicol", "nav", "noframes", "ol", "optgroup",
                "option", "output", "p", "search", "section", "summary", "table", "tbody", "tfoot", "thead", "tr",
                "ul",
            ], ElementInfo(role: .block))
        for level in 1...6 {
            add(["h\(level)"], ElementInfo(role: .context, kind: .heading, level: UInt8(level)))
        }
        add(["li", "dt", "dd"], ElementInfo(role: .context, kind: .listItem))
        add(["td", "th", "caption"], ElementInfo(role: .context, kind: .tableCell))
        add(["pre", "listing", "xmp", "plaintext", "textarea"], ElementInfo(role: .context, kind: .preformatted))
        add(
            [
                "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "applet",
                "canvas", "audio", "video", "noembed", "select", "datalist",
            ], ElementInfo(role: .drop))
        add(["title"], ElementInfo(role: .title))
        add(["br"], ElementInfo(role: .lineBreak))
        add(["a"], ElementInfo(role: .anchor))
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
