internal import CLibXML2
import QuarryCore
import QuarryDocument

// The state of one HTML parse, fed by libxml2's SAX callbacks (see HTMLExtractor).

#if canImport(Glibc)
import Glibc
#endif

// MARK: - SAX state

/// Everything one parse accumulates. Used by one thread, through libxml2's callbacks.
struct SAXState {
    var builder: TextBuilder
    let table = ElementTable.shared
    let keepChrome: Bool

    /// Depth of dropped elements (script, svg, …) we are inside.
    var skipDepth = 0
    /// Nesting depth of all open elements, and the depth of the chrome element being dropped
    /// (0: none; see HTMLChrome).
    var depth = 0
    var chromeDepth = 0
    /// Open `article`, `aside`, `main`, `nav` and `section` elements: `header` and `footer`
    /// inside one of them are not chrome.
    var sectioningDepth = 0
    var titleDepth = 0
    var titleDone = false
    var title: [UInt8] = []
    /// The first `<h1>`, and the first inside the main content: 0 none yet, 1 inside, 2 done.
    var h1State: UInt8 = 0
    var h1Text: [UInt8] = []
    var mainH1State: UInt8 = 0
    var mainH1Text: [UInt8] = []

    /// The main content (`main`, role="main"): depth of the open one, and the block ranges.
    var mainDepth = 0
    var mainStartBlock = 0
    var mainBlocks: [Range<Int>] = []

    /// The page's date from its `<meta>` elements, and the rank of the name it came from
    /// (HTMLMetaDate).
    var date: Int64? = nil
    var dateRank = Int.max

    /// What the page showed of being generated, and the text bytes dropped as chrome.
    var generated: GeneratedPage?
    var chromeBytes = 0

    /// Link bars: links in the current block, whether it has word characters or bar
    /// separators outside links, and the depth of `<a>` elements.
    var blockLinks = 0
    var blockWordsOutsideLinks = false
    var blockSeparators = false
    var linkDepth = 0

    /// Open elements that set a block kind (headings, list items, cells, pre), innermost last.
    var contexts: [(key: ElementKey, kind: BlockKind, level: UInt8)] = []
    var kind: BlockKind = .paragraph
    var level: UInt8 = 0

    /// Preformatted text: whether the current line has only had spaces so far, and how many.
    var preLineBlank = true
    var prePendingSpaces = 0
    var scratch: [UInt8] = []

    init(capacity: Int, keepChrome: Bool = false) {
        builder = TextBuilder(capacity: capacity)
        self.keepChrome = keepChrome
    }

    static let nav = ElementKey("nav")
    static let main = ElementKey("main")
    static let header = ElementKey("header")
    static let footer = ElementKey("footer")
    static let sectioning: [ElementKey] = ["article", "aside", "main", "nav", "section"].map { ElementKey($0) }

    mutating func startElement(_ name: UnsafePointer<xmlChar>, _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        depth += 1
        if chromeDepth > 0 { return }
        guard let key = ElementKey(name) else { return }
        if key == HTMLMetaDate.meta, let (rank, found) = HTMLMetaDate.read(attributes), rank < dateRank {
            date = found
            dateRank = rank
        }
        let info = table.lookup(key)
        let signals = HTMLChrome.inspect(attributes)
        if generated == nil, let g = signals.generated { generated = g }
        if !keepChrome && skipDepth == 0 && titleDepth == 0 {
            let isChrome =
                signals.chrome != nil || key == SAXState.nav
                || (sectioningDepth == 0 && (key == SAXState.header || key == SAXState.footer))
            if isChrome {
                chromeDepth = depth
                if info.role != .inline && info.role != .anchor { boundary() }
                return
            }
            if mainDepth == 0 && (key == SAXState.main || signals.main) {
                boundary()
                mainDepth = depth
                mainStartBlock = builder.blocks.count
            }
        }
        if SAXState.sectioning.contains(key) { sectioningDepth += 1 }
        switch info.role {
        case .inline:
            return
        case .anchor:
            if skipDepth == 0 && titleDepth == 0 {
                linkDepth += 1
                blockLinks += 1
            }
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
            headingSpace()
            if kind == .preformatted {
                preformattedNewline()
            } else {
                boundary()
            }
        case .block:
            if titleDepth > 0 { return }
            headingSpace()
            boundary()
        case .context:
            if titleDepth > 0 { return }
            contexts.append((key, info.kind, info.level))
            kind = info.kind
            level = info.level
            boundary()
            if kind == .preformatted {
                preLineBlank = true
                prePendingSpaces = 0
            }
            if info.kind == .heading && info.level == 1 {
                if h1State == 0 { h1State = 1 }
                if mainDepth > 0 && mainH1State == 0 { mainH1State = 1 }
            }
        case .inline, .drop, .anchor:
            break
        }
    }

    mutating func endElement(_ name: UnsafePointer<xmlChar>) {
        defer { depth -= 1 }
        if chromeDepth > 0 {
            if depth == chromeDepth { chromeDepth = 0 }
            return
        }
        guard let key = ElementKey(name) else { return }
        let info = table.lookup(key)
        if SAXState.sectioning.contains(key) && sectioningDepth > 0 { sectioningDepth -= 1 }
        if mainDepth == depth {
            boundary()
            mainBlocks.append(mainStartBlock..<builder.blocks.count)
            mainDepth = 0
        }
        switch info.role {
        case .inline, .lineBreak:
            return
        case .anchor:
            if linkDepth > 0 { linkDepth -= 1 }
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
            boundary()
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
            boundary()
            if info.kind == .heading && info.level == 1 {
                if h1State == 1 { h1State = 2 }
                if mainH1State == 1 { mainH1State = 2 }
            }
        case .inline, .drop, .lineBreak, .anchor:
            break
        }
    }

    /// A space in the first `<h1>`'s text where a block or line break was.
    private mutating func headingSpace() {
        if h1State == 1 { h1Text.append(0x20) }
        if mainH1State == 1 { mainH1Text.append(0x20) }
    }

    /// Ends the current block (a link bar is dropped as chrome: see HTMLChrome) and starts
    /// one of the current kind.
    mutating func boundary() {
        if !keepChrome && blockLinks >= 2 && blockSeparators && !blockWordsOutsideLinks {
            chromeBytes += builder.discardCurrentBlock()
        }
        blockLinks = 0
        blockSeparators = false
        blockWordsOutsideLinks = false
        builder.startBlock(kind, level: level)
    }

    /// Notes word characters and link-bar separators (| « » ‹ › · •) in text outside links.
    private mutating func noteTextOutsideLinks(_ text: UnsafeRawBufferPointer) {
        var i = 0
        let n = text.count
        while i < n && !blockWordsOutsideLinks {
            let b = text[i]
            if b < 0x80 {
                if b == UInt8(ascii: "|") {
                    blockSeparators = true
                } else if (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A) {
                    blockWordsOutsideLinks = true
                }
                i += 1
                continue
            }
            // « » · (C2 AB, C2 BB, C2 B7), no-break space (C2 A0); ‹ › • (E2 80 B9, E2 80 BA, E2 80 A2).
            if b == 0xC2 && i + 1 < n && [0xAB, 0xBB, 0xB7, 0xA0].contains(text[i + 1]) {
                if text[i + 1] != 0xA0 { blockSeparators = true }
                i += 2
            } else if b == 0xE2 && i + 2 < n && text[i + 1] == 0x80 && [0xB9, 0xBA, 0xA2].contains(text[i + 2]) {
                blockSeparators = true
                i += 3
            } else {
                blockWordsOutsideLinks = true
            }
        }
    }

    mutating func characters(_ ch: UnsafePointer<xmlChar>, _ len: Int) {
        if skipDepth > 0 { return }
        if chromeDepth > 0 {
            for i in 0..<len where ch[i] > 0x20 { chromeBytes += 1 }
            return
        }
        let text = UnsafeRawBufferPointer(start: ch, count: len)
        if titleDepth > 0 {
            if !titleDone { title.append(contentsOf: text) }
            return
        }
        if h1State == 1 { h1Text.append(contentsOf: text) }
        if mainH1State == 1 { mainH1Text.append(contentsOf: text) }
        if linkDepth == 0 && !blockWordsOutsideLinks && !keepChrome { noteTextOutsideLinks(text) }
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
