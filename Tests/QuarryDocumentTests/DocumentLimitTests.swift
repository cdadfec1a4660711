import Testing

@testable import QuarryDocument

/// One enormous document costs bounded memory: its text stops at 16 MiB, and no passage is
/// longer than 64 KiB, whatever the text (no sentences, no spaces).
@Suite("document and passage limits")
struct DocumentLimitTests {
    @Test("text past the limit (16 MiB) is dropped on a character boundary, and the builder says so")
    func textCap() {
        // The same code path as 16 MiB, at a size a debug build fills quickly.
        var b = TextBuilder(capacity: 1 << 40, limit: 10_000)
        let chunk = String(repeating: "é word ", count: 100)  // 800 bytes
        for _ in 0..<20 { b.append(chunk) }
        b.startBlock(.preformatted)
        b.append("ééé")
        #expect(b.isTruncated)
        let (body, blocks) = b.finish()
        #expect(body.utf8.count <= 10_000)
        #expect(body.utf8.count > 10_000 - 16)
        #expect(String(validating: Array(body.utf8), as: UTF8.self) != nil)
        #expect(blocks.last?.end == body.utf8.count)
        var small = TextBuilder()
        small.append("short text")
        #expect(!small.isTruncated)
    }

    @Test("text without sentence ends or spaces is cut into passages of at most 64 KiB, covering it")
    func passageCap() {
        for text in [
            String(repeating: "x", count: 300_000), String(repeating: "ж", count: 150_000) + " end",
            String(repeating: "word ", count: 60_000),
        ] {
            let a = article([(.paragraph, text)])
            let spans = Array(a.body.utf8).withUnsafeBytes {
                PassageSplitter(settings: PassageSettings()).split($0, blocks: a.blocks)
            }
            #expect(!spans.isEmpty)
            #expect(spans.allSatisfy { $0.end - $0.start <= PassageSplitter.maxPassageBytes })
            let u = Array(a.body.utf8)
            // On character boundaries, in order, and covering the words.
            #expect(spans.allSatisfy { $0.start == u.count || u[$0.start] & 0xC0 != 0x80 })
            #expect(spans.allSatisfy { $0.end == u.count || u[$0.end] & 0xC0 != 0x80 })
            #expect(spans.first?.start == 0)
            #expect(spans.last?.end == u.count)
        }
    }
}
