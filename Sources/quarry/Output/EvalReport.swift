import Quarry

/// What `quarry eval` prints without --json: notes for stderr and an aligned table (the
/// JSON comes from `JSONContract.evaluation`).
struct EvalReport {
    let qrelsPath: String
    let qrels: Qrels
    let runs: [JSONContract.EvalRun]
    let comparison: Comparison?
    let perQuery: Bool

    private var measures: [Measure] { runs.first?.evaluation.measures ?? [] }
    private var queryIDs: [String] { runs.first?.evaluation.queryIDs ?? qrels.queryIDs }
    private var labels: [String] { runs.count == 1 ? ["run"] : ["A", "B"] }

    /// Remarks for stderr: what was dropped or scored 0 without results.
    var notes: [String] {
        var notes: [String] = []
        if qrels.duplicateLines > 0 {
            notes.append("\(qrelsPath): \(plural(qrels.duplicateLines, "judgment")) repeated; the last grade of each kept")
        }
        for (label, r) in zip(labels, runs) {
            let name = runs.count == 1 ? "the run" : "run \(label)"
            if r.run.duplicateLines > 0 {
                notes.append("\(name): \(plural(r.run.duplicateLines, "document")) listed again for a query; the last line of each kept")
            }
            let ignored = r.evaluation.ignoredQueries.count
            if ignored > 0 { notes.append("\(name): \(plural(ignored, "query", "queries")) not in the qrels, ignored") }
            let unranked = r.evaluation.unrankedQueries.count
            if unranked > 0 { notes.append("\(name): no results for \(plural(unranked, "query", "queries")) of the qrels (scored 0)") }
        }
        return notes
    }

    // MARK: Text

    func text(into out: inout Output) {
        let format = qrels.format.map { $0 == .trec ? "TREC" : "BEIR TSV" } ?? "?"
        var legend: [[String]] = [
            ["qrels", "\(qrelsPath): \(plural(qrels.judgments.count, "query", "queries")), \(plural(qrels.count, "judgment")) (\(format))"]
        ]
        for (label, r) in zip(labels, runs) {
            let ranked = r.run.rankings.values.filter { !$0.isEmpty }.count
            switch r.source {
            case let .file(path):
                legend.append([label, "\(path): \(plural(ranked, "query", "queries")) with results, \(plural(r.run.lines, "line"))"])
            case let .index(dir, queries, limit, saved):
                legend.append([
                    label,
                    "index \(dir), \(queries): \(plural(ranked, "query", "queries")) with results, top \(limit)"
                        + (saved.map { ", saved to \($0)" } ?? ""),
                ])
            }
        }
        for line in table(nil, legend) { out.line(line) }
        out.line("")
        if perQuery {
            var headers = ["query"]
            for m in measures { headers += runs.count == 1 ? [m.description] : ["\(m) A", "\(m) B"] }
            var rows: [[String]] = []
            for (q, qid) in queryIDs.enumerated() {
                var row = [qid]
                for m in measures.indices { row += runs.map { fixed($0.evaluation.values[m][q], 4) } }
                rows.append(row)
            }
            for line in table(headers, rows) { out.line(line) }
            out.line("")
        }
        if let comparison {
            let rows = comparison.rows.map { r in
                [
                    r.measure.description, fixed(r.meanA, 4), fixed(r.meanB, 4), (r.difference >= 0 ? "+" : "") + fixed(r.difference, 4),
                    fixed(r.pValue, 4),
                ]
            }
            for line in table(["measure", "A", "B", "B − A", "p"], rows) { out.line(line) }
        } else if let e = runs.first?.evaluation {
            for line in table(["measure", "mean"], measures.map { [$0.description, fixed(e.mean($0) ?? 0, 4)] }) { out.line(line) }
        }
        out.line("")
        out.line("Means over the \(plural(queryIDs.count, "query", "queries")) of the qrels (a query without results scores 0).")
        if let c = comparison {
            out.line(
                c.exact
                    ? "p: two-sided paired randomisation test, all \(grouped(c.permutations)) sign assignments of the \(c.queries) queries (exact)."
                    : "p: two-sided paired randomisation test, \(grouped(c.permutations)) random sign assignments (seed \(c.seed)).")
        }
    }

    /// Rows padded to aligned columns: the first left-aligned, the others right-aligned; a
    /// rule under the headers.
    private func table(_ headers: [String]?, _ rows: [[String]]) -> [String] {
        let all = (headers.map { [$0] } ?? []) + rows
        let columns = all.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in all { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func render(_ row: [String]) -> String {
            var line = ""
            for (i, cell) in row.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                if i == 0 {
                    line += cell + (row.count > 1 ? pad : "")
                } else {
                    line += "  " + (headers == nil ? cell : pad + cell)
                }
            }
            return line
        }
        var lines: [String] = []
        if let headers {
            lines.append(render(headers))
            lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        }
        lines += rows.map(render)
        return lines
    }
}

/// "1 query", "3 queries", "1,234 lines".
func plural(_ n: Int, _ one: String, _ many: String? = nil) -> String {
    "\(grouped(n)) \(n == 1 ? one : many ?? one + "s")"
}

/// A number with a fixed count of decimals, rounded half away from zero.
func fixed(_ value: Double, _ digits: Int) -> String {
    guard value.isFinite, value.magnitude < 1e12 else { return "\(value)" }
    var scale = 1
    for _ in 0..<digits { scale *= 10 }
    let scaled = Int((value.magnitude * Double(scale)).rounded())
    var fraction = String(scaled % scale)
    fraction = String(repeating: "0", count: digits - fraction.count) + fraction
    return (value < 0 && scaled > 0 ? "-" : "") + "\(scaled / scale)" + (digits > 0 ? "." + fraction : "")
}
