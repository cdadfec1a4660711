import QuarryCore
import Testing

@testable import QuarryEval

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

@Suite("Reading qrels and runs")
struct ReaderTests {
    @Test("TREC qrels: qid iteration docid grade, any whitespace, negative grades")
    func trecQrels() throws {
        let q = try Qrels(parsing: bytes("1 0 d1 2\n1\t0\td2   -1\n\n2 Q0 d1 0\n"), file: "q.trec")
        #expect(q.format == .trec)
        #expect(q.judgments == ["1": ["d1": 2, "d2": -1], "2": ["d1": 0]])
        #expect(q.count == 3)
        #expect(q.queryIDs == ["1", "2"])
    }

    @Test("BEIR TSV qrels: header line, CRLF line ends, no trailing newline")
    func beirQrels() throws {
        let q = try Qrels(parsing: bytes("query-id\tcorpus-id\tscore\r\n1\t31715818\t1\r\n3\t14717500\t1\r\n3\t999\t2"), file: "test.tsv")
        #expect(q.format == .beir)
        #expect(q.judgments == ["1": ["31715818": 1], "3": ["14717500": 1, "999": 2]])
        let headless = try Qrels(parsing: bytes("1\td1\t1\n"), file: "x.tsv")
        #expect(headless.format == .beir)
        #expect(headless.judgments == ["1": ["d1": 1]])
    }

    @Test("a judgment repeated: the last grade is kept and the repeat counted")
    func duplicateJudgments() throws {
        let q = try Qrels(parsing: bytes("q 0 a 1\nq 0 a 0\n"), file: "q")
        #expect(q.judgments == ["q": ["a": 0]])
        #expect(q.duplicateLines == 1)
    }

    @Test("bad qrels lines are reported with file, line and what was wrong")
    func badQrels() {
        #expect(
            throws: QuarryError.malformedInput(
                file: "q", line: 2, message: "expected 'qid 0 docid grade' (4 fields, TREC qrels like the first line), found 3")
        ) {
            try Qrels(parsing: bytes("q 0 a 1\nq a 1\n"), file: "q")
        }
        #expect(
            throws: QuarryError.malformedInput(
                file: "q", line: 1, message: "the grade '1.5' is not a whole number; line 3: the grade 'high' is not a whole number")
        ) {
            try Qrels(parsing: bytes("q 0 a 1.5\nq 0 b 1\nq 0 c high\n"), file: "q")
        }
        #expect(throws: QuarryError.malformedInput(file: "t.tsv", line: 3, message: "the grade 'x' is not a whole number")) {
            try Qrels(parsing: bytes("query-id\tcorpus-id\tscore\n1\td\t1\n1\te\tx\n"), file: "t.tsv")
        }
        #expect(
            throws: QuarryError.malformedInput(
                file: "q", line: 1,
                message:
                    "expected TREC qrels 'qid 0 docid grade' (4 fields) or BEIR TSV 'query-id<TAB>corpus-id<TAB>score' (3 fields), found 5 fields"
            )
        ) {
            try Qrels(parsing: bytes("a b c d e\n"), file: "q")
        }
    }

    @Test("the first few bad lines are listed, and how many there were")
    func manyBadLines() {
        var text = ""
        for i in 0..<8 { text += "q Q0 d\(i) 1 notanumber t\n" }
        do {
            _ = try Run(parsing: bytes(text), file: "r.trec")
            Issue.record("no error")
        } catch {
            guard case let .malformedInput(file, line, message) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(file == "r.trec")
            #expect(line == 1)
            #expect(message.components(separatedBy: "; line ").count == 5)  // the first five listed
            #expect(error.description.hasPrefix("r.trec:1: the score 'notanumber' is not a number; line 2: "))
            #expect(error.description.hasSuffix("; and 3 more bad lines"))
        }
    }

    @Test("bad run lines: field count, score not a number")
    func badRuns() {
        #expect(
            throws: QuarryError.malformedInput(
                file: "r", line: 2, message: "expected a TREC run line 'qid Q0 docid rank score tag' (6 fields), found 5")
        ) {
            try Run(parsing: bytes("q Q0 a 1 2.0 t\nq Q0 b 2 1.0\n"), file: "r")
        }
        #expect(throws: QuarryError.malformedInput(file: "r", line: 1, message: "the score 'nan' is not a number")) {
            try Run(parsing: bytes("q Q0 a 1 nan t\n"), file: "r")
        }
    }

    @Test("run files: CRLF, blank lines, queries in readable order, line count")
    func runs() throws {
        let r = try Run(parsing: bytes("10 Q0 a 1 2 t\r\n\r\n9 Q0 b 1 -1.5e2 t\r\nx Q0 c 1 0 t\r\n"), file: "r")
        #expect(r.queryIDs == ["9", "10", "x"])
        #expect(r.lines == 3)
        #expect(r.rankings["9"] == [Run.Entry(id: "b", score: -150)])
    }

    @Test("runs built in code are put in evaluation order; NaN ranks last")
    func runInCode() {
        let r = Run(["q": [.init(id: "a", score: .nan), .init(id: "b", score: 1), .init(id: "c", score: 2)]])
        #expect(r.rankings["q"]?.map(\.id) == ["c", "b", "a"])
    }

    @Test("query files: BEIR JSON Lines (_id, text, other members ignored) or qid<TAB>text lines")
    func querySets() throws {
        let jsonl = try QuerySet(
            parsing: bytes(
                "{\"_id\": \"1\", \"text\": \"a \\\"b\\\"\", \"metadata\": {\"x\": [1]}}\r\n\n{\"text\": \"c\", \"_id\": \"2\"}"),
            file: "q.jsonl")
        #expect(jsonl.format == .jsonl)
        #expect(jsonl.texts == ["1": "a \"b\"", "2": "c"])
        let tsv = try QuerySet(parsing: bytes("# comment\n1\tfirst query\n2\tsecond\twith a tab\n\n"), file: "q.tsv")
        #expect(tsv.format == .tsv)
        #expect(tsv.texts == ["1": "first query", "2": "second\twith a tab"])
        #expect(
            throws: QuarryError.malformedInput(
                file: "q.jsonl", line: 2, message: "no \"text\" member; line 3: byte 8 of the line: expected ':' after a member name")
        ) {
            try QuerySet(parsing: bytes("{\"_id\": \"1\", \"text\": \"a\"}\n{\"_id\": \"2\"}\n{\"_id\" \"3\"}\n"), file: "q.jsonl")
        }
        #expect(throws: QuarryError.malformedInput(file: "q.tsv", line: 2, message: "expected 'qid<TAB>query text'")) {
            try QuerySet(parsing: bytes("1\ta\n2 b\n"), file: "q.tsv")
        }
    }

    @Test("a file that cannot be read is an error naming it")
    func unreadable() {
        #expect(throws: QuarryError.io(path: "/nonexistent/qrels", operation: "read", reason: "No such file or directory")) {
            try Qrels(contentsOf: "/nonexistent/qrels")
        }
        #expect(throws: QuarryError.self) { try Run(contentsOf: "/") }
    }
}
