import QuarryAnalysis
import QuarryIndex

/// Something a search wants its caller to know about how it read the query: a word that
/// was ignored, or an expansion that was capped.
public struct QueryNotice: Sendable, Equatable, Codable {
    /// Stable code: `ignored-word`, `expansions-capped`, `no-expansions`, `fuzzy-phrase`.
    public var code: String
    /// A sentence for people.
    public var message: String

    package init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}

/// One analysed term of a query with its weights (boost included) and field.
struct TermLeaf: Sendable {
    let weights: TermWeights
    let field: QueryField?
    /// The clause as the user wrote it (`kernel`, `title:kernel`, `optim*`), for explanations.
    let label: String
}

/// Analysed words that must occur in order (within a slop), with the weights of the phrase
/// as a whole in each scoring form: boost · Σ idf of its terms, as Lucene does.
struct PhraseLeaf: Sendable {
    /// Distinct terms (boost 1; their statistics give the idf sum).
    let terms: [TermWeights]
    /// For each word of the phrase: its index in `terms`, and its position relative to the first.
    let slots: [Int]
    let offsets: [Int]
    let slop: Int
    let field: QueryField?
    let flat: FieldWeight
    let title: FieldWeight
    let body: FieldWeight
    let combined: CombinedWeight
    let passage: FieldWeight
    let label: String
}

/// A query resolved against a snapshot: words analysed, prefixes and fuzzy words expanded
/// over the term dictionaries, boosts pushed down to the leaves, weights computed.
indirect enum PlanNode: Sendable {
    case term(TermLeaf)
    case phrase(PhraseLeaf)
    /// Documents matching every `must` (or, with none, at least one `should`) and no `not`;
    /// the score sums the matching `must` and `should` clauses.
    case boolean(must: [PlanNode], should: [PlanNode], not: [PlanNode])
    /// Matches no document (a word that is not in the index).
    case nothing

    /// The positive leaves: the ones that can add to a score (not under a `not`).
    func positiveLeaves(into out: inout [PlanLeaf]) {
        switch self {
        case .term(let t): out.append(.term(t))
        case .phrase(let p): out.append(.phrase(p))
        case .boolean(let must, let should, _):
            for n in must { n.positiveLeaves(into: &out) }
            for n in should { n.positiveLeaves(into: &out) }
        case .nothing: break
        }
    }

    /// Whether matching reads word positions (a phrase anywhere, excluded ones included).
    var readsPositions: Bool {
        switch self {
        case .phrase: return true
        case .term, .nothing: return false
        case .boolean(let must, let should, let not):
            return (must + should + not).contains { $0.readsPositions }
        }
    }

    /// Whether this is a disjunction of unscoped terms (the fast path of free-text queries).
    var isUnscopedDisjunction: Bool {
        switch self {
        case .term(let t): return t.field == nil
        case .boolean(let must, let should, let not) where must.isEmpty && not.isEmpty:
            return should.allSatisfy { if case .term(let t) = $0 { return t.field == nil } else { return false } }
        default: return false
        }
    }
}

/// A leaf of a plan.
enum PlanLeaf {
    case term(TermLeaf)
    case phrase(PhraseLeaf)

    var field: QueryField? {
        switch self {
        case .term(let t): return t.field
        case .phrase(let p): return p.field
        }
    }
}

/// Turns a query tree into a plan.
struct QueryPlanner {
    let snapshot: IndexSnapshot
    let analyzer: Analyzer
    let parameters: BM25Parameters
    let maxExpansions: Int
    private(set) var notices: [QueryNotice] = []
    private let deadline: DeadlineCheck
    /// What all the expansions of the query may cost.
    private let budget: ExpansionBudget
    private let maxQueryExpansions: Int
    /// Expansion words the budget cut short or left unexpanded.
    private var overBudget: [String] = []
    /// Phrases planned so far.
    private var phrases = 0

    init(
        snapshot: IndexSnapshot, analyzer: Analyzer, parameters: BM25Parameters, maxExpansions: Int,
        maxQueryExpansions: Int = QueryLimits.defaultMaxQueryExpansions, deadline: ContinuousClock.Instant? = nil
    ) {
        self.snapshot = snapshot
        self.analyzer = analyzer
        self.parameters = parameters
        self.maxExpansions = max(1, maxExpansions)
        self.maxQueryExpansions = max(1, maxQueryExpansions)
        self.deadline = DeadlineCheck(deadline)
        budget = ExpansionBudget(scan: QueryLimits.maxExpansionScan, terms: max(1, maxQueryExpansions))
    }

    /// The plan of a query; nil when nothing of it is searchable (only stopwords).
    mutating func plan(_ query: Query) throws -> PlanNode? {
        let plan = try node(query, boost: 1)
        if let first = overBudget.first {
            let shown = overBudget.prefix(5).joined(separator: ", ") + (overBudget.count > 5 ? ", …" : "")
            notices.append(
                QueryNotice(
                    code: "expansion-budget",
                    message:
                        "the query's prefix and fuzzy words reached their budget (\(maxQueryExpansions) terms in all, \(QueryLimits.maxExpansionScan) dictionary entries examined): \(overBudget.count == 1 ? first + " was" : "\(overBudget.count) words (\(shown)) were") expanded partly or not at all (raise the query's expansion limit, or use fewer such words)"
                ))
        }
        return plan
    }

    /// Runs an expansion within the query's budget: nil when the budget is spent (the word
    /// then matches nothing, and the budget notice names it).
    private mutating func withinBudget(_ label: Query, _ expand: () throws -> [TermExpansion.Candidate]) throws -> [TermExpansion
        .Candidate]?
    {
        guard budget.termsLeft > 0 else {
            overBudget.append("\(label)")
            return nil
        }
        do {
            return try expand()
        } catch is ExpansionBudget.Exhausted {
            overBudget.append("\(label)")
            return nil
        }
    }

    private mutating func node(_ query: Query, boost: Double) throws -> PlanNode? {
        try deadline.tick("preparing the query")
        switch query {
        case .term(let text, let field):
            return try words(text, slop: 0, field: field, boost: boost, label: query)
        case .phrase(let text, let slop, let field):
            return try words(text, slop: max(0, slop), field: field, boost: boost, label: query)
        case .prefix(let text, let field):
            return try prefix(text, field: field, boost: boost, label: query)
        case .fuzzy(let text, let maxEdits, let field):
            return try fuzzy(text, maxEdits: min(max(0, maxEdits), 2), field: field, boost: boost, label: query)
        case .boosted(let inner, let factor):
            guard factor > 0 && factor <= QueryLimits.maxBoost else {
                throw SearchError.invalidParameter("a boost must be a positive number at most 10000, not \(factor)")
            }
            // Nested boosts multiply; bounded so that every score is a finite number.
            guard boost * factor <= QueryLimits.maxTotalBoost else {
                throw SearchError.invalidParameter("nested boosts multiply to more than 10^12")
            }
            return try node(inner, boost: boost * factor)
        case .boolean(let clauses):
            var must: [PlanNode] = [], should: [PlanNode] = [], not: [PlanNode] = []
            guard clauses.contains(where: { $0.occur != .mustNot }) else {
                throw SearchError.invalidParameter("a query cannot only exclude; add something to search for")
            }
            var unmatchable = false
            for c in clauses {
                guard let n = try node(c.query, boost: boost) else { continue }
                switch c.occur {
                case .must:
                    if case .nothing = n { return .nothing }
                    must.append(n)
                case .should:
                    if case .nothing = n {
                        unmatchable = true
                        continue
                    }
                    // A nested disjunction adds nothing but a level: OR is associative.
                    if case .boolean(let m, let s, let x) = n, m.isEmpty, x.isEmpty {
                        should.append(contentsOf: s)
                    } else {
                        should.append(n)
                    }
                case .mustNot:
                    if case .nothing = n { continue }
                    not.append(n)
                }
            }
            if must.isEmpty && should.isEmpty {
                // Every positive clause cannot match, or was ignored (stopwords only).
                return unmatchable ? .nothing : nil
            }
            if must.count == 1 && should.isEmpty && not.isEmpty { return must[0] }
            if must.isEmpty && should.count == 1 && not.isEmpty { return should[0] }
            return .boolean(must: must, should: should, not: not)
        }
    }

    private func weights(_ term: String, boost: Double) throws -> TermWeights {
        try TermWeights(WeightedTerm(term: term, boost: boost), snapshot: snapshot, parameters: parameters)
    }

    /// A word or phrase: one term, or a phrase of several.
    private mutating func words(_ text: String, slop: Int, field: QueryField?, boost: Double, label: Query) throws -> PlanNode? {
        let tokens = analyzer.tokens(text)
        guard let first = tokens.first else {
            notices.append(
                QueryNotice(
                    code: "ignored-word",
                    message: "'\(text)' was ignored: it has no searchable words (stopwords and punctuation are not indexed)"))
            return nil
        }
        if tokens.count == 1 {
            let w = try weights(first.term, boost: boost)
            let df = field == .title ? w.stats.dfTitle : field == .body ? w.stats.dfBody : w.stats.df
            return df == 0 ? .nothing : .term(TermLeaf(weights: w, field: field, label: "\(label)"))
        }
        phrases += 1
        guard phrases <= QueryLimits.maxPhrases else {
            throw SearchError.invalidParameter(
                "a query may hold at most \(QueryLimits.maxPhrases) phrases (quoted, or words such as e-mail that analyse to several terms); '\(text)' is one too many"
            )
        }
        var distinct: [String] = []
        var slots: [Int] = []
        for t in tokens {
            if let i = distinct.firstIndex(of: t.term) {
                slots.append(i)
            } else {
                slots.append(distinct.count)
                distinct.append(t.term)
            }
        }
        let terms = try distinct.map { try weights($0, boost: 1) }
        if terms.contains(where: { $0.stats.df == 0 }) { return .nothing }
        let c = snapshot.stats
        /// The sum of the phrase's terms' idf in a field's statistics (nil when a term is not in it).
        func idfSum(documents: Int, df: (TermStats) -> Int) -> Double? {
            var idf = 0.0
            for s in slots {
                let d = df(terms[s].stats)
                guard d > 0 else { return nil }
                idf += BM25Parameters.idf(documents: documents, df: d)
            }
            return idf
        }
        func fieldWeight(documents: Int, lengthSum: Int, b: Double? = nil, df: (TermStats) -> Int) -> FieldWeight {
            guard let idf = idfSum(documents: documents, df: df) else { return .zero }
            return FieldWeight(boost: boost, idf: idf, documents: documents, lengthSum: lengthSum, parameters: parameters, b: b)
        }
        var titleWeight = fieldWeight(documents: c.documentsWithTitle, lengthSum: c.titleLengthSum, b: parameters.titleB) { $0.dfTitle }
        var bodyWeight = fieldWeight(documents: c.documentsWithBody, lengthSum: c.bodyLengthSum, b: parameters.bodyB) { $0.dfBody }
        let (tw, bw) = parameters.scopedFieldWeights
        titleWeight.scale(tw)
        bodyWeight.scale(bw)
        // BM25F: the phrase's frequency in each field, combined like a term's, with the sum of
        // its terms' idf over documents having them in any field.
        let combined =
            idfSum(documents: c.documentsWithAny) { $0.df }.map {
                CombinedWeight(boost: boost, idf: $0, collection: c, parameters: parameters)
            } ?? .zero
        return .phrase(
            PhraseLeaf(
                terms: terms, slots: slots, offsets: tokens.map { $0.position - first.position }, slop: slop, field: field,
                flat: fieldWeight(documents: c.documentsWithAny, lengthSum: c.titleLengthSum + c.bodyLengthSum) { $0.df },
                title: titleWeight, body: bodyWeight, combined: combined,
                passage: fieldWeight(documents: c.passages, lengthSum: c.passageLengthSum) { $0.passageDf },
                label: "\(label)"))
    }

    /// A disjunction of expanded terms (or the one term, or nothing).
    private func expansionNode(_ leaves: [TermLeaf]) -> PlanNode {
        if leaves.isEmpty { return .nothing }
        if leaves.count == 1 { return .term(leaves[0]) }
        return .boolean(must: [], should: leaves.map { .term($0) }, not: [])
    }

    private mutating func prefix(_ text: String, field: QueryField?, boost: Double, label: Query) throws -> PlanNode? {
        let prefix = analyzer.foldedPrefix(text)
        guard !prefix.isEmpty else {
            notices.append(QueryNotice(code: "ignored-word", message: "'\(text)*' was ignored: the prefix has no letters or digits"))
            return nil
        }
        let (snapshot, deadline, budget) = (self.snapshot, self.deadline, self.budget)
        guard
            let found = try withinBudget(
                label,
                {
                    try TermExpansion.prefix(Array(prefix.utf8), snapshot: snapshot, field: field, deadline: deadline, budget: budget)
                })
        else { return .nothing }
        let kept = TermExpansion.mostFrequent(found, limit: min(maxExpansions, budget.termsLeft))
        budget.termsLeft -= kept.count
        if kept.count < found.count && kept.count < maxExpansions { overBudget.append("\(label)") }
        if found.isEmpty {
            notices.append(QueryNotice(code: "no-expansions", message: "\(label) matches no indexed term"))
        } else if kept.count < found.count {
            notices.append(
                QueryNotice(
                    code: "expansions-capped",
                    message:
                        "\(label) matches \(found.count) terms; searched the \(kept.count) most frequent (raise the expansion limit to search more)"
                ))
        }
        return expansionNode(
            try kept.map { TermLeaf(weights: try weights($0.term, boost: boost), field: field, label: "\(label) → \($0.term)") })
    }

    private mutating func fuzzy(_ text: String, maxEdits: Int, field: QueryField?, boost: Double, label: Query) throws -> PlanNode? {
        let tokens = analyzer.tokens(text)
        if tokens.count != 1 {
            if tokens.count > 1 {
                notices.append(
                    QueryNotice(
                        code: "fuzzy-phrase",
                        message: "\(label): fuzzy matching applies to single words; '\(text)' was searched as a phrase"))
            }
            return try words(text, slop: 0, field: field, boost: boost, label: label)
        }
        let (snapshot, deadline, budget) = (self.snapshot, self.deadline, self.budget)
        guard
            let found = try withinBudget(
                label,
                {
                    try TermExpansion.fuzzy(
                        tokens[0].term, maxEdits: maxEdits, snapshot: snapshot, field: field, deadline: deadline, budget: budget)
                })
        else { return .nothing }
        let kept = TermExpansion.closest(found, limit: min(maxExpansions, budget.termsLeft))
        budget.termsLeft -= kept.count
        if kept.count < found.count && kept.count < maxExpansions { overBudget.append("\(label)") }
        if found.isEmpty {
            notices.append(QueryNotice(code: "no-expansions", message: "\(label) matches no indexed term"))
        } else if kept.count < found.count {
            notices.append(
                QueryNotice(
                    code: "expansions-capped",
                    message:
                        "\(label) matches \(found.count) terms; searched the \(kept.count) closest (raise the expansion limit to search more)"
                ))
        }
        return expansionNode(
            try kept.map {
                // Closer terms weigh more: 1 for the word itself, less for each edit.
                let factor = 1 - Double($0.edits) / Double(maxEdits + 1)
                return TermLeaf(weights: try weights($0.term, boost: boost * factor), field: field, label: "\(label) → \($0.term)")
            })
    }
}
