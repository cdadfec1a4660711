import ArgumentParser
import Quarry
import QuarryCore

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search an index: ranked documents with snippets, or ranked passages.",
        discussion: """
            The query is free text: every word is analysed like the indexed text (lowercased, \
            stemmed, diacritics folded) and documents matching any of them are ranked by \
            BM25 (k1 = 0.9, b = 0.4; title and body scored as one field unless --scoring \
            fields).

            Each document result carries its best passages as snippets, with the query's \
            words highlighted (colour on a terminal, offsets in JSON). --passages ranks \
            passages across the whole index instead, scored with BM25 over passage \
            statistics.

            Batch mode reads queries from a file of "qid<TAB>query text" lines and prints \
            one result block per query: TREC run lines ("qid Q0 docid rank score quarry", \
            the default) or JSON lines.

            Examples:
              quarry search norepinephrine deficiency symptoms
              quarry search --limit 3 --json "low norepinephrine"
              quarry search --passages --format markdown "fight or flight response"
              quarry search --index scifact --queries queries.tsv --format trec --limit 100
            """)

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json, jsonl, markdown, trec
    }

    @OptionGroup var location: IndexLocation

    @Option(name: [.short, .long], help: ArgumentHelp("Number of results.", valueName: "n"))
    var limit: Int = 10

    @Flag(help: "Rank passages across the index instead of documents.")
    var passages = false

    @Option(help: ArgumentHelp("Passages shown with each document result (0–3).", valueName: "n"))
    var snippets: Int = 2

    @Option(help: ArgumentHelp("Order of a document's snippets: score or document.", valueName: "order"))
    var snippetOrder: SnippetOrder = .score

    @Flag(help: "Same as --format json.")
    var json = false

    @Option(help: ArgumentHelp("Output: text (default), json, jsonl, markdown, or trec (batch).", valueName: "format"))
    var format: OutputFormat?

    @Option(help: ArgumentHelp("Batch mode: a file of qid<TAB>query lines.", valueName: "file"))
    var queries: String?

    @OptionGroup var scoring: ScoringOptions

    @Flag(help: "Score every matching document (no pruning; for checks).")
    var exhaustive = false

    @Flag(help: "Do not verify index checksums when opening (faster for huge indexes).")
    var noVerify = false

    @Argument(help: ArgumentHelp("Query text.", valueName: "query"))
    var query: [String] = []

    func validate() throws {
        if limit < 0 { throw ValidationError("--limit must be 0 or more") }
        if snippets < 0 || snippets > 3 { throw ValidationError("--snippets must be between 0 and 3") }
        if queries == nil && query.isEmpty { throw ValidationError("give a query, or --queries FILE for batch mode") }
        if queries != nil && !query.isEmpty { throw ValidationError("give either a query or --queries FILE, not both") }
        if format == .trec && queries == nil { throw ValidationError("--format trec is for batch mode (--queries FILE)") }
        if json && format != nil && format != .json { throw ValidationError("--json conflicts with --format \(format?.rawValue ?? "")") }
    }

    var outputFormat: OutputFormat {
        if json { return .json }
        if let format { return format }
        return queries == nil ? .text : .trec
    }

    func run() throws {
        let searcher = try Searcher(directory: location.index, verifyChecksums: !noVerify)
        var options = SearchOptions(limit: limit, bm25: scoring.parameters, snippets: snippets, snippetOrder: snippetOrder, pruning: !exhaustive)
        try options.bm25.validate()
        var out = Output()
        defer { out.flush() }
        if let queries {
            for (qid, text) in try readQueries(queries) {
                try answer(searcher, text: text, qid: qid, options: &options, out: &out)
            }
        } else {
            try answer(searcher, text: query.joined(separator: " "), qid: nil, options: &options, out: &out)
        }
    }

    private func answer(_ searcher: Searcher, text: String, qid: String?, options: inout SearchOptions, out: inout Output) throws {
        let format = outputFormat
        let started = now()
        if format == .trec {
            options.snippets = 0
            let head = Array("\(qid ?? "q") Q0 ".utf8)
            let tail = Array(" quarry\n".utf8)
            func row(_ id: String, _ rank: Int, _ score: Double) {
                out.bytes(head)
                out.bytes(id.utf8)
                out.bytes([0x20])
                out.decimal(rank)
                out.bytes([0x20])
                out.fixed6(score)
                out.bytes(tail)
            }
            if passages {
                for h in try searcher.passages(text, options: options) { row("\(h.id)#\(h.passage.index)", h.rank, h.passage.score) }
            } else {
                for (i, r) in try searcher.rank(text, options: options).enumerated() { row(r.id, i + 1, r.score) }
            }
            return
        }
        if passages {
            let hits = try searcher.passages(text, options: options)
            let took = (now() - started) * 1000
            switch format {
            case .json, .jsonl: out.line(JSONContract.passages(query: text, qid: qid, hits: hits, tookMilliseconds: took))
            case .markdown: Render.markdown(passages: hits, query: text, out: &out)
            default: Render.text(passages: hits, query: text, qid: qid, out: &out)
            }
        } else {
            let results = try searcher.search(text, options: options)
            let took = (now() - started) * 1000
            switch format {
            case .json, .jsonl: out.line(JSONContract.documents(query: text, qid: qid, results: results, tookMilliseconds: took))
            case .markdown: Render.markdown(documents: results, query: text, out: &out)
            default: Render.text(documents: results, query: text, qid: qid, out: &out)
            }
        }
    }

    /// qid<TAB>text lines; blank lines and lines starting with '#' are skipped.
    private func readQueries(_ path: String) throws -> [(String, String)] {
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.read(path)
        } catch let e as SystemError {
            throw CommandFailure(status: .usage, message: "cannot read the query file: \(e)")
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
