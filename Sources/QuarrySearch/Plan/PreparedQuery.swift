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
        self.notices = notices
        self.parameters = parameters
        if let plan, plan.isUnscopedDisjunction {
            // Merge repeated terms (adding their boosts) so that the plan and the fast
            // collector score exactly alike.
            let leaves = plan.mergedDisjunction
            self.plan = leaves.count == 1 ? .term(leaves[0]) : .boolean(must: [], should: leaves.map { .term($0) }, not: [])
            disjunction = leaves.map(\.weights)
        } else {
            self.plan = plan
            disjunction = nil
        }
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
                merged[t.weights.term] = TermLeaf(weights: m.weights.reweighted(m.weights.boost + t.weights.boost), field: nil, label: m.label)
            } else {
                order.append(t.weights.term)
                merged[t.weights.term] = t
            }
        }
        return order.compactMap { merged[$0] }
    }
}
