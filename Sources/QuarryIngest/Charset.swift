// Character-set detection and decoding: raw file bytes in, valid UTF-8 out.
//
// HTML follows the browser rules (WHATWG Encoding and HTML standards, simplified): a byte-order
// mark wins, then a `<meta>` declaration found by a prescan of the first 1024 bytes, then an XML
// declaration, then "UTF-8 if the bytes are valid UTF-8", then windows-1252. Plain text uses the
// BOM, then valid UTF-8, then windows-1252. Whatever the bytes, decoding never fails: invalid
// sequences become U+FFFD.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A character encoding Quarry can decode.
package enum TextEncoding: Sendable, Hashable, CustomStringConvertible {
    case utf8
    case utf16LE
    case utf16BE
    /// Also what browsers use for the labels "iso-8859-1", "latin1", "us-ascii" and "ascii".
    case windows1252
    /// Any other encoding of the WHATWG Encoding Standard, by its canonical name
    /// ("windows-1251", "ISO-8859-2", "Shift_JIS", …); decoded with the system's iconv.
    case other(String)

    /// The canonical (WHATWG) name.
    package var name: String {
        switch self {
        case .utf8: return "UTF-8"
        case .utf16LE: return "UTF-16LE"
        case .utf16BE: return "UTF-16BE"
        case .windows1252: return "windows-1252"
        case .other(let name): return name
        }
    }

    package var description: String { name }

    /// The encoding a label names, resolved as browsers resolve labels: ASCII case-insensitive,
    /// surrounding whitespace ignored, "latin1" and "us-ascii" meaning windows-1252, and so on.
    /// Nil for a label the Encoding Standard does not know (or maps to its "replacement" encoding).
    package init?(label: String) {
        guard let canonical = Charset.canonicalName(forLabel: label) else { return nil }
        switch canonical {
        case "UTF-8": self = .utf8
        case "UTF-16LE": self = .utf16LE
        case "UTF-16BE": self = .utf16BE
        case "windows-1252": self = .windows1252
        default: self = .other(canonical)
        }
    }
}

/// Where a detected encoding came from.
package enum CharsetSource: String, Sendable, Equatable {
    /// A UTF-8 or UTF-16 byte-order mark.
    case byteOrderMark
    /// `<meta charset=…>` or `<meta http-equiv="Content-Type" content="…; charset=…">`.
    case metaTag
    /// `<?xml … encoding="…"?>`.
    case xmlDeclaration
    /// No (usable) declaration, and the bytes are valid UTF-8.
    case validUTF8
    /// No (usable) declaration, and the bytes are not valid UTF-8: windows-1252.
    case fallback
}

/// The result of charset detection.
package struct CharsetDetection: Sendable, Equatable {
    package var encoding: TextEncoding
    package var source: CharsetSource
    /// Length of the byte-order mark at the start of the bytes (0, 2 or 3); it is not text.
    package var bomLength: Int
    /// The label as the document declared it (lower-cased), also when it was unknown and ignored.
    package var declaredLabel: String?
    /// Problems worth reporting, e.g. an unknown declared charset.
    package var warnings: [String]

    package init(encoding: TextEncoding, source: CharsetSource, bomLength: Int = 0,
                declaredLabel: String? = nil, warnings: [String] = []) {
        self.encoding = encoding
        self.source = source
        self.bomLength = bomLength
        self.declaredLabel = declaredLabel
        self.warnings = warnings
    }
}

/// Text decoded to UTF-8.
package struct DecodedText: Sendable, Equatable {
    /// Valid UTF-8, without the byte-order mark.
    package var utf8: [UInt8]
    /// The encoding the bytes were decoded from.
    package var encoding: TextEncoding
    package var detection: CharsetDetection
    /// Detection warnings plus decoding problems (invalid sequences replaced, NUL bytes removed).
    package var warnings: [String]

    @usableFromInline package var text: String { String(decoding: utf8, as: UTF8.self) }
}

/// Charset detection and decoding to UTF-8.
package enum Charset {
    /// How many bytes the HTML prescan looks at, as in browsers.
    package static let prescanLength = 1024

    // MARK: - Detection

    /// The charset of an HTML document: byte-order mark, else a `<meta>` declaration in the
    /// first 1024 bytes, else an XML declaration, else UTF-8 if the bytes are valid UTF-8,
    /// else windows-1252. A declared but unknown charset gives a warning and is ignored.
    package static func detectHTML(_ bytes: UnsafeRawBufferPointer) -> CharsetDetection {
        detectHTMLWithScan(bytes).detection
    }

    package static func detectHTML(_ bytes: [UInt8]) -> CharsetDetection {
        bytes.withUnsafeBytes { detectHTML($0) }
    }

    /// The charset of a plain-text file: byte-order mark, else UTF-8 if valid, else windows-1252.
    package static func detectText(_ bytes: UnsafeRawBufferPointer) -> CharsetDetection {
        if let bom = byteOrderMark(bytes) {
            return CharsetDetection(encoding: bom.encoding, source: .byteOrderMark, bomLength: bom.length)
        }
        if scanUTF8(bytes).firstInvalid == nil {
            return CharsetDetection(encoding: .utf8, source: .validUTF8)
        }
        return CharsetDetection(encoding: .windows1252, source: .fallback)
    }

    package static func detectText(_ bytes: [UInt8]) -> CharsetDetection {
        bytes.withUnsafeBytes { detectText($0) }
    }

    /// The encoding named by a byte-order mark at the start of `bytes`, and the mark's length.
    package static func byteOrderMark(_ bytes: UnsafeRawBufferPointer) -> (encoding: TextEncoding, length: Int)? {
        let n = bytes.count
        if n >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { return (.utf8, 3) }
        if n >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF { return (.utf16BE, 2) }
        if n >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE { return (.utf16LE, 2) }
        return nil
    }

    // MARK: - Decoding

    /// Detects the charset of an HTML document and decodes it to valid UTF-8 (BOM removed,
    /// invalid sequences replaced by U+FFFD, NUL bytes removed).
    package static func decodeHTML(_ bytes: UnsafeRawBufferPointer) -> DecodedText {
        let prepared = prepareHTML(bytes)
        let utf8: [UInt8]
        switch prepared.payload {
        case .original(let offset): utf8 = Array(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
        case .converted(let converted): utf8 = converted
        }
        return DecodedText(utf8: utf8, encoding: prepared.detection.encoding,
                           detection: prepared.detection, warnings: prepared.warnings)
    }

    package static func decodeHTML(_ bytes: [UInt8]) -> DecodedText {
        bytes.withUnsafeBytes { decodeHTML($0) }
    }

    /// Detects the charset of a plain-text file and decodes it to valid UTF-8 (BOM removed,
    /// invalid sequences replaced by U+FFFD). NUL bytes are kept: they are valid UTF-8.
    package static func decodeText(_ bytes: UnsafeRawBufferPointer) -> DecodedText {
        let detection = detectText(bytes)
        let payload = UnsafeRawBufferPointer(rebasing: bytes[detection.bomLength...])
        var warnings = detection.warnings
        let (utf8, invalid) = decode(payload, as: detection.encoding)
        if invalid > 0 {
            warnings.append("\(invalid) invalid \(detection.encoding.name) byte sequence(s) replaced with U+FFFD")
        }
        return DecodedText(utf8: utf8, encoding: detection.encoding, detection: detection, warnings: warnings)
    }

    package static func decodeText(_ bytes: [UInt8]) -> DecodedText {
        bytes.withUnsafeBytes { decodeText($0) }
    }

    /// Decodes `bytes` (without a byte-order mark) from `encoding` to valid UTF-8.
    /// Returns the UTF-8 bytes and how many invalid sequences were replaced with U+FFFD.
    /// An encoding this system's iconv cannot convert is decoded as windows-1252 and
    /// counted as one invalid sequence per non-ASCII byte; use `canDecode` to check first.
    package static func decode(_ bytes: UnsafeRawBufferPointer, as encoding: TextEncoding) -> (utf8: [UInt8], invalidSequences: Int) {
        switch encoding {
        case .utf8:
            let scan = scanUTF8(bytes)
            if scan.firstInvalid == nil { return (Array(bytes), 0) }
            return repairUTF8(bytes)
        case .windows1252:
            return (decodeWindows1252(bytes), 0)
        case .utf16LE:
            return decodeUTF16(bytes, bigEndian: false)
        case .utf16BE:
            return decodeUTF16(bytes, bigEndian: true)
        case .other(let name):
            if let result = decodeWithIconv(bytes, from: iconvName(forCanonical: name)) {
                return result
            }
            var nonASCII = 0
            for b in bytes where b >= 0x80 { nonASCII += 1 }
            return (decodeWindows1252(bytes), nonASCII)
        }
    }

    package static func decode(_ bytes: [UInt8], as encoding: TextEncoding) -> (utf8: [UInt8], invalidSequences: Int) {
        bytes.withUnsafeBytes { decode($0, as: encoding) }
    }

    /// Whether this system can decode `encoding` (iconv knows it, for the `.other` encodings).
    package static func canDecode(_ encoding: TextEncoding) -> Bool {
        guard case .other(let name) = encoding else { return true }
        let cd = iconv_open("UTF-8", iconvName(forCanonical: name))
        if isInvalidIconv(cd) { return false }
        iconv_close(cd)
        return true
    }

    /// True if `bytes` are entirely valid UTF-8.
    package static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        scanUTF8(bytes).firstInvalid == nil
    }

    // MARK: - HTML preparation (used by HTMLExtractor without copying valid UTF-8)

    enum Payload {
        /// The input itself from this offset (after a UTF-8 BOM) is valid UTF-8 without NUL bytes.
        case original(offset: Int)
        case converted([UInt8])
    }

    struct PreparedHTML {
        var payload: Payload
        var detection: CharsetDetection
        var warnings: [String]
    }

    static func prepareHTML(_ bytes: UnsafeRawBufferPointer) -> PreparedHTML {
        let (detection, knownScan) = detectHTMLWithScan(bytes)
        var warnings = detection.warnings
        let offset = detection.bomLength
        let payload = UnsafeRawBufferPointer(rebasing: bytes[offset...])
        var converted: [UInt8]
        switch detection.encoding {
        case .utf8:
            let scan = knownScan ?? scanUTF8(payload)
            if let firstInvalid = scan.firstInvalid {
                let (repaired, count) = repairUTF8(payload)
                let how = detection.source == .byteOrderMark ? "marked as UTF-8 by its byte-order mark" : "declared UTF-8"
                warnings.append("\(how) but has \(count) invalid byte sequence(s), the first at byte \(firstInvalid + offset); replaced with U+FFFD")
                converted = repaired
            } else if scan.hasNUL {
                converted = Array(payload)
            } else {
                return PreparedHTML(payload: .original(offset: offset), detection: detection, warnings: warnings)
            }
        default:
            let (decoded, invalid) = decode(payload, as: detection.encoding)
            if invalid > 0 {
                warnings.append("\(invalid) byte sequence(s) invalid in \(detection.encoding.name) replaced with U+FFFD")
            }
            converted = decoded
        }
        let nuls = removeNULs(&converted)
        if nuls > 0 {
            warnings.append("\(nuls) NUL byte(s) removed")
        }
        return PreparedHTML(payload: .converted(converted), detection: detection, warnings: warnings)
    }

    /// Detection, plus the UTF-8 scan of the payload when detection had to make it.
    static func detectHTMLWithScan(_ bytes: UnsafeRawBufferPointer) -> (detection: CharsetDetection, scan: UTF8Scan?) {
        if let bom = byteOrderMark(bytes) {
            return (CharsetDetection(encoding: bom.encoding, source: .byteOrderMark, bomLength: bom.length), nil)
        }
        let head = UnsafeRawBufferPointer(rebasing: bytes[0..<min(bytes.count, prescanLength)])
        var unknownLabel: String?
        var declared: (label: String, source: CharsetSource)?
        let meta = prescanMeta(head)
        if let label = meta.label {
            declared = (label, .metaTag)
        } else if let label = xmlDeclarationEncoding(head) {
            declared = (label, .xmlDeclaration)
        }
        unknownLabel = meta.unknownLabel
        if let declared {
            if var encoding = TextEncoding(label: declared.label) {
                // A document whose declaration could be read as ASCII is not UTF-16 (HTML rule).
                if encoding == .utf16LE || encoding == .utf16BE { encoding = .utf8 }
                if canDecode(encoding) {
                    return (CharsetDetection(encoding: encoding, source: declared.source, declaredLabel: declared.label), nil)
                }
                let scan = scanUTF8(bytes)
                let used: TextEncoding = scan.firstInvalid == nil ? .utf8 : .windows1252
                let warning = "declared charset \"\(declared.label)\" (\(encoding.name)) is not supported by this system; decoded as \(used.name)"
                return (CharsetDetection(encoding: used, source: scan.firstInvalid == nil ? .validUTF8 : .fallback,
                                         declaredLabel: declared.label, warnings: [warning]), scan)
            }
            unknownLabel = unknownLabel ?? declared.label
        }
        let scan = scanUTF8(bytes)
        let used: TextEncoding = scan.firstInvalid == nil ? .utf8 : .windows1252
        var detection = CharsetDetection(encoding: used, source: scan.firstInvalid == nil ? .validUTF8 : .fallback)
        if let unknownLabel {
            detection.declaredLabel = unknownLabel
            detection.warnings.append("declared charset \"\(unknownLabel)\" is unknown; decoded as \(used.name)")
        }
        return (detection, scan)
    }

    // MARK: - Prescan (WHATWG "prescan a byte stream to determine its encoding")

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0C || b == 0x0D
    }

    @inline(__always) static func lower(_ b: UInt8) -> UInt8 {
        (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b
    }

    @inline(__always) static func isLetter(_ b: UInt8) -> Bool {
        let l = b | 0x20
        return l >= 0x61 && l <= 0x7A
    }

    /// True if `bytes[at...]` starts with `lowercaseASCII`, compared ASCII case-insensitively.
    static func matches(_ bytes: UnsafeRawBufferPointer, at position: Int, _ lowercaseASCII: StaticString) -> Bool {
        let n = lowercaseASCII.utf8CodeUnitCount
        guard position >= 0, position + n <= bytes.count else { return false }
        let p = lowercaseASCII.utf8Start
        for i in 0..<n where lower(bytes[position + i]) != p[i] { return false }
        return true
    }

    /// The charset a `<meta>` tag in `head` declares (the first one whose label is known),
    /// and the first unknown label seen on the way.
    static func prescanMeta(_ head: UnsafeRawBufferPointer) -> (label: String?, unknownLabel: String?) {
        var position = 0
        let end = head.count
        var unknownLabel: String?
        while position < end {
            if matches(head, at: position, "<!--") {
                // A comment: up to the first "-->" whose dashes may overlap "<!--".
                var i = position + 2
                var found = false
                while i + 2 < end {
                    if head[i] == 0x2D && head[i + 1] == 0x2D && head[i + 2] == 0x3E {
                        position = i + 2
                        found = true
                        break
                    }
                    i += 1
                }
                if !found { break }
            } else if matches(head, at: position, "<meta"), position + 5 < end,
                      isSpace(head[position + 5]) || head[position + 5] == 0x2F {
                position += 6
                var seen: Set<String> = []
                var gotPragma = false
                var needPragma: Bool?
                var charset: String?
                while let attribute = getAttribute(head, &position) {
                    if !seen.insert(attribute.name).inserted { continue }
                    switch attribute.name {
                    case "http-equiv":
                        if attribute.value == "content-type" { gotPragma = true }
                    case "content":
                        if charset == nil, let c = charsetFromContent(attribute.value) {
                            charset = c
                            needPragma = true
                        }
                    case "charset":
                        charset = attribute.value
                        needPragma = false
                    default:
                        break
                    }
                }
                if let needPragma, let charset, !(needPragma && !gotPragma) {
                    let label = trimmed(charset)
                    if TextEncoding(label: label) != nil { return (label, unknownLabel) }
                    if unknownLabel == nil { unknownLabel = label }
                }
                continue  // `position` already points past the tag's attributes
            } else if position + 1 < end, head[position] == 0x3C,
                      isLetter(head[position + 1])
                        || (head[position + 1] == 0x2F && position + 2 < end && isLetter(head[position + 2])) {
                // A start or end tag: skip its name, then its attributes.
                position += 1
                while position < end && !isSpace(head[position]) && head[position] != 0x3E { position += 1 }
                while getAttribute(head, &position) != nil {}
            } else if position + 1 < end, head[position] == 0x3C,
                      head[position + 1] == 0x21 || head[position + 1] == 0x2F || head[position + 1] == 0x3F {
                // "<!", "</" or "<?": skip to the next ">".
                while position < end && head[position] != 0x3E { position += 1 }
            }
            position += 1
        }
        return (nil, unknownLabel)
    }

    /// WHATWG "get an attribute": reads one attribute at `position` (lower-cased name and value)
    /// and advances past it; nil when there are no more (at ">" or the end of the bytes).
    static func getAttribute(_ head: UnsafeRawBufferPointer, _ position: inout Int) -> (name: String, value: String)? {
        let end = head.count
        while position < end && (isSpace(head[position]) || head[position] == 0x2F) { position += 1 }
        guard position < end, head[position] != 0x3E else { return nil }
        var name: [UInt8] = []
        var value: [UInt8] = []
        func result() -> (name: String, value: String) {
            (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
        }
        // Name.
        while true {
            guard position < end else { return nil }
            let b = head[position]
            if b == 0x3D && !name.isEmpty {
                position += 1
                break
            }
            if isSpace(b) {
                while position < end && isSpace(head[position]) { position += 1 }
                guard position < end else { return nil }
                if head[position] != 0x3D { return result() }
                position += 1
                break
            }
            if b == 0x2F || b == 0x3E { return result() }
            name.append(lower(b))
            position += 1
        }
        // Value.
        while position < end && isSpace(head[position]) { position += 1 }
        guard position < end else { return nil }
        let first = head[position]
        if first == 0x22 || first == 0x27 {
            position += 1
            while position < end {
                let b = head[position]
                position += 1
                if b == first { return result() }
                value.append(lower(b))
            }
            return nil
        }
        if first == 0x3E { return result() }
        while position < end {
            let b = head[position]
            if isSpace(b) || b == 0x3E { return result() }
            value.append(lower(b))
            position += 1
        }
        return nil
    }

    /// WHATWG "extract a character encoding from a meta element": the charset parameter of a
    /// Content-Type value ("text/html; charset=utf-8").
    static func charsetFromContent(_ content: String) -> String? {
        let s = Array(content.utf8)
        var position = 0
        while true {
            var found = -1
            var i = position
            while i + 7 <= s.count {
                if lower(s[i]) == 0x63 && lower(s[i + 1]) == 0x68 && lower(s[i + 2]) == 0x61 && lower(s[i + 3]) == 0x72
                    && lower(s[i + 4]) == 0x73 && lower(s[i + 5]) == 0x65 && lower(s[i + 6]) == 0x74 {
                    found = i
                    break
                }
                i += 1
            }
            if found < 0 { return nil }
            position = found + 7
            while position < s.count && isSpace(s[position]) { position += 1 }
            if position < s.count && s[position] == 0x3D {
                position += 1
                break
            }
        }
        while position < s.count && isSpace(s[position]) { position += 1 }
        guard position < s.count else { return nil }
        let q = s[position]
        if q == 0x22 || q == 0x27 {
            guard let close = s[(position + 1)...].firstIndex(of: q) else { return nil }
            return String(decoding: s[(position + 1)..<close], as: UTF8.self)
        }
        var stop = position
        while stop < s.count && !isSpace(s[stop]) && s[stop] != 0x3B { stop += 1 }
        if stop == position { return nil }
        return String(decoding: s[position..<stop], as: UTF8.self)
    }

    /// The encoding of an XML declaration at the very start: `<?xml version="1.0" encoding="…"?>`.
    static func xmlDeclarationEncoding(_ head: UnsafeRawBufferPointer) -> String? {
        guard matches(head, at: 0, "<?xml"), head.count > 5, isSpace(head[5]) else { return nil }
        var stop = 6
        while stop + 1 < head.count && !(head[stop] == 0x3F && head[stop + 1] == 0x3E) { stop += 1 }
        guard stop + 1 < head.count else { return nil }
        var i = 6
        while i + 8 <= stop {
            if matches(head, at: i, "encoding") {
                var p = i + 8
                while p < stop && isSpace(head[p]) { p += 1 }
                guard p < stop, head[p] == 0x3D else { i += 8; continue }
                p += 1
                while p < stop && isSpace(head[p]) { p += 1 }
                guard p < stop, head[p] == 0x22 || head[p] == 0x27 else { return nil }
                let q = head[p]
                let start = p + 1
                var e = start
                while e < stop && head[e] != q { e += 1 }
                guard e < stop, e > start else { return nil }
                var label = [UInt8]()
                for k in start..<e { label.append(lower(head[k])) }
                return String(decoding: label, as: UTF8.self)
            }
            i += 1
        }
        return nil
    }

    static func trimmed(_ s: String) -> String {
        let u = Array(s.utf8)
        var a = 0
        var b = u.count
        while a < b && isSpace(u[a]) { a += 1 }
        while b > a && isSpace(u[b - 1]) { b -= 1 }
        var out = [UInt8]()
        out.reserveCapacity(b - a)
        for i in a..<b { out.append(lower(u[i])) }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - Labels

    /// The WHATWG canonical name for a label, or nil if the label is unknown.
    package static func canonicalName(forLabel label: String) -> String? {
        labelTable[trimmed(label)]
    }

    private static let labelTable: [String: String] = {
        let groups: [(String, [String])] = [
            ("UTF-8", ["unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8"]),
            ("IBM866", ["866", "cp866", "csibm866", "ibm866"]),
            ("ISO-8859-2", ["csisolatin2", "iso-8859-2", "iso-ir-101", "iso8859-2", "iso88592", "iso_8859-2",
                            "iso_8859-2:1987", "l2", "latin2"]),
            ("ISO-8859-3", ["csisolatin3", "iso-8859-3", "iso-ir-109", "iso8859-3", "iso88593", "iso_8859-3",
                            "iso_8859-3:1988", "l3", "latin3"]),
            ("ISO-8859-4", ["csisolatin4", "iso-8859-4", "iso-ir-110", "iso8859-4", "iso88594", "iso_8859-4",
                            "iso_8859-4:1988", "l4", "latin4"]),
            ("ISO-8859-5", ["csisolatincyrillic", "cyrillic", "iso-8859-5", "iso-ir-144", "iso8859-5", "iso88595",
                            "iso_8859-5", "iso_8859-5:1988"]),
            ("ISO-8859-6", ["arabic", "asmo-708", "csiso88596e", "csiso88596i", "csisolatinarabic", "ecma-114",
                            "iso-8859-6", "iso-8859-6-e", "iso-8859-6-i", "iso-ir-127", "iso8859-6", "iso88596",
                            "iso_8859-6", "iso_8859-6:1987"]),
            ("ISO-8859-7", ["csisolatingreek", "ecma-118", "elot_928", "greek", "greek8", "iso-8859-7", "iso-ir-126",
                            "iso8859-7", "iso88597", "iso_8859-7", "iso_8859-7:1987", "sun_eu_greek"]),
            ("ISO-8859-8", ["csiso88598e", "csisolatinhebrew", "hebrew", "iso-8859-8", "iso-8859-8-e", "iso-ir-138",
                            "iso8859-8", "iso88598", "iso_8859-8", "iso_8859-8:1988", "visual"]),
            ("ISO-8859-8-I", ["csiso88598i", "iso-8859-8-i", "logical"]),
            ("ISO-8859-10", ["csisolatin6", "iso-8859-10", "iso-ir-157", "iso8859-10", "iso885910", "l6", "latin6"]),
            ("ISO-8859-13", ["iso-8859-13", "iso8859-13", "iso885913"]),
            ("ISO-8859-14", ["iso-8859-14", "iso8859-14", "iso885914"]),
            ("ISO-8859-15", ["csisolatin9", "iso-8859-15", "iso8859-15", "iso885915", "iso_8859-15", "l9"]),
            ("ISO-8859-16", ["iso-8859-16"]),
            ("KOI8-R", ["cskoi8r", "koi", "koi8", "koi8-r", "koi8_r"]),
            ("KOI8-U", ["koi8-ru", "koi8-u"]),
            ("macintosh", ["csmacintosh", "mac", "macintosh", "x-mac-roman"]),
            ("windows-874", ["dos-874", "iso-8859-11", "iso8859-11", "iso885911", "tis-620", "windows-874"]),
            ("windows-1250", ["cp1250", "windows-1250", "x-cp1250"]),
            ("windows-1251", ["cp1251", "windows-1251", "x-cp1251"]),
            ("windows-1252", ["ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1",
                              "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1",
                              "us-ascii", "windows-1252", "x-cp1252", "x-user-defined"]),
            ("windows-1253", ["cp1253", "windows-1253", "x-cp1253"]),
            ("windows-1254", ["cp1254", "csisolatin5", "iso-8859-9", "iso-ir-148", "iso8859-9", "iso88599",
                              "iso_8859-9", "iso_8859-9:1989", "l5", "latin5", "windows-1254", "x-cp1254"]),
            ("windows-1255", ["cp1255", "windows-1255", "x-cp1255"]),
            ("windows-1256", ["cp1256", "windows-1256", "x-cp1256"]),
            ("windows-1257", ["cp1257", "windows-1257", "x-cp1257"]),
            ("windows-1258", ["cp1258", "windows-1258", "x-cp1258"]),
            ("x-mac-cyrillic", ["x-mac-cyrillic", "x-mac-ukrainian"]),
            ("GBK", ["chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80", "gbk", "iso-ir-58",
                     "x-gbk"]),
            ("gb18030", ["gb18030"]),
            ("Big5", ["big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"]),
            ("EUC-JP", ["cseucpkdfmtjapanese", "euc-jp", "x-euc-jp"]),
            ("ISO-2022-JP", ["csiso2022jp", "iso-2022-jp"]),
            ("Shift_JIS", ["csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis", "windows-31j",
                           "x-sjis"]),
            ("EUC-KR", ["cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean", "ks_c_5601-1987",
                        "ks_c_5601-1989", "ksc5601", "ksc_5601", "windows-949"]),
            ("UTF-16BE", ["unicodefffe", "utf-16be"]),
            ("UTF-16LE", ["csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16", "utf-16le"]),
        ]
        var table: [String: String] = [:]
        for (name, labels) in groups {
            for label in labels { table[label] = name }
        }
        return table
    }()

    /// The glibc iconv name for a WHATWG canonical name (the closest superset where they differ).
    static func iconvName(forCanonical name: String) -> String {
        switch name {
        case "ISO-8859-8-I": return "ISO-8859-8"
        case "macintosh": return "MACINTOSH"
        case "windows-874": return "CP874"
        case "x-mac-cyrillic": return "MAC-CYRILLIC"
        case "GBK", "gb18030": return "GB18030"
        case "Big5": return "BIG5-HKSCS"
        case "Shift_JIS": return "CP932"
        case "EUC-KR": return "CP949"
        default:
            if name.hasPrefix("windows-") { return "CP" + name.dropFirst(8) }
            return name
        }
    }

    // MARK: - UTF-8

    struct UTF8Scan: Equatable {
        /// Offset of the first byte of the first invalid sequence, nil if all valid.
        var firstInvalid: Int?
        var hasNUL: Bool
    }

    /// Validates UTF-8 (no overlongs, surrogates or code points above U+10FFFF) and notes NUL bytes.
    static func scanUTF8(_ bytes: UnsafeRawBufferPointer) -> UTF8Scan {
        let n = bytes.count
        guard n > 0, let base = bytes.baseAddress else { return UTF8Scan(firstInvalid: nil, hasNUL: false) }
        let p = base.assumingMemoryBound(to: UInt8.self)
        var hasNUL = false
        var i = 0
        while i < n {
            // ASCII fast path, eight bytes at a time.
            while i + 8 <= n {
                let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                if w & 0x8080_8080_8080_8080 != 0 { break }
                if (w &- 0x0101_0101_0101_0101) & ~w & 0x8080_8080_8080_8080 != 0 { hasNUL = true }
                i += 8
            }
            guard i < n else { break }
            let b0 = p[i]
            if b0 < 0x80 {
                if b0 == 0 { hasNUL = true }
                i += 1
                continue
            }
            var need = 0
            var lo: UInt8 = 0x80
            var hi: UInt8 = 0xBF
            switch b0 {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; lo = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: need = 2
            case 0xED: need = 2; hi = 0x9F
            case 0xF0: need = 3; lo = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; hi = 0x8F
            default: return UTF8Scan(firstInvalid: i, hasNUL: hasNUL)
            }
            guard i + need < n else { return UTF8Scan(firstInvalid: i, hasNUL: hasNUL) }
            let b1 = p[i + 1]
            if b1 < lo || b1 > hi { return UTF8Scan(firstInvalid: i, hasNUL: hasNUL) }
            if need >= 2 && (p[i + 2] & 0xC0) != 0x80 { return UTF8Scan(firstInvalid: i, hasNUL: hasNUL) }
            if need == 3 && (p[i + 3] & 0xC0) != 0x80 { return UTF8Scan(firstInvalid: i, hasNUL: hasNUL) }
            i += need + 1
        }
        return UTF8Scan(firstInvalid: nil, hasNUL: hasNUL)
    }

    /// Replaces each maximal invalid subsequence with U+FFFD (the Unicode/WHATWG practice).
    static func repairUTF8(_ bytes: UnsafeRawBufferPointer) -> (utf8: [UInt8], invalidSequences: Int) {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + 16)
        let replaced = appendRepairingUTF8(bytes, into: &out)
        return (out, replaced)
    }

    /// Removes NUL bytes in place; returns how many there were.
    static func removeNULs(_ bytes: inout [UInt8]) -> Int {
        guard bytes.contains(0) else { return 0 }
        let before = bytes.count
        bytes.removeAll { $0 == 0 }
        return before - bytes.count
    }

    // MARK: - windows-1252

    /// Code points of windows-1252 bytes 0x80–0x9F (the rest is Latin-1); undefined bytes map
    /// to the C1 control of the same value, as in the Encoding Standard.
    private static let windows1252High: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    static func decodeWindows1252(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + bytes.count / 8 + 16)
        let table = windows1252High
        for b in bytes {
            if b < 0x80 {
                out.append(b)
            } else if b < 0xA0 {
                appendScalar(UInt32(table[Int(b) - 0x80]), to: &out)
            } else {
                out.append(0xC0 | (b >> 6))
                out.append(0x80 | (b & 0x3F))
            }
        }
        return out
    }

    // MARK: - UTF-16

    static func decodeUTF16(_ bytes: UnsafeRawBufferPointer, bigEndian: Bool) -> (utf8: [UInt8], invalidSequences: Int) {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + 16)
        var invalid = 0
        let units = bytes.count / 2
        @inline(__always) func unit(_ k: Int) -> UInt32 {
            let a = UInt32(bytes[2 * k])
            let b = UInt32(bytes[2 * k + 1])
            return bigEndian ? (a << 8 | b) : (b << 8 | a)
        }
        var k = 0
        while k < units {
            let u = unit(k)
            k += 1
            if u < 0xD800 || u > 0xDFFF {
                appendScalar(u, to: &out)
            } else if u <= 0xDBFF, k < units, case let v = unit(k), v >= 0xDC00 && v <= 0xDFFF {
                k += 1
                appendScalar(0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00), to: &out)
            } else {
                invalid += 1
                appendScalar(0xFFFD, to: &out)
            }
        }
        if bytes.count % 2 != 0 {
            invalid += 1
            appendScalar(0xFFFD, to: &out)
        }
        return (out, invalid)
    }

    // MARK: - iconv

    @inline(__always) static func isInvalidIconv(_ cd: iconv_t?) -> Bool {
        guard let cd else { return true }
        return Int(bitPattern: cd) == -1
    }

    /// Converts with iconv; nil if iconv cannot open the conversion. Each invalid or
    /// incomplete input sequence becomes one U+FFFD.
    static func decodeWithIconv(_ bytes: UnsafeRawBufferPointer, from name: String) -> (utf8: [UInt8], invalidSequences: Int)? {
        let cd = iconv_open("UTF-8", name)
        if isInvalidIconv(cd) { return nil }
        defer { iconv_close(cd) }
        var out = [UInt8](repeating: 0, count: max(64, bytes.count * 2 + 16))
        var used = 0
        var invalid = 0
        guard let base = bytes.baseAddress, bytes.count > 0 else { return ([], 0) }
        var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: CChar.self))
        var inLeft = bytes.count
        var flushing = false
        while true {
            var failure: Int32 = 0
            let ok: Bool = out.withUnsafeMutableBytes { buffer in
                guard let outBase = buffer.baseAddress else { return false }
                var outPtr: UnsafeMutablePointer<CChar>? = (outBase + used).assumingMemoryBound(to: CChar.self)
                var outLeft = buffer.count - used
                let r: Int
                if flushing {
                    r = iconv(cd, nil, nil, &outPtr, &outLeft)
                } else {
                    r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                }
                failure = r == -1 ? errno : 0
                used = buffer.count - outLeft
                return r != -1
            }
            if ok {
                if flushing { break }
                flushing = true
                continue
            }
            if failure == E2BIG || out.count - used < 8 {
                out.append(contentsOf: repeatElement(0, count: out.count))
                if failure == E2BIG { continue }
            }
            if flushing { break }  // cannot flush: give up on the shift sequence
            if failure == EILSEQ || failure == EINVAL {
                // Invalid (or, at the end, incomplete) input: U+FFFD and skip one byte.
                invalid += 1
                out[used] = 0xEF
                out[used + 1] = 0xBF
                out[used + 2] = 0xBD
                used += 3
                if failure == EINVAL {
                    inLeft = 0
                } else {
                    inPtr = inPtr.map { $0 + 1 }
                    inLeft -= 1
                }
                if inLeft == 0 { flushing = true }
                continue
            }
            break  // unexpected error: keep what was converted
        }
        out.removeSubrange(used...)
        return (out, invalid)
    }
}
