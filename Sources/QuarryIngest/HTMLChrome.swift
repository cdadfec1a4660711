internal import CLibXML2
import QuarryCore
import QuarryDocument

// Page chrome and generated pages: what an element's name and attributes say
// (docs/TEXT.md, "Chrome" and "Generated pages").
//
// An element is chrome, and dropped with everything inside it (unless keepChrome), when:
// - it is `nav`;
// - it is `header` or `footer` outside any `article`, `aside`, `main`, `nav` or `section`
//   (where HTML maps them to the banner and contentinfo landmarks);
// - its role is navigation, search, banner or contentinfo;
// - it has aria-hidden="true" or the `hidden` attribute;
// - one of its classes is a documentation generator's chrome: headerlink (Sphinx's ¶
//   permalinks), sphinxsidebar, related (Sphinx's previous/next bars), navheader and
//   navfooter (DocBook), nav (a common navigation class, e.g. Django's previous/up/next bar).
// An element with role="main", or `main`, holds the content: when a page has one, only the
// text inside it is the body (the title still comes from `<title>`).
// A block of two or more links with nothing but separators (| « » ‹ › · •) outside them is a
// link bar ("Home | Index | Modules") and is dropped too (HTMLSAXState).
//
// A page is generated (an index, a search page, a source listing) when an element has a class
// genindextable, modindextable, indextable or genindex-jumpbox (Sphinx indexes), indexdiv
// (DocBook index), viewcode-block or viewcode-back (Sphinx source listings), or the id
// search-results (Sphinx's search page).

#if canImport(Glibc)
import Glibc
#endif

/// What the attributes of one start tag say.
struct ElementSignals {
    /// Why the element is chrome, if it is (for tests and debugging).
    var chrome: StaticString? = nil
    var main = false
    var generated: GeneratedPage? = nil
}

enum HTMLChrome {
    static let chromeClasses: [(token: [UInt8], name: StaticString)] = [
        (Array("headerlink".utf8), "class headerlink"),
        (Array("sphinxsidebar".utf8), "class sphinxsidebar"),
        (Array("related".utf8), "class related"),
        (Array("navheader".utf8), "class navheader"),
        (Array("navfooter".utf8), "class navfooter"),
        (Array("nav".utf8), "class nav"),
    ]

    static let generatedClasses: [(token: [UInt8], kind: GeneratedPage.Kind)] = [
        (Array("genindextable".utf8), .index),
        (Array("modindextable".utf8), .index),
        (Array("indextable".utf8), .index),
        (Array("genindex-jumpbox".utf8), .index),
        (Array("indexdiv".utf8), .index),
        (Array("viewcode-block".utf8), .sourceListing),
        (Array("viewcode-back".utf8), .sourceListing),
    ]

    /// Reads the attributes of a start tag.
    static func inspect(_ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) -> ElementSignals {
        var signals = ElementSignals()
        guard var p = attributes else { return signals }
        while let rawName = p.pointee {
            let name = UnsafeRawPointer(rawName).assumingMemoryBound(to: CChar.self)
            let rawValue = (p + 1).pointee
            p += 2
            let value = rawValue.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
            switch name[0] | 0x20 {
            case 0x72:  // r
                guard strcasecmp(name, "role") == 0, let value else { continue }
                if strcasecmp(value, "navigation") == 0 {
                    signals.chrome = "role navigation"
                } else if strcasecmp(value, "search") == 0 {
                    signals.chrome = "role search"
                } else if strcasecmp(value, "banner") == 0 {
                    signals.chrome = "role banner"
                } else if strcasecmp(value, "contentinfo") == 0 {
                    signals.chrome = "role contentinfo"
                } else if strcasecmp(value, "main") == 0 {
                    signals.main = true
                }
            case 0x61:  // a
                if strcasecmp(name, "aria-hidden") == 0, let value, strcasecmp(value, "true") == 0 {
                    signals.chrome = "aria-hidden"
                }
            case 0x68:  // h
                if strcasecmp(name, "hidden") == 0 { signals.chrome = "hidden" }
            case 0x63:  // c
                guard strcasecmp(name, "class") == 0, let value else { continue }
                forEachToken(value) { token in
                    for c in chromeClasses where equal(token, c.token) { signals.chrome = c.name }
                    for g in generatedClasses where equal(token, g.token) {
                        signals.generated = GeneratedPage(
                            kind: g.kind, evidence: "an element with class \"\(String(decoding: g.token, as: UTF8.self))\"")
                    }
                }
            case 0x69:  // i
                if strcasecmp(name, "id") == 0, let value, strcmp(value, "search-results") == 0 {
                    signals.generated = GeneratedPage(kind: .search, evidence: "an element with id \"search-results\"")
                }
            default:
                continue
            }
        }
        return signals
    }

    /// Calls `body` with each whitespace-separated token of a NUL-terminated value.
    @inline(__always)
    static func forEachToken(_ value: UnsafePointer<CChar>, _ body: (UnsafeRawBufferPointer) -> Void) {
        var i = 0
        var start = -1
        while true {
            let c = UInt8(bitPattern: value[i])
            let space = c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0C || c == 0x0D
            if c == 0 || space {
                if start >= 0 { body(UnsafeRawBufferPointer(start: value + start, count: i - start)) }
                start = -1
                if c == 0 { return }
            } else if start < 0 {
                start = i
            }
            i += 1
        }
    }

    @inline(__always)
    static func equal(_ token: UnsafeRawBufferPointer, _ expected: [UInt8]) -> Bool {
        guard token.count == expected.count else { return false }
        for i in 0..<token.count where token[i] != expected[i] { return false }
        return true
    }
}
