import QuarryCore
import QuarryDocument
import Testing

@testable import QuarryIngest

@Suite("Hostile inputs")
struct HostileInputTests {
    /// One start tag with `count` attributes, then text.
    static func manyAttributes(_ count: Int) -> [UInt8] {
        var html = Array("<html><body><div".utf8)
        for i in 0..<count { html += Array(" a\(i)=\"v\"".utf8) }
        html += Array("><p>after the tag</p></div><p>end</p></body></html>".utf8)
        return html
    }

    @Test("the attribute guard keeps the first 100 attributes of a tag and says what it dropped")
    func guardCaps() throws {
        let html = Self.manyAttributes(150_000)
        let capped = try #require(html.withUnsafeBytes { HTMLAttributeGuard.capAttributes($0) })
        #expect(capped.tags == 1)
        #expect(capped.removed == 150_000 - HTMLAttributeGuard.maxAttributes)
        let text = String(decoding: capped.html, as: UTF8.self)
        #expect(text.contains(" a99=\"v\""))
        #expect(!text.contains(" a100="))
        #expect(text.hasSuffix("><p>after the tag</p></div><p>end</p></body></html>"))
        #expect(capped.warning.contains("149900"))
        // Within the limit: nothing to do, no copy.
        #expect(Self.manyAttributes(100).withUnsafeBytes { HTMLAttributeGuard.capAttributes($0) } == nil)
    }

    @Test("quoted values, comments and script text do not confuse the count")
    func guardReading() {
        let html = Array(#"<p a="x > y" b='<q c d e f>'>t</p><!-- <p a b c d e f g> --><script>if (a<b c d e f g) {}</script>"#.utf8)
        #expect(html.withUnsafeBytes { HTMLAttributeGuard.capAttributes($0, limit: 2) } == nil)
        let over = Array(#"<p a="1" b="2" c="3">t</p>"#.utf8)
        let capped = over.withUnsafeBytes { HTMLAttributeGuard.capAttributes($0, limit: 2) }
        #expect(capped.map { String(decoding: $0.html, as: UTF8.self) } == #"<p a="1" b="2" >t</p>"#)
    }

    @Test("a page with 150,000 attributes on one tag extracts fully, with a warning")
    func extractorOnHostilePage() throws {
        let (article, issues) = try HTMLExtractor().extract(Self.manyAttributes(150_000), id: "h", path: "h.html")
        #expect(article.body == "after the tag\nend")
        #expect(issues.contains { $0.severity == .warning && $0.message.contains("more than 100 attributes") })
    }
}

@Suite("Mostly valid UTF-8")
struct MostlyValidUTF8Tests {
    @Test("UTF-8 text with one stray byte stays UTF-8: U+FFFD and a warning naming the byte")
    func strayByte() {
        let text = Array("Une élève à l'école, déjà.\n".utf8) + [0xFF] + Array(" Encore élève.\n".utf8)
        let decoded = Charset.decodeText(text)
        #expect(decoded.encoding == .utf8)
        #expect(decoded.detection.source == .mostlyValidUTF8)
        #expect(decoded.text.contains("élève"))
        #expect(decoded.text.contains("\u{FFFD} Encore"))
        let offset = Array("Une élève à l'école, déjà.\n".utf8).count
        #expect(decoded.warnings.count == 1)
        #expect(decoded.warnings.first?.contains("byte \(offset)") == true)
        // The same through SourceParser and the index-facing article.
        let parsed = SourceParser().parseDocument(text, displayPath: "f.txt", id: "f.txt", format: .text)
        #expect(parsed.article?.body.contains("élève") == true)
        #expect(parsed.issues.first?.message.contains("byte \(offset)") == true)
    }

    @Test("real windows-1252 text is still windows-1252")
    func windows1252() {
        // "élève à l'école" and curly quotes in windows-1252.
        let bytes: [UInt8] = [
            0xE9, 0x6C, 0xE8, 0x76, 0x65, 0x20, 0xE0, 0x20, 0x6C, 0x27, 0xE9, 0x63, 0x6F, 0x6C, 0x65,
            0x20, 0x93, 0x71, 0x94,
        ]
        let decoded = Charset.decodeText(bytes)
        #expect(decoded.encoding == .windows1252)
        #expect(decoded.text == "élève à l'école \u{201C}q\u{201D}")
        #expect(decoded.warnings.isEmpty)
        // A tie (one byte, nothing valid) stays windows-1252.
        #expect(Charset.detectText([0x63, 0x61, 0x66, 0xE9]).encoding == .windows1252)
        // windows-1252 that happens to hold one valid UTF-8 pair ("Ã©") among many invalid bytes.
        let mixed: [UInt8] = [0xC3, 0xA9, 0x20, 0xE9, 0x20, 0xE8, 0x20, 0xE0]
        #expect(Charset.detectText(mixed).encoding == .windows1252)
    }

    @Test("an undeclared HTML page follows the same rule")
    func html() throws {
        let bytes = Array("<p>élève déjà".utf8) + [0x92] + Array("</p>".utf8)
        let (article, issues) = try HTMLExtractor().extract(bytes, id: "h", path: "h.html")
        #expect(article.body == "élève déjà\u{FFFD}")
        #expect(issues.count == 1)
    }

    @Test("the census counts well-formed multi-byte and ill-formed sequences")
    func census() {
        let bytes: [UInt8] = Array("aé☕😀".utf8) + [0x80, 0xE2, 0x82, 0x41]
        let c = bytes.withUnsafeBytes { UTF8Validation.census($0) }
        #expect(c.multiByte == 3)
        #expect(c.invalid == 2)
        #expect(c.firstInvalid == Array("aé☕😀".utf8).count)
    }
}
