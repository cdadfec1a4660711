import QuarryCore
import QuarryDocument
import Testing

@testable import QuarryIngest

/// A small deterministic generator for property tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

private func text(_ utf8: [UInt8]) -> String { String(decoding: utf8, as: UTF8.self) }

@Suite("Charset detection")
struct CharsetDetectionTests {
    @Test("byte-order marks win over everything")
    func byteOrderMarks() {
        let utf8 = Charset.detectHTML([0xEF, 0xBB, 0xBF] + bytes("<meta charset=windows-1251><p>x"))
        #expect(utf8.encoding == .utf8)
        #expect(utf8.source == .byteOrderMark)
        #expect(utf8.bomLength == 3)

        let le = Charset.detectHTML([0xFF, 0xFE, 0x3C, 0x00, 0x70, 0x00])
        #expect(le.encoding == .utf16LE)
        #expect(le.bomLength == 2)

        let be = Charset.detectHTML([0xFE, 0xFF, 0x00, 0x3C, 0x00, 0x70])
        #expect(be.encoding == .utf16BE)
        #expect(be.bomLength == 2)

        #expect(Charset.detectText([0xFF, 0xFE, 0x41, 0x00]).encoding == .utf16LE)
    }

    @Test("meta charset, in its spellings")
    func metaCharset() {
        let cases: [(String, TextEncoding)] = [
            (#"<html><head><meta charset="windows-1251"><title>x</title>"#, .other("windows-1251")),
            (#"<META CHARSET=KOI8-R>"#, .other("KOI8-R")),
            (#"<meta charset='ISO-8859-2' />"#, .other("ISO-8859-2")),
            (#"<meta   charset = " shift_jis " >"#, .other("Shift_JIS")),
            (#"<meta/charset="utf-8">"#, .utf8),
            (#"<meta charset="latin1">"#, .windows1252),
            (#"<meta charset="iso-8859-1">"#, .windows1252),
            (#"<meta charset="us-ascii">"#, .windows1252),
        ]
        for (html, expected) in cases {
            let d = Charset.detectHTML(bytes(html))
            #expect(d.encoding == expected, "\(html)")
            #expect(d.source == .metaTag, "\(html)")
            #expect(d.warnings.isEmpty, "\(html)")
        }
    }

    @Test("meta http-equiv Content-Type")
    func httpEquiv() {
        let a = Charset.detectHTML(bytes(#"<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">"#))
        #expect(a.encoding == .other("windows-1251"))
        #expect(a.source == .metaTag)
        // Attribute order does not matter; quotes inside the content value are allowed.
        let b = Charset.detectHTML(bytes(#"<meta content='text/html;charset="iso-8859-15"' http-equiv=content-type>"#))
        #expect(b.encoding == .other("ISO-8859-15"))
        // A content attribute without http-equiv is not a declaration.
        let c = Charset.detectHTML(bytes(#"<meta content="text/html; charset=windows-1251"><p>abc"#))
        #expect(c.source == .validUTF8)
        #expect(c.encoding == .utf8)
    }

    @Test("the prescan skips comments and other tags' attributes, and stops after 1024 bytes")
    func prescanScope() {
        let commented = Charset.detectHTML(bytes(#"<!-- <meta charset="windows-1251"> --><p>x"#))
        #expect(commented.encoding == .utf8)
        let inAttribute = Charset.detectHTML(bytes(#"<div title='<meta charset="koi8-r">'>x</div>"#))
        #expect(inAttribute.encoding == .utf8)
        let late = String(repeating: " ", count: 1100) + #"<meta charset="windows-1251">"#
        #expect(Charset.detectHTML(bytes(late)).encoding == .utf8)
        let early = String(repeating: " ", count: 900) + #"<meta charset="windows-1251">"#
        #expect(Charset.detectHTML(bytes(early)).encoding == .other("windows-1251"))
    }

    @Test("XML declaration")
    func xmlDeclaration() {
        let d = Charset.detectHTML(bytes(#"<?xml version="1.0" encoding="ISO-8859-2"?><html><p>x</p></html>"#))
        #expect(d.encoding == .other("ISO-8859-2"))
        #expect(d.source == .xmlDeclaration)
        // A meta declaration is preferred.
        let both = Charset.detectHTML(bytes(#"<?xml version="1.0" encoding="ISO-8859-2"?><meta charset="koi8-r">"#))
        #expect(both.encoding == .other("KOI8-R"))
        #expect(both.source == .metaTag)
    }

    @Test("no declaration: valid UTF-8 is UTF-8, anything else windows-1252")
    func fallback() {
        let valid = Charset.detectHTML(bytes("<p>café ☕</p>"))
        #expect(valid.encoding == .utf8)
        #expect(valid.source == .validUTF8)
        let latin = Charset.detectHTML([0x3C, 0x70, 0x3E, 0x63, 0x61, 0x66, 0xE9])
        #expect(latin.encoding == .windows1252)
        #expect(latin.source == .fallback)
        #expect(Charset.detectText(bytes("plain ✓")).encoding == .utf8)
        #expect(Charset.detectText([0x63, 0x61, 0x66, 0xE9]).encoding == .windows1252)
        #expect(Charset.detectText([]).encoding == .utf8)
    }

    @Test("a declared UTF-16 in an ASCII-readable document means UTF-8")
    func declaredUTF16() {
        let d = Charset.detectHTML(bytes(#"<meta charset="utf-16"><p>x"#))
        #expect(d.encoding == .utf8)
    }

    @Test("an unknown label is reported and ignored")
    func unknownLabel() {
        let d = Charset.detectHTML(bytes(#"<meta charset="klingon-8"><p>abc"#))
        #expect(d.encoding == .utf8)
        #expect(d.declaredLabel == "klingon-8")
        #expect(d.warnings.count == 1)
        #expect(d.warnings.first?.contains("klingon-8") == true)
        let latin = Charset.detectHTML(bytes(#"<meta charset="klingon-8"><p>"#) + [0xE9])
        #expect(latin.encoding == .windows1252)
        #expect(latin.warnings.first?.contains("windows-1252") == true)
    }

    @Test("labels are normalised as browsers do")
    func labels() {
        #expect(TextEncoding(label: "utf8") == .utf8)
        #expect(TextEncoding(label: "  UTF-8 \n") == .utf8)
        #expect(TextEncoding(label: "Latin1") == .windows1252)
        #expect(TextEncoding(label: "ISO_8859-1") == .windows1252)
        #expect(TextEncoding(label: "ascii") == .windows1252)
        #expect(TextEncoding(label: "cp1251") == .other("windows-1251"))
        #expect(TextEncoding(label: "iso-8859-9") == .other("windows-1254"))
        #expect(TextEncoding(label: "gb2312") == .other("GBK"))
        #expect(TextEncoding(label: "utf-16") == .utf16LE)
        #expect(TextEncoding(label: "nonsense") == nil)
        #expect(TextEncoding(label: "") == nil)
        #expect(TextEncoding.other("windows-1251").name == "windows-1251")
    }
}

@Suite("Charset decoding")
struct CharsetDecodingTests {
    @Test("windows-1252 table")
    func windows1252() {
        let (utf8, invalid) = Charset.decode([0x80, 0x20, 0x9F, 0x20, 0xE9, 0x20, 0x81, 0x20, 0x41, 0xFF], as: .windows1252)
        #expect(text(utf8) == "\u{20AC} \u{0178} é \u{0081} Aÿ")
        #expect(invalid == 0)
    }

    @Test("windows-1251 and ISO-8859-2 through iconv")
    func iconv() {
        // "Привет" in windows-1251.
        let (ru, invalid) = Charset.decode([0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2], as: .other("windows-1251"))
        #expect(text(ru) == "Привет")
        #expect(invalid == 0)
        // "Łódź" in ISO-8859-2.
        let (pl, _) = Charset.decode([0xA3, 0xF3, 0x64, 0xBC], as: .other("ISO-8859-2"))
        #expect(text(pl) == "Łódź")
        // Stateful ISO-2022-JP: ESC $ B, "日本" (0x46 0x7C 0x4B 0x5C), ESC ( B.
        let (jp, _) = Charset.decode([0x1B, 0x24, 0x42, 0x46, 0x7C, 0x4B, 0x5C, 0x1B, 0x28, 0x42, 0x21], as: .other("ISO-2022-JP"))
        #expect(text(jp) == "日本!")
    }

    @Test("invalid bytes in an iconv encoding become U+FFFD")
    func iconvInvalid() {
        // 0x82 0x20 is not a valid Shift_JIS pair; 0x83 at the end is incomplete.
        let (s, invalid) = Charset.decode([0x41, 0x82, 0x20, 0x42, 0x83], as: .other("Shift_JIS"))
        let decoded = text(s)
        #expect(decoded.hasPrefix("A"))
        #expect(decoded.contains("B"))
        #expect(decoded.contains("\u{FFFD}"))
        #expect(invalid >= 2)
        #expect(s.withUnsafeBytes { Charset.isValidUTF8($0) })
    }

    @Test("UTF-16 with surrogates, lone surrogates and an odd byte")
    func utf16() {
        // "A😀" + lone high surrogate + "B", little-endian.
        let le: [UInt8] = [0x41, 0x00, 0x3D, 0xD8, 0x00, 0xDE, 0x3D, 0xD8, 0x42, 0x00, 0x43]
        let (a, invalidA) = Charset.decode(le, as: .utf16LE)
        #expect(text(a) == "A😀\u{FFFD}B\u{FFFD}")
        #expect(invalidA == 2)
        let be: [UInt8] = [0x00, 0x41, 0xD8, 0x3D, 0xDE, 0x00]
        #expect(text(Charset.decode(be, as: .utf16BE).utf8) == "A😀")
    }

    @Test("UTF-8 validation agrees with the standard library")
    func utf8Validation() {
        var rng = SplitMix64(seed: 42)
        let pieces: [[UInt8]] = [
            [0x41], [0x00], [0xC3, 0xA9], [0xE2, 0x80, 0x94], [0xF0, 0x9F, 0x98, 0x80],
            [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x80], [0x80],
            [0xFF], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE0, 0x9F, 0x80], [0xC2],
        ]
        for _ in 0..<2000 {
            var input: [UInt8] = []
            let count = Int.random(in: 0...24, using: &rng)
            for _ in 0..<count {
                if Bool.random(using: &rng) {
                    input += pieces[Int.random(in: 0..<pieces.count, using: &rng)]
                } else {
                    input += [UInt8](repeating: 0x61, count: Int.random(in: 0...17, using: &rng))
                }
            }
            let valid = String(validating: input, as: UTF8.self) != nil
            let scan = input.withUnsafeBytes { Charset.scanUTF8($0) }
            #expect((scan.firstInvalid == nil) == valid, "\(input)")
            if valid { #expect(scan.hasNUL == input.contains(0)) }
            let repaired = input.withUnsafeBytes { Charset.repairUTF8($0) }
            #expect(repaired.utf8 == Array(String(decoding: input, as: UTF8.self).utf8))
            #expect((repaired.invalidSequences == 0) == valid)
        }
    }

    @Test("decodeText: BOM, valid UTF-8, windows-1252 fallback")
    func decodeText() {
        let bom = Charset.decodeText([0xEF, 0xBB, 0xBF] + bytes("héllo"))
        #expect(bom.text == "héllo")
        #expect(bom.encoding == .utf8)
        let utf16 = Charset.decodeText([0xFF, 0xFE, 0x68, 0x00, 0xE9, 0x00])
        #expect(utf16.text == "hé")
        #expect(utf16.encoding == .utf16LE)
        let latin = Charset.decodeText([0x63, 0x61, 0x66, 0xE9, 0x20, 0x93, 0x71, 0x94])
        #expect(latin.text == "café \u{201C}q\u{201D}")
        #expect(latin.encoding == .windows1252)
        #expect(latin.warnings.isEmpty)
        #expect(Charset.decodeText([]).text == "")
    }

    @Test("declared UTF-8 that is not valid is repaired with U+FFFD and reported")
    func declaredUTF8Invalid() {
        let html = bytes(#"<meta charset="utf-8"><p>caf"#) + [0xE9] + bytes(" ok</p>")
        let decoded = Charset.decodeHTML(html)
        #expect(decoded.encoding == .utf8)
        #expect(decoded.text.contains("caf\u{FFFD} ok"))
        #expect(decoded.warnings.count == 1)
        #expect(decoded.warnings.first?.contains("U+FFFD") == true)
    }

    @Test("HTML preparation removes NUL bytes and the BOM")
    func nulsAndBOM() {
        let decoded = Charset.decodeHTML([0xEF, 0xBB, 0xBF] + bytes("<p>a") + [0] + bytes("b</p>"))
        #expect(decoded.text == "<p>ab</p>")
        #expect(decoded.warnings.contains { $0.contains("NUL") })
        let clean = Charset.decodeHTML(bytes("<p>ok</p>"))
        #expect(clean.text == "<p>ok</p>")
        #expect(clean.warnings.isEmpty)
    }
}
