import QuarryIndex

/// The matcher tree of a plan in one segment.
/// `deadline` is checked while matchers skip candidates that do not match (phrases,
/// conjunctions, exclusions).
func makeMatcher(
    _ node: PlanNode, segment: SegmentReader, si: Int, parameters: BM25Parameters,
    deadline: DeadlineCheck = .none
) throws -> any Matcher {
    switch node {
    case .nothing:
        return EmptyMatcher()
    case .term(let leaf):
        guard let info = leaf.weights.infos[si] else { return EmptyMatcher() }
        return try TermMatcher(leaf: leaf, cursor: try segment.postings(info), segment: segment, parameters: parameters)
    case .phrase(let leaf):
        let infos = leaf.terms.compactMap { $0.infos[si] }
        guard infos.count == leaf.terms.count else { return EmptyMatcher() }
        return PhraseMatcher(
            leaf: leaf, cursors: try infos.map { try segment.postings($0) }, segment: segment, parameters: parameters,
            deadline: deadline)
    case .boolean(let must, let should, let not):
        var required: [any Matcher] = []
        for n in must {
            let m = try makeMatcher(n, segment: segment, si: si, parameters: parameters, deadline: deadline)
            if m is EmptyMatcher { return m }
            required.append(m)
        }
        let optional = try should.map { try makeMatcher($0, segment: segment, si: si, parameters: parameters, deadline: deadline) }.filter {
            !($0 is EmptyMatcher)
        }
        let excluded = try not.map { try makeMatcher($0, segment: segment, si: si, parameters: parameters, deadline: deadline) }.filter {
            !($0 is EmptyMatcher)
        }
        let positive: any Matcher
        if !required.isEmpty {
            positive = ConjunctionMatcher(required: required, optional: optional, deadline: deadline)
        } else if optional.isEmpty {
            return EmptyMatcher()
        } else {
            positive = optional.count == 1 ? optional[0] : DisjunctionMatcher(optional)
        }
        return excluded.isEmpty ? positive : ExclusionMatcher(positive: positive, excluded: excluded, deadline: deadline)
    }
}
