import QuarryCore
import QuarryDocument
import Testing

@testable import QuarryIngest

func parseLine(_ s: String) throws -> Article? {
    try Array(s.utf8).withUnsafeBytes { (raw) throws(JSONLineError) in try BEIRReader().parse(line: raw, path: "c.jsonl") }
}

@Suite("BEIR JSON Lines")
struct JSONLinesTests {
    @Test("reads _id, title and text; skips other members of any shape")
    func basic() throws {
        let a = try #require(
            try parseLine(
                #"{"_id": "d1", "title": "T \u00e9", "text": "Line one\nLine two", "metadata": {"a": [1, 2.5e3, true, null, {"b": "}"}]}}"#)
        )
        #expect(a.id == "d1")
        #expect(a.title == "T é")
        #expect(a.body == "Line one\nLine two")
        #expect(a.blocks.count == 2)
    }

    @Test("escapes: surrogate pairs, lone surrogates, control escapes")
    func escapes() throws {
        let a = try #require(try parseLine(#"{"_id":"x","text":"\ud83e\udde0 brain \ud800 lone \t tab \"q\" \\ \/"}"#))
        #expect(a.body == "🧠 brain \u{FFFD} lone tab \"q\" \\ /")
    }

    @Test("numeric ids are accepted as text; blank lines are nothing")
    func numbers() throws {
        #expect(try parseLine(#"{"_id": 4983, "text": "x"}"#)?.id == "4983")
        #expect(try parseLine("   ") == nil)
    }

    @Test("broken lines give an error with the byte column")
    func errors() {
        let cases: [(String, Int)] = [
            (#"{"_id": "a", "text": "unterminated}"#, 35),
            (#"{"_id" "a"}"#, 7),
            (#"["not an object"]"#, 0),
            (#"{"_id": "a"} trailing"#, 13),
            (#"{"title": "no id"}"#, 0),
            (#"{"_id": "a", "text": "bad \x escape"}"#, 27),
        ]
        for (line, column) in cases {
            do {
                _ = try parseLine(line)
                Issue.record("accepted: \(line)")
            } catch let e as JSONLineError {
                #expect(e.column == column, "\(line): \(e)")
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test("invalid UTF-8 inside strings is repaired, random bytes never crash")
    func robustness() throws {
        var bytes = Array(#"{"_id":"x","text":"ab"#.utf8)
        bytes += [0xFF, 0xC3]
        bytes += Array(#"cd"}"#.utf8)
        let a = try bytes.withUnsafeBytes { (raw) throws(JSONLineError) in try BEIRReader().parse(line: raw, path: "p") }
        #expect(a?.body == "ab\u{FFFD}\u{FFFD}cd")  // 0xFF and a truncated 0xC3: two ill-formed subsequences
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array(#"{}[]":,\u0aZ 1.e-"#.utf8) + [0xFF, 0xC3, 0x80]
        for _ in 0..<2000 {
            let line = (0..<Int.random(in: 0..<40, using: &rng)).map { _ in alphabet.randomElement(using: &rng) ?? 0 }
            _ = try? line.withUnsafeBytes { (raw) throws(JSONLineError) in try BEIRReader().parse(line: raw, path: "p") }
        }
    }

    @Test("chunks hold whole lines; errors name the line number")
    func chunksAndLines() throws {
        var text = ""
        for i in 0..<50 { text += i == 37 ? "{broken\n" : #"{"_id":"d\#(i)","text":"t \#(i)"}"# + "\n" }
        let bytes = Array(text.utf8)
        try bytes.withUnsafeBytes { raw in
            let chunks = Lines.chunks(raw, chunkBytes: 100)
            #expect(chunks.first?.lowerBound == 0 && chunks.last?.upperBound == raw.count)
            var ids: [String] = []
            var issues: [IngestIssue] = []
            for c in chunks {
                #expect(c.upperBound == raw.count || raw[c.upperBound - 1] == 0x0A)
                issues += try SourceParser().parseLines(
                    raw, range: c, displayPath: "c.jsonl",
                    firstLine: { Lines.countNewlines(raw, upTo: c.lowerBound) + 1 }
                ) { ids.append($0.id) }
            }
            #expect(ids.count == 49)
            #expect(issues.count == 1)
            #expect(issues.first?.line == 38)
            #expect(issues.first?.description.hasPrefix("c.jsonl:38") == true)
        }
    }
}
