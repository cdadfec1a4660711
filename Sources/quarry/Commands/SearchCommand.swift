import ArgumentParser
import Quarry
import QuarryCLI

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search an index: ranked documents with snippets, or ranked passages.",
        discussion: """
            Free words are analysed like the indexed text (lowercased, stemmed, diacritics \
            folded) and documents matching any of them are ranked by BM25F (docs/SCORING.md): \
            per word, the title and body frequencies are weighted, each divided by its \
            field's length norm 1 - b + b * length / average (title b 1.0, body b 0.9), \
            added, and saturated once, idf * tf / (tf + k1) with k1 = 0.9. The title's \
            weight is --title-weight times the average body length over the average title \
            length, so a title word counts as much as the same share of the body. \
            --scoring flat scores title and body as one field (b = 0.4); --scoring fields \
            adds a BM25 per field. --all requires every word. The query language (docs/QUERY.md) also knows:
              "exact phrase"   "words near"~3   +required   -excluded   a AND (b OR c)
              NOT x   title:word   body:"a phrase"   optim*   colour~1   word^2
            A malformed query is an error naming its column (exit code 2).

            Each document result carries its best passages as snippets, with the query's \
            words highlighted (colour on a terminal, offsets in JSON). --passages ranks \
            passages across the whole index instead, scored with BM25 over passage \
            statistics. Snippets are cropped to about 30 words around their highlights \
            (--snippet-words; "…" marks a cut); JSON keeps the whole passage and adds the \
            cropped range.

            -n N is --limit N. Query words may start with '-' to exclude them; to exclude \
            the words n or q, write NOT n, or put the query after --.

            Batch mode reads queries from a file of "qid<TAB>query text" lines and prints \
            one result block per query: TREC run lines ("qid Q0 docid rank score quarry", \
            the default) or JSON lines.

            With --queries, each line is read as a bag of words (every word optional, \
            punctuation and operators ignored: what benchmark harnesses expect) unless \
            --syntax query.

            Examples:
              quarry search norepinephrine deficiency symptoms
              quarry search '"fight or flight" stress -dopamine title:ptsd'
              quarry search --explain --limit 1 dopamine
              quarry search -n 3 --json "low norepinephrine"
              quarry search -n 10 --offset 10 --under docs/api/ csrf token   # page 2, one folder
              quarry search --passages --format markdown "fight or flight response"
              quarry search --after 2024-01-01 --before 2024-07-01 release notes
              quarry search --index scifact --queries queries.tsv --format trec --limit 100
            """)

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json, jsonl, markdown, trec
    }

    @OptionGroup var location: IndexLocation

    // `-n N` as head and grep have it. No `-l`: it must stay free for excluded query words
    // (`rcu -lock`); to exclude the word "n" or "q", write `NOT n` or put it after `--`.
    @Option(name: [.customShort("n"), .long], help: ArgumentHelp("Number of results (1 or more).", valueName: "n"))
    var limit: Int = 10

    @Option(help: ArgumentHelp("Results to skip first: --offset 10 --limit 10 is the second page of ten.", valueName: "n"))
    var offset: Int = 0

    @Option(help: ArgumentHelp("Only documents whose id starts with this prefix (a folder: docs/api/).", valueName: "prefix"))
    var under: String?

    @Flag(help: "Rank passages across the index instead of documents.")
    var passages = false

    @Option(help: ArgumentHelp("Passages shown with each document result (0–3).", valueName: "n"))
    var snippets: Int = 2

    @Option(help: ArgumentHelp("Order of a document's snippets: score or document.", valueName: "order"))
    var snippetOrder: SnippetOrder = .score

    @Option(help: ArgumentHelp("Crop each snippet to about this many words around its highlights (0: whole passages).", valueName: "n"))
    var snippetWords: Int = 30

    @Option(help: ArgumentHelp("Highlights in colour: auto (on a terminal, unless NO_COLOR is set), always, or never.", valueName: "when"))
    var color: ColorChoice = .auto

    @Flag(name: .shortAndLong, help: "Do not print notes about how the query was read (ignored words, capped expansions).")
    var quiet = false

    @Flag(help: "Same as --format json.")
    var json = false

    @Option(help: ArgumentHelp("Output: text (default), json, jsonl, markdown, or trec (batch).", valueName: "format"))
    var format: OutputFormat?

    @Option(help: ArgumentHelp("Batch mode: a file of qid<TAB>query lines.", valueName: "file"))
    var queries: String?

    @Option(
        help: ArgumentHelp(
            "Batch mode: write each query's time to this file (qid<TAB>microseconds lines: from query text to the ranked results, output not included).",
            valueName: "file"))
    var timings: String?

    @Option(
        help: ArgumentHelp("Batch mode: run every query this many times first, unrecorded (warm-up before the timed pass).", valueName: "n")
    )
    var warmup: Int = 0

    @OptionGroup var scoring: ScoringOptions

    @Flag(help: "Require every free word (default operator AND instead of OR).")
    var all = false

    @Option(
        help: ArgumentHelp(
            "How query text is read: query (the query language; the default for one query) or words (a bag of words; the default with --queries).",
            valueName: "syntax"))
    var syntax: QuerySyntax?

    @Option(help: ArgumentHelp("Most terms a prefix* or fuzzy~ word expands to (more are reported).", valueName: "n"))
    var maxExpansions: Int = 128

    @Option(
        help: ArgumentHelp("Most terms all prefix* and fuzzy~ words of a query expand to together (more are reported).", valueName: "n"))
    var maxQueryExpansions: Int = 1024

    @Flag(help: "Show how each result's score was computed (per term and field: idf, tf, length norm).")
    var explain = false

    @Flag(help: "Score every matching document (no pruning; for checks).")
    var exhaustive = false

    @Option(
        help: ArgumentHelp(
            "Only documents dated at or after DATE (ISO 8601: 2024-05-03, 2024-05-03T10:00:00Z, 2024-05-03T12:00+02:00; UTC when no zone is given). Documents without a date are left out.",
            valueName: "date"))
    var after: String?

    @Option(
        help: ArgumentHelp(
            "Only documents dated before DATE (exclusive; ISO 8601). Documents without a date are left out.", valueName: "date"))
    var before: String?
    @Option(
        help: ArgumentHelp(
            "Stop a search that takes longer than this many seconds (exit code 6, no results); in batch mode, per query.",
            valueName: "seconds"))
    var timeout: Double?

    /// Words that look like options (`-draft`) are query words: exclusion is query syntax.
    @Argument(
        parsing: .allUnrecognized,
        help: ArgumentHelp("Query text (docs/QUERY.md); words may start with '-' to exclude them.", valueName: "query"))
    var query: [String] = []

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be 1 or more") }
        if offset < 0 { throw ValidationError("--offset must be 0 or more") }
        if snippetWords < 0 { throw ValidationError("--snippet-words must be 0 (whole passages) or more") }
        if snippets < 0 || snippets > 3 { throw ValidationError("--snippets must be between 0 and 3") }
        if let option = optionLikeWords.first {
            throw ValidationError(
                "unknown option '\(option)' (see quarry search --help); to search for it, put it after -- or inside quotes in the query")
        }
        if queries == nil && queryText.isEmpty { throw ValidationError("give a query, or --queries FILE for batch mode") }
        if queries != nil && !queryText.isEmpty { throw ValidationError("give either a query or --queries FILE, not both") }
        if format == .trec && queries == nil { throw ValidationError("--format trec is for batch mode (--queries FILE)") }
        if json && format != nil && format != .json { throw ValidationError("--json conflicts with --format \(format?.rawValue ?? "")") }
        if maxExpansions < 1 { throw ValidationError("--max-expansions must be 1 or more") }
        if (timings != nil || warmup != 0) && queries == nil {
            throw ValidationError("--timings and --warmup are for batch mode (--queries FILE)")
        }
        if warmup < 0 { throw ValidationError("--warmup must be 0 or more") }
        for (flag, value) in [("--after", after), ("--before", before)] {
            if let value, ISODate.parse(value) == nil {
                throw ValidationError(
                    "\(flag) '\(value)' is not an ISO 8601 date (2024-05-03, 2024-05-03T10:00:00Z, 2024-05-03T12:00+02:00)")
            }
        }
        if let a = after.flatMap(ISODate.parse), let b = before.flatMap(ISODate.parse), a >= b {
            throw ValidationError("--after must be earlier than --before")
        }
        if maxQueryExpansions < 1 { throw ValidationError("--max-query-expansions must be 1 or more") }
        if let timeout, !(timeout > 0 && timeout <= 1e6) { throw ValidationError("--timeout must be a number of seconds above 0") }
        if explain && outputFormat == .trec { throw ValidationError("--explain needs --format text, json, jsonl or markdown") }
    }

    /// Query words before a `--` that look like long options: most likely mistyped options.
    var optionLikeWords: [String] {
        query.prefix { $0 != "--" }.filter { $0.hasPrefix("--") && $0.count > 2 }
    }

    /// The query words as given, without the `--` that ends the options.
    var queryText: String {
        var words = query
        if let end = words.firstIndex(of: "--") { words.remove(at: end) }
        return words.joined(separator: " ")
    }

    var querySyntax: QuerySyntax { syntax ?? (queries == nil ? .query : .words) }

    var outputFormat: OutputFormat {
        if json { return .json }
        if let format { return format }
        return queries == nil ? .text : .trec
    }

    func run() throws {
        let searcher = try Searcher(directory: location.index)
        ProcessExit.leave(searcher)
        let query = QueryOptions(
            scoring: scoring.parameters, defaultOperator: all ? .and : .or, syntax: querySyntax,
            maxExpansions: maxExpansions, maxQueryExpansions: maxQueryExpansions)
        var options = SearchOptions(
            limit: limit, offset: offset, snippets: snippets, snippetOrder: snippetOrder, explain: explain,
            exhaustive: exhaustive, idPrefix: under, snippetWords: snippetWords > 0 ? snippetWords : nil,
            after: after.flatMap(ISODate.parse), before: before.flatMap(ISODate.parse))
        if outputFormat == .trec { options.snippets = 0 }
        var out = Output()
        defer { out.flush() }
        if let queries {
            let list = try readQueries(queries)
            for _ in 0..<warmup { try warmUp(list, searcher: searcher, query: query, options: options) }
            var clock = timings.map { _ in QueryClock(capacity: list.count) }
            var failed = 0
            for (qid, text) in list {
                let started = now()
                let (q, o) = bounded(query, options)
                guard let prepared = try prepareBatchQuery(text, qid: qid, searcher: searcher, options: q) else {
                    failed += 1
                    continue
                }
                let answer = try compute(prepared, searcher: searcher, options: o)
                let seconds = now() - started
                clock?.record(qid, seconds: seconds)
                render(answer, prepared: prepared, text: text, qid: qid, tookMilliseconds: seconds * 1000, out: &out)
            }
            if let timings, let clock { try clock.write(to: timings) }
            if failed > 0 {
                throw CommandFailure(status: .usage, message: "\(failed) quer\(failed == 1 ? "y was" : "ies were") malformed and skipped")
            }
        } else {
            let text = queryText
            let started = now()
            let prepared: PreparedQuery
            let (q, o) = bounded(query, options)
            do {
                prepared = try searcher.prepare(text, options: q)
            } catch {
                guard case .invalidQuery(let column, let message) = error else { throw error }
                throw QueryFailure(column: column, message: message, query: text)
            }
            let answer = try compute(prepared, searcher: searcher, options: o)
            render(answer, prepared: prepared, text: text, qid: nil, tookMilliseconds: (now() - started) * 1000, out: &out)
        }
    }

    /// The options with a deadline `--timeout` seconds from now (for one query).
    private func bounded(_ query: QueryOptions, _ options: SearchOptions) -> (QueryOptions, SearchOptions) {
        guard let timeout else { return (query, options) }
        let deadline = ContinuousClock.now + .nanoseconds(Int64(timeout * 1e9))
        var q = query, o = options
        q.deadline = deadline
        o.deadline = deadline
        return (q, o)
    }

    /// Prepares a query of a batch; nil (reported) when it is malformed.
    private func prepareBatchQuery(_ text: String, qid: String, searcher: Searcher, options: QueryOptions) throws -> PreparedQuery? {
        do {
            return try searcher.prepare(text, options: options)
        } catch {
            guard case .invalidQuery(let column, let message) = error else { throw error }
            Terminal.error("query \(qid): query error at column \(column): \(message)")
            return nil
        }
    }

    /// Runs every query of a batch once, without output (malformed ones are skipped here
    /// and reported by the timed pass).
    private func warmUp(_ list: [(String, String)], searcher: Searcher, query: QueryOptions, options: SearchOptions) throws {
        for (_, text) in list {
            let prepared: PreparedQuery
            do { prepared = try searcher.prepare(text, options: query) } catch { continue }
            _ = try compute(prepared, searcher: searcher, options: options)
        }
    }

    /// What a query found, before it is written out.
    enum Answer {
        case ranked([ScoredID])
        case passages([PassageHit])
        case documents([DocumentResult])
    }

    /// Runs a prepared query (the part that `took_ms` and `--timings` measure).
    private func compute(_ prepared: PreparedQuery, searcher: Searcher, options: SearchOptions) throws -> Answer {
        if outputFormat == .trec && !passages { return .ranked(try searcher.rank(prepared, options: options)) }
        if passages { return .passages(try searcher.passages(prepared, options: options)) }
        return .documents(try searcher.search(prepared, options: options))
    }

    private func render(
        _ answer: Answer, prepared: PreparedQuery, text: String, qid: String?, tookMilliseconds took: Double, out: inout Output
    ) {
        let format = outputFormat
        if format != .json && format != .jsonl && !quiet {
            for n in prepared.notices { Terminal.note((qid.map { "query \($0): " } ?? "") + n.message) }
        }
        if format == .trec {
            let head = Array("\(qid ?? "q") Q0 ".utf8)
            let tail = Array(" quarry\n".utf8)
            func row(_ id: String, _ rank: Int, _ score: Double) {
                out.bytes(head)
                out.trecID(id)
                out.bytes([0x20])
                out.decimal(rank)
                out.bytes([0x20])
                out.fixed6(score)
                out.bytes(tail)
            }
            switch answer {
            case .ranked(let ids): for (i, r) in ids.enumerated() { row(r.id, i + 1, r.score) }
            case .passages(let hits): for h in hits { row("\(h.id)#\(h.passage.index)", h.rank, h.passage.score) }
            case .documents(let results): for r in results { row(r.id, r.rank, r.score) }
            }
            return
        }
        switch answer {
        case .ranked: return
        case .passages(let hits):
            switch format {
            case .json, .jsonl:
                out.line(JSONContract.passages(query: text, qid: qid, hits: hits, notices: prepared.notices, tookMilliseconds: took))
            case .markdown: Render.markdown(passages: hits, query: text, out: &out)
            default: Render.text(passages: hits, query: text, qid: qid, color: Terminal.stdoutColor(color), out: &out)
            }
        case .documents(let results):
            switch format {
            case .json, .jsonl:
                out.line(JSONContract.documents(query: text, qid: qid, results: results, notices: prepared.notices, tookMilliseconds: took))
            case .markdown: Render.markdown(documents: results, query: text, out: &out)
            default: Render.text(documents: results, query: text, qid: qid, color: Terminal.stdoutColor(color), out: &out)
            }
        }
    }

    /// qid<TAB>text lines; blank lines and lines starting with '#' are skipped.
    private func readQueries(_ path: String) throws -> [(String, String)] {
        let bytes: [UInt8]
        do {
            bytes = try readFile(path)
        } catch {
            throw CommandFailure(status: .usage, message: "cannot read the query file: \(error)")
        }
        var result: [(String, String)] = []
        for (n, line) in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var l = Substring(line)
            if l.hasSuffix("\r") { l = l.dropLast() }
            if l.trimmingCharacters().isEmpty || l.hasPrefix("#") { continue }
            guard let tab = l.firstIndex(of: "\t") else {
                throw CommandFailure(status: .usage, message: "\(path):\(n + 1): expected 'qid<TAB>query text'")
            }
            result.append((String(l[..<tab]), String(l[l.index(after: tab)...])))
        }
        return result
    }
}
