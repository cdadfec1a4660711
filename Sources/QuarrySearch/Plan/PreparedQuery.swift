import QuarryIndex

/// A query resolved against one snapshot with one set of BM25 parameters: analysed,
/// expanded and weighted, ready to run (several times, e.g. for results and then passages).
/// Create one with `Searcher.prepare`.
public struct PreparedQuery: Sendable {
    /// The query tree (nil for a bag of words).
    public let query: Query?
    /// What the caller should know about how the query was read (ignored words, capped
    /// expansions).
    public let notices: [QueryNotice]
    /// The resolved plan; nil when nothing of the query is searchable.
    let plan: PlanNode?
    /// For a disjunction of unscoped terms: the terms, for the block-max MaxScore collector.
    let disjunction: [TermWeights]?
    /// How it is scored.
    public let parameters: BM25Parameters

    /// The snapshot it was prepared against (its term entries are that snapshot's).
    let snapshot: ObjectIdentifier

    init(query: Query?, notices: [QueryNotice], plan: PlanNode?, parameters: BM25Parameters, snapshot: IndexSnapshot) {
        self.snapshot = ObjectIdentifier(snapshot)
        self.query = query
        self.parameters = parameters
        var notices = notices
        if let plan, plan.isUnscopedDisjunction {
            // Merge repeated terms (adding their boosts) so that the plan and the fast
            // collector score exactly alike.
            var leaves = plan.mergedDisjunction
            // Bounded work: the postings of the words the query can do without (the most
            // frequent, which weigh least) are left out past the budget.
            let (kept, dropped) = PreparedQuery.withinPostingsBudget(
                leaves, budget: QueryLimits.maxDisjunctionPostings,
                maxTerms: QueryLimits.maxDisjunctionTerms)
            if !dropped.isEmpty {
                leaves = kept
                let shown = dropped.prefix(8).map { "'\($0.weights.term)'" }.joined(separator: ", ") + (dropped.count > 8 ? ", …" : "")
                notices.append(
                    QueryNotice(
                        code: "terms-dropped",
                        message:
                            "the query has more than \(QueryLimits.maxDisjunctionTerms) words or they occur in more than \(QueryLimits.maxDisjunctionPostings) postings in all; its \(dropped.count) most frequent word\(dropped.count == 1 ? "" : "s") (\(shown)), which weigh least, were left out to keep the search fast"
                    ))
            }
            self.plan = leaves.count == 1 ? .term(leaves[0]) : .boolean(must: [], should: leaves.map { .term($0) }, not: [])
            disjunction = leaves.map(\.weights)
        } else {
            self.plan = plan
            disjunction = nil
        }
        self.notices = notices
    }

    /// The leaves kept (in query order) so that their document frequencies add up to at most
    /// `budget`, rarest first (at least one), and those left out.
    static func withinPostingsBudget(_ leaves: [TermLeaf], budget: Int, maxTerms: Int = .max) -> (kept: [TermLeaf], dropped: [TermLeaf]) {
        let total = leaves.reduce(0) { $0 + $1.weights.stats.df }
        guard total > budget || leaves.count > maxTerms, leaves.count > 1 else { return (leaves, []) }
        let byRarity = leaves.indices.sorted {
            let a = leaves[$0].weights, b = leaves[$1].weights
            return a.stats.df != b.stats.df ? a.stats.df < b.stats.df : a.term.utf8.lexicographicallyPrecedes(b.term.utf8)
        }
        var keep = Array(repeating: false, count: leaves.count)
        var sum = 0
        for (n, i) in byRarity.enumerated() {
            let df = leaves[i].weights.stats.df
            if n > 0 && (sum + df > budget || n >= maxTerms) { break }
            keep[i] = true
            sum += df
        }
        return (
            leaves.indices.filter { keep[$0] }.map { leaves[$0] },
            byRarity.filter { !keep[$0] }.reversed().map { leaves[$0] }
        )
    }
}

extension PlanNode {
    /// The leaves of a disjunction of unscoped terms, repeated terms merged by adding their
    /// boosts (in order of first appearance).
    var mergedDisjunction: [TermLeaf] {
        var leaves: [TermLeaf] = []
        switch self {
        case .term(let t): leaves = [t]
        case .boolean(_, let should, _):
            for case .term(let t) in should { leaves.append(t) }
        default: return []
        }
        var order: [String] = []
        var merged: [String: TermLeaf] = [:]
        for t in leaves {
            if let m = merged[t.weights.term] {
                merged[t.weights.term] = TermLeaf(
                    weights: m.weights.reweighted(m.weights.boost + t.weights.boost), field: nil, label: m.label)
            } else {
                order.append(t.weights.term)
                merged[t.weights.term] = t
            }
        }
        return order.compactMap { merged[$0] }
    }
}
