import QuarryCore
import QuarryDocument

// Character-set detection and decoding: raw file bytes in, valid UTF-8 out.
//
// HTML follows the browser rules (WHATWG Encoding and HTML standards, simplified): a byte-order
// mark wins, then a `<meta>` declaration found by a prescan of the first 1024 bytes, then an XML
// declaration, then the undeclared rule. Plain text uses the BOM, then the undeclared rule.
// The undeclared rule: UTF-8 if the bytes are valid UTF-8; also UTF-8 ("mostly valid", invalid
// sequences replaced) if they hold more well-formed multi-byte sequences than ill-formed ones;
// else windows-1252. Whatever the bytes, decoding never fails: invalid sequences become U+FFFD.
// docs/TEXT.md states these rules for users.

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
    /// No (usable) declaration, and the bytes are not valid UTF-8 but hold more well-formed
    /// multi-byte UTF-8 sequences than ill-formed ones: UTF-8, the ill-formed ones replaced.
    case mostlyValidUTF8
    /// No (usable) declaration, and the bytes are not (mostly) valid UTF-8: windows-1252.
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

    package init(
        encoding: TextEncoding, source: CharsetSource, bomLength: Int = 0,
        declaredLabel: String? = nil, warnings: [String] = []
    ) {
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

    package var text: String { String(decoding: utf8, as: UTF8.self) }
}

/// Charset detection and decoding to UTF-8.
package enum Charset {
    /// How many bytes the HTML prescan looks at, as in browsers.
    package static let prescanLength = 1024

    // MARK: - Detection

    /// The charset of an HTML document: byte-order mark, else a `<meta>` declaration in the
    /// first 1024 bytes, else an XML declaration, else the undeclared rule (`undeclared`):
    /// UTF-8 if valid or mostly valid, else windows-1252. A declared but unknown charset gives a warning and is ignored.
    package static func detectHTML(_ bytes: UnsafeRawBufferPointer) -> CharsetDetection {
        detectHTMLWithScan(bytes).detection
    }

    package static func detectHTML(_ bytes: [UInt8]) -> CharsetDetection {
        bytes.withUnsafeBytes { detectHTML($0) }
    }

    /// The charset of a plain-text file: byte-order mark, else the undeclared rule (UTF-8 if
    /// valid or mostly valid, else windows-1252: see `undeclared`).
    package static func detectText(_ bytes: UnsafeRawBufferPointer) -> CharsetDetection {
        if let bom = byteOrderMark(bytes) {
            return CharsetDetection(encoding: bom.encoding, source: .byteOrderMark, bomLength: bom.length)
        }
        return undeclared(bytes, scan: scanUTF8(bytes))
    }

    /// The charset of bytes that declare none. Valid UTF-8 is UTF-8. Otherwise both readings
    /// damage some characters: read as UTF-8, each ill-formed sequence becomes U+FFFD; read as
    /// windows-1252, each well-formed multi-byte UTF-8 sequence becomes two or more wrong
    /// characters ("Ã©" for "é"). The reading that damages fewer wins: UTF-8 when the bytes
    /// hold more well-formed multi-byte sequences than ill-formed ones ("mostly valid"), else
    /// windows-1252 (which is also what a tie gives, e.g. a single non-ASCII byte).
    static func undeclared(_ bytes: UnsafeRawBufferPointer, scan: UTF8Scan) -> CharsetDetection {
        guard scan.firstInvalid != nil else { return CharsetDetection(encoding: .utf8, source: .validUTF8) }
        let census = UTF8Validation.census(bytes)
        if census.multiByte > census.invalid {
            return CharsetDetection(encoding: .utf8, source: .mostlyValidUTF8)
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
        return DecodedText(
            utf8: utf8, encoding: prepared.detection.encoding,
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
            if detection.encoding == .utf8, let first = scanUTF8(payload).firstInvalid {
                warnings.append(invalidUTF8Warning(detection, invalid: invalid, first: first + detection.bomLength))
            } else {
                warnings.append("\(invalid) invalid \(detection.encoding.name) byte sequence(s) replaced with U+FFFD")
            }
        }
        return DecodedText(utf8: utf8, encoding: detection.encoding, detection: detection, warnings: warnings)
    }

    /// The warning for UTF-8 with ill-formed sequences; `first` is a file offset.
    static func invalidUTF8Warning(_ detection: CharsetDetection, invalid: Int, first: Int) -> String {
        let how: String
        switch detection.source {
        case .byteOrderMark: how = "marked as UTF-8 by its byte-order mark but has"
        case .mostlyValidUTF8: how = "read as UTF-8 (mostly valid) with"
        default: how = "declared UTF-8 but has"
        }
        return "\(how) \(invalid) invalid byte sequence(s), the first at byte \(first); replaced with U+FFFD"
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
                warnings.append(invalidUTF8Warning(detection, invalid: count, first: firstInvalid + offset))
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
                var detection = undeclared(bytes, scan: scan)
                detection.declaredLabel = declared.label
                detection.warnings.append(
                    "declared charset \"\(declared.label)\" (\(encoding.name)) is not supported by this system; decoded as \(detection.encoding.name)"
                )
                return (detection, scan)
            }
            unknownLabel = unknownLabel ?? declared.label
        }
        let scan = scanUTF8(bytes)
        var detection = undeclared(bytes, scan: scan)
        if let unknownLabel {
            detection.declaredLabel = unknownLabel
            detection.warnings.append("declared charset \"\(unknownLabel)\" is unknown; decoded as \(detection.encoding.name)")
        }
        return (detection, scan)
    }

}
