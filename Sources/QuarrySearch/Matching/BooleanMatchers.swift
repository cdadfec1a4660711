import QuarryIndex

/// Documents matching any of its clauses; the score sums the clauses on the document.
final class DisjunctionMatcher: Matcher {
    let clauses: [any Matcher]
    private(set) var doc: Int32 = -1
    let maxScore: Double
    let cost: Int

    init(_ clauses: [any Matcher]) {
        self.clauses = clauses
        maxScore = clauses.reduce(0) { $0 + $1.maxScore }
        cost = clauses.reduce(0) { $0 + $1.cost }
    }

    func advance(to target: Int32) throws -> Int32 {
        if doc >= target { return doc }
        var d = PostingsCursor.end
        for c in clauses {
            var x = c.doc
            if x < target { x = try c.advance(to: target) }
            if x < d { d = x }
        }
        doc = d
        return d
    }

    func score() throws -> Double {
        var s = 0.0
        for c in clauses where c.doc == doc { s += try c.score() }
        return s
    }

    func bound(from target: Int32) throws -> (score: Double, upTo: Int32) {
        var s = 0.0, upTo = PostingsCursor.end
        for c in clauses {
            let b = try c.bound(from: target)
            s += b.score
            upTo = min(upTo, b.upTo)
        }
        return (s, upTo)
    }

    func explain(into parts: inout [ScorePart]) throws {
        for c in clauses where c.doc == doc { try c.explain(into: &parts) }
    }
}

/// Documents matching every required clause; optional clauses add
/// their scores where they match. At the top of a query it skips, with the block maxima of
/// its clauses, every range of documents whose best possible score is below the k-th best
/// found so far (block-max conjunction).
final class ConjunctionMatcher: Matcher {
    let required: [any Matcher]
    let optional: [any Matcher]
    /// Required clauses, cheapest first (the first one leads the search).
    private let byCost: [any Matcher]
    private(set) var doc: Int32 = -1
    let maxScore: Double
    let cost: Int
    private var minimumScore = -Double.infinity
    private let deadline: DeadlineCheck

    init(required: [any Matcher], optional: [any Matcher], deadline: DeadlineCheck = .none) {
        self.deadline = deadline
        self.required = required
        self.optional = optional
        byCost = required.sorted { $0.cost < $1.cost }
        maxScore = required.reduce(0) { $0 + $1.maxScore } + optional.reduce(0) { $0 + $1.maxScore }
        cost = byCost.first?.cost ?? 0
    }

    func setMinimumScore(_ score: Double) { minimumScore = score }

    func advance(to target: Int32) throws -> Int32 {
        if doc >= target { return doc }
        var t = target
        candidates: while true {
            try deadline.tick("matching documents")
            if minimumScore > 0 {
                // Skip ranges that cannot reach the minimum (equal scores are kept: ties are
                // decided by id).
                var (best, upTo) = try bound(from: t)
                while best < minimumScore {
                    if upTo == PostingsCursor.end { break candidates }
                    t = upTo + 1
                    (best, upTo) = try bound(from: t)
                }
            }
            guard let lead = byCost.first else { break }
            let d = try lead.advance(to: t)
            if d == PostingsCursor.end { break }
            for c in byCost.dropFirst() {
                let x = try c.advance(to: d)
                if x != d {
                    if x == PostingsCursor.end { break candidates }
                    t = x
                    continue candidates
                }
            }
            doc = d
            return d
        }
        doc = PostingsCursor.end
        return doc
    }

    func score() throws -> Double {
        var s = 0.0
        for c in required { s += try c.score() }
        for c in optional {
            if try c.advance(to: doc) == doc { s += try c.score() }
        }
        return s
    }

    func bound(from target: Int32) throws -> (score: Double, upTo: Int32) {
        var s = 0.0, upTo = PostingsCursor.end
        for c in required {
            let b = try c.bound(from: target)
            s += b.score
            upTo = min(upTo, b.upTo)
        }
        for c in optional { s += c.maxScore }
        return (s, upTo)
    }

    func explain(into parts: inout [ScorePart]) throws {
        for c in required { try c.explain(into: &parts) }
        for c in optional {
            if try c.advance(to: doc) == doc { try c.explain(into: &parts) }
        }
    }
}

/// The documents of a positive matcher that match no excluded clause.
final class ExclusionMatcher: Matcher {
    let positive: any Matcher
    let excluded: [any Matcher]
    private(set) var doc: Int32 = -1
    private let deadline: DeadlineCheck

    init(positive: any Matcher, excluded: [any Matcher], deadline: DeadlineCheck = .none) {
        self.deadline = deadline
        self.positive = positive
        self.excluded = excluded
    }

    var maxScore: Double { positive.maxScore }
    var cost: Int { positive.cost }

    func advance(to target: Int32) throws -> Int32 {
        if doc >= target { return doc }
        var t = target
        candidates: while true {
            try deadline.tick("matching documents")
            let d = try positive.advance(to: t)
            if d == PostingsCursor.end { break }
            for c in excluded {
                if try c.advance(to: d) == d {
                    t = d + 1
                    continue candidates
                }
            }
            doc = d
            return d
        }
        doc = PostingsCursor.end
        return doc
    }

    func score() throws -> Double { try positive.score() }
    func setMinimumScore(_ score: Double) { positive.setMinimumScore(score) }
    func bound(from target: Int32) throws -> (score: Double, upTo: Int32) { try positive.bound(from: target) }
    func explain(into parts: inout [ScorePart]) throws { try positive.explain(into: &parts) }
}
