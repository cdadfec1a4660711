import Foundation
import Testing

/// Names and text that reach a terminal cannot forge result lines or send escape sequences;
/// ids with control characters are refused at index time; TREC lines keep six fields.
@Suite("safe output")
struct OutputSafetyEndToEndTests {
    /// Bytes a terminal acts on: C0 controls other than newline, DEL, and C1 (U+0080–U+009F).
    static func controls(_ text: String) -> [UInt32] {
        text.unicodeScalars.map(\.value).filter { ($0 < 0x20 && $0 != 0x0A) || ($0 >= 0x7F && $0 <= 0x9F) }
    }

    @Test("file names with a newline or an escape, and _ids with ESC, are refused with a warning naming them")
    func refusedIDs() throws {
        let dir = try CLI.temporaryDirectory("safe-ids")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write(dir + "/src/evil\n1. forged result.txt", "hello world\n")
        try write(dir + "/src/x\u{1B}[31mred.txt", "hello escape\n")
        try write(dir + "/src/my notes.txt", "hello spaces\n")
        try write(dir + "/j.jsonl", #"{"_id":"a\u001b[2Jb","text":"hello json"}"# + "\n" + #"{"_id":"","text":"hello empty"}"# + "\n")
        let r = try CLI.run(["index", "--index", dir + "/idx", dir + "/src", dir + "/j.jsonl"])
        #expect(r.status == 0)
        #expect(Self.controls(r.stderr).isEmpty, "\(r.stderr)")
        #expect(r.stderr.contains(#"evil\n1. forged result.txt"#), "\(r.stderr)")
        #expect(r.stderr.contains(#"x\e[31mred.txt"#))
        #expect(r.stderr.contains("control character"))
        #expect(r.stderr.contains(#""_id" is an empty string"#), "\(r.stderr)")
        let s = try CLI.run(["search", "--index", dir + "/idx", "hello"])
        #expect(s.lines.filter { $0.first?.isNumber == true }.count == 1, "\(s.stdout)")
        #expect(s.stdout.contains("my notes.txt"))
        // TREC: an id with a space stays one field.
        try write(dir + "/q.tsv", "q1\thello\n")
        let t = try CLI.run(["search", "--index", dir + "/idx", "--queries", dir + "/q.tsv", "--format", "trec"])
        #expect(t.status == 0)
        #expect(t.lines == [t.lines.first ?? ""] && t.lines.first?.split(separator: " ").count == 6, "\(t.stdout)")
        #expect(t.stdout.contains("my%20notes.txt"))
    }

    @Test("titles, paths, headings and text with control characters are escaped in text and Markdown output")
    func escapedText() throws {
        let dir = try CLI.temporaryDirectory("safe-text")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // C1 controls (U+009B is an 8-bit CSI) survive extraction; the directory's name goes into paths.
        let line = #"{"_id":"d1","title":"T\u009b31m title","text":"alpha \u009b2J beta\u0085gamma"}"#
        try write(dir + "/in\u{1B}]0;x\u{7}dir/j.jsonl", line + "\n")
        #expect(try CLI.run(["index", "--index", dir + "/idx", dir + "/in\u{1B}]0;x\u{7}dir"]).status == 0)
        for args in [
            ["search", "alpha"], ["search", "--passages", "alpha"], ["search", "--format", "markdown", "alpha"],
            ["search", "--passages", "--format", "markdown", "alpha"], ["search", "--explain", "alpha"], ["show", "d1"],
        ] {
            let r = try CLI.run(args + ["--index", dir + "/idx"])
            #expect(r.status == 0, "\(args): \(r.stderr)")
            #expect(r.stdout.contains("alpha"), "\(args): \(r.stdout)")
            #expect(Self.controls(r.stdout).isEmpty, "\(args): \(r.stdout.unicodeScalars.map { String($0.value, radix: 16) })")
            #expect(r.stdout.contains(#"\u{9B}"#), "\(args): \(r.stdout)")
        }
        let show = try CLI.run(["show", "--index", dir + "/idx", "d1"])
        #expect(show.stdout.contains(#"in\e]0;x\u{7}dir"#), "\(show.stdout)")
        // JSON escapes them by definition.
        let json = try CLI.run(["search", "--index", dir + "/idx", "--json", "alpha"])
        #expect(Self.controls(json.stdout).isEmpty)
        #expect(json.stdout.contains(#"\u009b"#))
    }
}
