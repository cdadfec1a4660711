import ArgumentParser
import Quarry
import QuarryCLI

#if canImport(Glibc)
import Glibc
#endif

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score runs against relevance judgments: nDCG@10, R@100, RR@10, AP@1000, P@10; compare two runs.",
        discussion: """
            Scores a TREC run (qid Q0 docid rank score tag), or the run made by searching an \
            index, against relevance judgments: TREC qrels (qid 0 docid grade) or BEIR TSV \
            (query-id<TAB>corpus-id<TAB>score, header line allowed); the format is detected.

            Measures are those of trec_eval, as ir_measures computes them: a grade of 1 or \
            more is relevant, nDCG's gain is the grade (0 for grades of 0 or less), equal \
            scores are ordered by document id (descending, as trec_eval does), the rank \
            column is ignored, and a document listed twice keeps its last line. Means are \
            over the queries of the qrels: a query without results scores 0; queries the \
            qrels do not judge are ignored.

            With two runs (two --run, or --run and --index), B − A is tested with a \
            two-sided paired randomisation test: each query's difference keeps or flips \
            its sign at random (--permutations, default 10,000, from --seed), and p is the \
            share of those at least as large as the one observed; with few queries all \
            2^n sign assignments are counted (exact p).

            With --index, each query of the qrels found in --queries (BEIR queries.jsonl \
            with _id and text, or qid<TAB>text lines) is searched as a bag of words, like \
            quarry search --queries; the run keeps the scores as a TREC file holds them \
            (6 decimals), so --save-run and then --run score the same.

            Examples:
              quarry eval --qrels qrels/test.tsv --run bm25.trec
              quarry eval --qrels qrels/test.tsv --run before.trec --run after.trec
              quarry eval --index scifact --queries queries.jsonl --qrels qrels/test.tsv
              quarry eval --index scifact --queries queries.jsonl --qrels qrels/test.tsv \\
                  --run before.trec --k1 1.2 --save-run after.trec
              quarry eval --qrels q.txt --run r.trec --measures nDCG@5,MRR@10 --per-query

            Exit codes: 0 success, 1 failure, 2 usage error or malformed file (naming its \
            line), 3 no index at the given path.
            """)

    @Option(help: ArgumentHelp("Relevance judgments: TREC qrels or BEIR TSV.", valueName: "file"))
    var qrels: String

    @Option(
        name: .customLong("run"),
        help: ArgumentHelp("A TREC run to score; give two (or one with --index) to compare them.", valueName: "file"))
    var runs: [String] = []

    @Option(help: ArgumentHelp("Search this index for --queries and score its run.", valueName: "dir"))
    var index: String?

    @Option(help: ArgumentHelp("With --index: BEIR queries.jsonl or qid<TAB>text lines.", valueName: "file"))
    var queries: String?

    @Option(help: ArgumentHelp("With --index: results per query.", valueName: "n"))
    var limit: Int = 1000

    @Option(help: ArgumentHelp("With --index: write the run to this file (TREC).", valueName: "file"))
    var saveRun: String?

    @OptionGroup var scoring: ScoringOptions

    @Option(help: ArgumentHelp("Comma-separated measures: nDCG@k, R@k, RR@k (MRR@k), AP@k (MAP@k), P@k.", valueName: "list"))
    var measures: String = Measure.standard.map(\.description).joined(separator: ",")

    @Flag(help: "Show each query's figures too.")
    var perQuery = false

    @Flag(help: "Print JSON (schema quarry.eval/1).")
    var json = false

    @Option(help: ArgumentHelp("Random sign assignments of the significance test.", valueName: "n"))
    var permutations: Int = Comparison.defaultPermutations

    @Option(help: ArgumentHelp("Seed of the significance test.", valueName: "n"))
    var seed: Int = Int(Comparison.defaultSeed)

    func validate() throws {
        let count = runs.count + (index == nil ? 0 : 1)
        if count == 0 { throw ValidationError("give --run FILE, or --index DIR with --queries FILE") }
        if count > 2 {
            throw ValidationError(
                "at most two runs can be compared (--run given \(runs.count) time\(runs.count == 1 ? "" : "s")\(index == nil ? "" : ", plus --index"))"
            )
        }
        if index != nil && queries == nil { throw ValidationError("--index needs --queries FILE (the queries to search)") }
        if index == nil && queries != nil { throw ValidationError("--queries is for searching an index: give --index DIR too") }
        if index == nil && saveRun != nil { throw ValidationError("--save-run writes the run made with --index: give --index DIR too") }
        if limit < 1 { throw ValidationError("--limit must be 1 or more") }
        if permutations < 1 { throw ValidationError("--permutations must be 1 or more") }
        if seed < 0 { throw ValidationError("--seed must be 0 or more") }
        _ = try chosenMeasures()
    }

    func chosenMeasures() throws -> [Measure] {
        var result: [Measure] = []
        for name in measures.split(separator: ",").map({ String($0).filter { $0 != " " } }) where !name.isEmpty {
            do {
                let m = try Measure(parsing: name)
                if !result.contains(m) { result.append(m) }
            } catch {
                throw ValidationError(error.description)
            }
        }
        if result.isEmpty { throw ValidationError("--measures names no measure") }
        return result
    }

    func run() throws {
        let measures = try chosenMeasures()
        let judgments = try readInput("qrels") { () throws(QuarryError) in try Qrels(contentsOf: qrels) }
        var scored: [JSONContract.EvalRun] = []
        for path in runs {
            let run = try readInput("run") { () throws(QuarryError) in try Run(contentsOf: path) }
            scored.append(
                .init(source: .file(path: path), run: run, evaluation: Evaluation(run: run, qrels: judgments, measures: measures)))
        }
        if let index, let queries {
            let run = try searchedRun(index: index, queriesPath: queries, qrels: judgments)
            scored.append(
                .init(
                    source: .index(directory: index, queries: queries, limit: limit, savedTo: saveRun), run: run,
                    evaluation: Evaluation(run: run, qrels: judgments, measures: measures)))
        }
        var comparison: Comparison?
        if scored.count == 2 {
            comparison = try Comparison(scored[0].evaluation, scored[1].evaluation, permutations: permutations, seed: UInt64(seed))
        }
        var out = Output()
        defer { out.flush() }
        if json {
            out.line(JSONContract.evaluation(qrelsPath: qrels, qrels: judgments, runs: scored, comparison: comparison, perQuery: perQuery))
        } else {
            let report = EvalReport(qrelsPath: qrels, qrels: judgments, runs: scored, comparison: comparison, perQuery: perQuery)
            for note in report.notes { Terminal.note(note) }
            report.text(into: &out)
        }
    }

    /// Reads an input file; an unreadable or malformed one is a usage error naming it.
    private func readInput<T>(_ what: String, _ read: () throws(QuarryError) -> T) throws -> T {
        do {
            return try read()
        } catch .io(let file, _, let reason) {
            throw CommandFailure(status: .usage, message: "cannot read the \(what) file \(file): \(reason)")
        } catch {
            throw CommandFailure(status: .usage, message: error.description)
        }
    }

    /// Searches the qrels' queries found in the query file; writes the run when asked.
    private func searchedRun(index: String, queriesPath: String, qrels judgments: Qrels) throws -> Run {
        let texts = try readInput("queries") { () throws(QuarryError) in try QuerySet(contentsOf: queriesPath) }.texts
        let wanted = judgments.queryIDs.compactMap { qid in texts[qid].map { (id: qid, text: $0) } }
        if wanted.isEmpty && !judgments.judgments.isEmpty {
            throw CommandFailure(
                status: .usage, message: "none of the \(judgments.judgments.count) queries of \(qrels) is in \(queriesPath)")
        }
        let absent = judgments.judgments.count - wanted.count
        if absent > 0 && !json {
            Terminal.note("\(plural(absent, "query", "queries")) of the qrels not in \(queriesPath) (scored 0)")
        }
        let results = try searchIndex(index, queries: wanted, limit: limit, scoring: scoring.parameters)
        var text: [UInt8] = []
        var entries: [String: [Run.Entry]] = [:]
        for (qid, hits) in results {
            var list: [Run.Entry] = []
            for (rank, hit) in hits.enumerated() {
                // The score as the run file holds it, so that a saved run scores the same.
                let score = trecScore(hit.score)
                text.append(contentsOf: "\(qid) Q0 \(hit.id) \(rank + 1) \(score) quarry\n".utf8)
                list.append(Run.Entry(id: hit.id, score: Double(score) ?? hit.score))
            }
            entries[qid] = list
        }
        if let saveRun { try writeFile(saveRun, text) }
        return Run(entries)
    }
}

/// The one place `quarry eval` calls the search API: the best `limit` documents of each
/// query, its text read as a bag of words (as `quarry search --queries` reads it).
func searchIndex(
    _ directory: String, queries: [(id: String, text: String)], limit: Int,
    scoring: BM25Parameters
) throws -> [(qid: String, hits: [(id: String, score: Double)])] {
    let searcher = try Searcher(directory: directory)
    let query = QueryOptions(scoring: scoring, syntax: .words)
    let options = SearchOptions(limit: limit, snippets: 0)
    return try queries.map { q in
        (q.id, try searcher.rank(try searcher.prepare(q.text, options: query), options: options).map { ($0.id, $0.score) })
    }
}

/// A score with six decimals, as TREC runs (and `quarry search --format trec`) write it.
func trecScore(_ value: Double) -> String {
    guard value.isFinite else { return "0.000000" }
    guard value.magnitude < 1e12 else { return "\(value)" }
    let scaled = Int((value.magnitude * 1_000_000).rounded())
    var fraction = String(scaled % 1_000_000)
    fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
    return (value < 0 && scaled > 0 ? "-" : "") + "\(scaled / 1_000_000).\(fraction)"
}

/// Writes a file whole (created or truncated).
private func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    try writeWholeFile(path, bytes, what: "the run")
}
