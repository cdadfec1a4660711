import QuarryEval

extension JSONContract {
    public static let evalSchema = "quarry.eval/1"

    /// Where a scored run came from.
    public enum EvalRunSource: Sendable, Equatable {
        /// A run file.
        case file(path: String)
        /// A search of an index for the queries of a file, `limit` results each; `savedTo`
        /// is the run file written, if any.
        case index(directory: String, queries: String, limit: Int, savedTo: String?)
    }

    /// One scored run of a `quarry.eval/1` object.
    public struct EvalRun: Sendable {
        public var source: EvalRunSource
        public var run: Run
        public var evaluation: Evaluation

        public init(source: EvalRunSource, run: Run, evaluation: Evaluation) {
            self.source = source
            self.run = run
            self.evaluation = evaluation
        }
    }

    /// An evaluation (`quarry eval --json`): the qrels, each run's means (and per-query
    /// figures with `perQuery`), and the comparison of two runs. Runs are labelled `run`
    /// when alone, `A` and `B` when two.
    public static func evaluation(qrelsPath: String, qrels: Qrels, runs: [EvalRun], comparison: Comparison?, perQuery: Bool) -> String {
        let measures = runs.first?.evaluation.measures ?? []
        let queryIDs = runs.first?.evaluation.queryIDs ?? qrels.queryIDs
        var w = JSONWriter()
        w.beginObject()
        w.field("schema", evalSchema)
        w.beginObject("qrels")
        w.field("path", qrelsPath)
        w.field("format", qrels.format?.rawValue)
        w.field("queries", qrels.judgments.count)
        w.field("judgments", qrels.count)
        w.field("duplicate_lines", qrels.duplicateLines)
        w.endObject()
        w.beginArray("measures")
        for m in measures { w.value(m.description) }
        w.endArray()
        w.field("queries", queryIDs.count)
        w.beginArray("runs")
        for (i, r) in runs.enumerated() {
            w.beginObject()
            w.field("label", runs.count == 1 ? "run" : i == 0 ? "A" : "B")
            switch r.source {
            case let .file(path):
                w.field("source", "file")
                w.field("path", path)
            case let .index(directory, queries, limit, saved):
                w.field("source", "index")
                w.field("path", saved)
                w.field("index", directory)
                w.field("queries_file", queries)
                w.field("limit", limit)
            }
            w.field("lines", r.run.lines)
            w.field("queries_with_results", r.run.rankings.values.filter { !$0.isEmpty }.count)
            w.field("duplicate_lines", r.run.duplicateLines)
            w.field("ignored_queries", r.evaluation.ignoredQueries.count)
            w.field("unranked_queries", r.evaluation.unrankedQueries.count)
            w.beginObject("means")
            for m in measures { w.field(m.description, r.evaluation.mean(m) ?? 0) }
            w.endObject()
            if perQuery {
                w.beginArray("per_query")
                for (q, qid) in queryIDs.enumerated() {
                    w.beginObject()
                    w.field("qid", qid)
                    for m in measures.indices where m < r.evaluation.values.count && q < r.evaluation.values[m].count {
                        w.field(measures[m].description, r.evaluation.values[m][q])
                    }
                    w.endObject()
                }
                w.endArray()
            }
            w.endObject()
        }
        w.endArray()
        if let c = comparison {
            w.beginObject("comparison")
            w.field("test", "paired-randomisation")
            w.field("exact", c.exact)
            w.field("permutations", c.permutations)
            w.field("seed", Int(clamping: c.seed))
            w.beginArray("measures")
            for row in c.rows {
                w.beginObject()
                w.field("measure", row.measure.description)
                w.field("mean_a", row.meanA)
                w.field("mean_b", row.meanB)
                w.field("difference", row.difference)
                w.field("p_value", row.pValue)
                w.endObject()
            }
            w.endArray()
            w.endObject()
        }
        w.endObject()
        return w.text
    }
}
