import QuarryAnalysis
import QuarryIndex

/// An analysed query term and its boost (how often it occurs in the query times any
/// explicit boost).
package struct WeightedTerm: Sendable, Equatable, Hashable {
    package var term: String
    package var boost: Double

    package init(term: String, boost: Double = 1) {
        self.term = term
        self.boost = boost
    }
}

/// Turns free text into weighted terms with the index's analyzer: every analysed term,
/// once, boosted by the number of times it occurs (the same as repeating the clause).
package func bagOfWords(_ text: String, analyzer: Analyzer) -> [WeightedTerm] {
    var order: [String] = []
    var counts: [String: Int] = [:]
    for t in analyzer.tokens(text) {
        if counts[t.term] == nil { order.append(t.term) }
        counts[t.term, default: 0] += 1
    }
    return order.map { WeightedTerm(term: $0, boost: Double(counts[$0] ?? 1)) }
}
