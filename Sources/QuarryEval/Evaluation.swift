import QuarryCore

/// A run scored against qrels: each measure for each judged query, and their means.
///
/// The queries are those of the qrels, as ir_measures averages by default (and trec_eval
/// with `-c`): a judged query the run has no results for scores 0 on every measure, and
/// a judged query with no relevant document scores 0 too. Queries of the run that the
/// qrels do not judge are left out (and listed in `ignoredQueries`).
public struct Evaluation: Sendable, Equatable {
    public let measures: [Measure]
    /// The qrels' queries, whole-number ids first by value, then the rest.
    public let queryIDs: [String]
    /// `values[m][q]`: measure `measures[m]` of query `queryIDs[q]`.
    public let values: [[Double]]
    /// Queries of the run not in the qrels (not scored).
    public let ignoredQueries: [String]
    /// Queries of the qrels without any result in the run (scored 0).
    public let unrankedQueries: [String]

    public init(run: Run, qrels: Qrels, measures: [Measure] = Measure.standard) {
        self.measures = measures
        let ids = qrels.queryIDs
        queryIDs = ids
        let depth = measures.map(\.cutoff).max() ?? 0
        var values = [[Double]](repeating: [Double](repeating: 0, count: ids.count), count: measures.count)
        var unranked: [String] = []
        for (q, qid) in ids.enumerated() {
            let judgments = qrels.judgments[qid] ?? [:]
            guard let ranking = run.rankings[qid], !ranking.isEmpty else {
                unranked.append(qid)
                continue
            }
            let grades = ranking.prefix(depth).map { judgments[$0.id] ?? 0 }
            let judged = Array(judgments.values)
            for (m, measure) in measures.enumerated() {
                values[m][q] = measure.value(grades: grades, judged: judged)
            }
        }
        self.values = values
        unrankedQueries = unranked
        ignoredQueries = run.rankings.keys.filter { qrels.judgments[$0] == nil }.sorted(by: queryOrder)
    }

    /// The mean of a measure over the qrels' queries (nil when it was not computed; 0 for
    /// qrels without queries).
    public func mean(_ measure: Measure) -> Double? {
        guard let m = measures.firstIndex(of: measure) else { return nil }
        return Evaluation.mean(values[m])
    }

    /// A measure of one query (nil when the measure was not computed or the query is not judged).
    public func value(_ measure: Measure, query: String) -> Double? {
        guard let m = measures.firstIndex(of: measure), let q = queryIDs.firstIndex(of: query) else { return nil }
        return values[m][q]
    }

    static func mean(_ xs: [Double]) -> Double {
        xs.isEmpty ? 0 : xs.reduce(0, +) / Double(xs.count)
    }
}
