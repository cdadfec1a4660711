import QuarryCore

/// Ranked results of a system for a set of queries, as a TREC run holds them.
///
/// Each query's documents are kept in the order trec_eval evaluates them: score descending,
/// ties broken by document id descending (compared byte by byte, as `strcmp` does). The
/// rank column of a run file is ignored, as trec_eval ignores it. A document listed twice
/// for a query counts once, with the score of its last line (what ir_measures and
/// pytrec_eval do; trec_eval itself refuses such runs).
public struct Run: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var id: String
        public var score: Double

        public init(id: String, score: Double) {
            self.id = id
            self.score = score
        }
    }

    /// Documents by query id, in evaluation order, one entry per document.
    public private(set) var rankings: [String: [Entry]]
    /// Lines (or entries) dropped because their document was already listed for the query.
    public private(set) var duplicateLines = 0
    /// Lines read from a run file (0 for runs built in code).
    public private(set) var lines = 0

    /// A run from results in any order (put in evaluation order here). A NaN score ranks last.
    public init(_ results: [String: [Entry]]) {
        rankings = [:]
        for (qid, entries) in results {
            var position: [String: Int] = [:]
            var unique: [Entry] = []
            unique.reserveCapacity(entries.count)
            for e in entries {
                let entry = Entry(id: e.id, score: e.score.isNaN ? -.infinity : e.score)
                if let at = position[e.id] {
                    unique[at] = entry
                    duplicateLines += 1
                } else {
                    position[e.id] = unique.count
                    unique.append(entry)
                }
            }
            unique.sort(by: Run.evaluationOrder)
            rankings[qid] = unique
        }
    }

    /// Reads a TREC run file: `qid Q0 docid rank score tag` lines, separated by whitespace.
    public init(contentsOf path: String) throws(QuarryError) {
        try self.init(parsing: try readBytes(path), file: path)
    }

    /// Reads the bytes of a TREC run file (`file` names it in errors). Blank lines are skipped.
    public init(parsing bytes: [UInt8], file: String) throws(QuarryError) {
        var problems = ProblemList(file: file)
        var results: [String: [Entry]] = [:]
        var count = 0
        forEachLine(bytes) { number, line in
            if isBlank(line) { return }
            let fields = whitespaceFields(line)
            guard fields.count == 6 else {
                problems.add(number, "expected a TREC run line 'qid Q0 docid rank score tag' (6 fields), found \(fields.count)")
                return
            }
            let scoreText = text(fields[4])
            guard let score = Double(scoreText), !score.isNaN else {
                problems.add(number, "the score '\(scoreText)' is not a number")
                return
            }
            results[text(fields[0]), default: []].append(Entry(id: text(fields[2]), score: score))
            count += 1
        }
        try problems.check()
        self.init(results)
        lines = count
    }

    /// trec_eval's order: higher score first; equal scores by document id, higher bytes first.
    public static func evaluationOrder(_ a: Entry, _ b: Entry) -> Bool {
        if a.score != b.score { return a.score > b.score }
        return b.id.utf8.lexicographicallyPrecedes(a.id.utf8)
    }

    /// The queries with results, whole-number ids first by value, then the rest.
    public var queryIDs: [String] { rankings.keys.sorted(by: queryOrder) }
}
