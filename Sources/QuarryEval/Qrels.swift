import QuarryCore

/// Relevance judgments: for each query, the grade of each judged document.
///
/// A grade of 1 or more means relevant for the binary measures (P, R, RR, AP); nDCG takes the
/// grade itself as the gain. A grade of 0 or less (negative grades mark spam or harmful
/// documents in some collections) is not relevant and has gain 0, like an unjudged
/// document: that is what trec_eval, and so pytrec_eval and ir_measures, do.
///
///     let qrels = try Qrels(contentsOf: "scifact/qrels/test.tsv")
///     let run = try Run(contentsOf: "run.trec")
///     let evaluation = Evaluation(run: run, qrels: qrels)
///     print(evaluation.mean(.nDCG(cutoff: 10)) ?? 0)
public struct Qrels: Sendable, Equatable {
    /// The two file formats `Qrels(contentsOf:)` reads (it tells them apart by the first line).
    public enum Format: String, Sendable {
        /// `qid iteration docid grade`, separated by whitespace (the iteration is ignored).
        case trec
        /// BEIR's TSV: `query-id<TAB>corpus-id<TAB>score`, usually under a header line.
        case beir
    }

    /// Grades by query id, then document id.
    public private(set) var judgments: [String: [String: Int]]
    /// The format of the file read (nil for qrels built in code).
    public private(set) var format: Format?
    /// Lines that judged a document its query already had; the last line's grade is kept,
    /// as ir_measures and pytrec_eval keep it.
    public private(set) var duplicateLines = 0

    public init(_ judgments: [String: [String: Int]]) {
        self.judgments = judgments
        format = nil
    }

    /// Reads a TREC or BEIR qrels file.
    public init(contentsOf path: String) throws(QuarryError) {
        try self.init(parsing: try readBytes(path), file: path)
    }

    /// Reads the bytes of a TREC or BEIR qrels file (`file` names it in errors). Blank lines
    /// are skipped; CRLF line ends are accepted.
    public init(parsing bytes: [UInt8], file: String) throws(QuarryError) {
        judgments = [:]
        var problems = ProblemList(file: file)
        var detected: Format?
        var duplicates = 0
        var grades: [String: [String: Int]] = [:]
        forEachLine(bytes) { number, line in
            if isBlank(line) { return }
            if detected == nil {
                let tabs = tabFields(line), words = whitespaceFields(line)
                if tabs.count == 3 || words.count == 3 {
                    detected = .beir
                    let fields = tabs.count == 3 ? tabs : words
                    // A header ("query-id corpus-id score") names the columns: its grade is a word.
                    if Int(text(fields[2]).trimmed) == nil { return }
                } else if words.count == 4 {
                    detected = .trec
                } else {
                    problems.add(
                        number,
                        "expected TREC qrels 'qid 0 docid grade' (4 fields) or BEIR TSV 'query-id<TAB>corpus-id<TAB>score' (3 fields), found \(words.count) field\(words.count == 1 ? "" : "s")"
                    )
                    return
                }
            }
            let qid: String, docid: String, gradeText: String
            if detected == .beir {
                var fields = tabFields(line)
                if fields.count != 3 { fields = whitespaceFields(line) }
                guard fields.count == 3 else {
                    problems.add(
                        number,
                        "expected 'query-id<TAB>corpus-id<TAB>score' (3 fields, BEIR TSV like the first line), found \(fields.count)")
                    return
                }
                qid = text(fields[0]).trimmed
                docid = text(fields[1]).trimmed
                gradeText = text(fields[2]).trimmed
            } else {
                let fields = whitespaceFields(line)
                guard fields.count == 4 else {
                    problems.add(number, "expected 'qid 0 docid grade' (4 fields, TREC qrels like the first line), found \(fields.count)")
                    return
                }
                qid = text(fields[0])
                docid = text(fields[2])
                gradeText = text(fields[3])
            }
            guard !qid.isEmpty, !docid.isEmpty else {
                problems.add(number, "empty query id or document id")
                return
            }
            guard let grade = Int(gradeText) else {
                problems.add(number, "the grade '\(gradeText)' is not a whole number")
                return
            }
            if grades[qid, default: [:]].updateValue(grade, forKey: docid) != nil { duplicates += 1 }
        }
        try problems.check()
        judgments = grades
        format = detected
        duplicateLines = duplicates
    }

    /// The judged queries, whole-number ids first by value, then the rest.
    public var queryIDs: [String] { judgments.keys.sorted(by: queryOrder) }

    /// Judgments in all.
    public var count: Int { judgments.values.reduce(0) { $0 + $1.count } }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmed: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        return String(s)
    }
}
