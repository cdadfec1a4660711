import QuarryIndex

/// A positive term or phrase of a query as passages score it (title-only clauses do not:
/// passages are parts of the body).
struct PassageUnit {
    let leaf: PlanLeaf
    /// Passage-statistics weight (boost included).
    var weight: FieldWeight {
        switch leaf {
        case .term(let t): return t.weights.passage
        case .phrase(let p): return p.passage
        }
    }

    /// The units of a plan's positive leaves.
    static func units(of plan: PlanNode?) -> [PassageUnit] {
        var leaves: [PlanLeaf] = []
        plan?.positiveLeaves(into: &leaves)
        return leaves.filter { $0.field != .title }.map { PassageUnit(leaf: $0) }
    }
}

/// Where a unit occurs in a body: the word positions it spans and what it adds to the
/// frequency (1 for a word or an exact phrase).
struct Occurrence {
    var start: UInt32
    var end: UInt32
    var frequency: Double
}

/// Reads, for documents of one segment in increasing order, where each passage unit occurs
/// in the body.
final class OccurrenceReader {
    let units: [PassageUnit]
    /// Per unit: its cursors (one for a term, one per distinct term for a phrase); empty
    /// when a term of it is not in the segment.
    private let cursors: [[PostingsCursor]]
    private var finders: [PhraseFinder?]
    private var title: [UInt32] = []
    private var lists: [[UInt32]] = []
    private var doc: Int32 = -1

    init(units: [PassageUnit], segment: SegmentReader, segmentIndex si: Int) throws {
        self.units = units
        var cursors: [[PostingsCursor]] = []
        var finders: [PhraseFinder?] = []
        for u in units {
            switch u.leaf {
            case .term(let t):
                cursors.append(try t.weights.infos[si].map { [try segment.postings($0)] } ?? [])
                finders.append(nil)
            case .phrase(let p):
                let infos = p.terms.compactMap { $0.infos[si] }
                cursors.append(infos.count == p.terms.count ? try infos.map { try segment.postings($0) } : [])
                finders.append(PhraseFinder(slots: p.slots, offsets: p.offsets, slop: p.slop))
            }
        }
        self.cursors = cursors
        self.finders = finders
    }

    /// Moves to `doc` (not before the previous one).
    func load(_ doc: Int32) throws {
        self.doc = doc
        for list in cursors {
            for c in list { _ = try c.advance(to: doc) }
        }
    }

    /// Whether unit `u` has all its terms in the current document's body.
    private func present(_ u: Int) -> Bool {
        let list = cursors[u]
        return !list.isEmpty && list.allSatisfy { $0.doc == doc && $0.tfBody > 0 }
    }

    /// Upper bound of the score of any passage of the current document: a passage holds at
    /// most the body's tf occurrences of a term and at least that many words; a phrase's tf
    /// part is below 1.
    func bound() -> Double {
        var s = 0.0
        for u in 0..<units.count where present(u) {
            if finders[u] == nil {
                let tf = cursors[u][0].tfBody
                s += units[u].weight.score(tf: tf, length: tf)
            } else {
                s += units[u].weight.weight
            }
        }
        return s * TermScorer.boundMargin
    }

    /// The body occurrences of every unit in the current document.
    func occurrences(into out: inout [[Occurrence]]) throws {
        if out.count != units.count { out = Array(repeating: [], count: units.count) }
        for u in 0..<units.count {
            out[u].removeAll(keepingCapacity: true)
            guard present(u) else { continue }
            let list = cursors[u]
            if lists.count < list.count { lists.append(contentsOf: repeatElement([], count: list.count - lists.count)) }
            for (i, c) in list.enumerated() { try c.positions(title: &title, body: &lists[i]) }
            if finders[u] == nil {
                for p in lists[0] { out[u].append(Occurrence(start: p, end: p, frequency: 1)) }
            } else {
                var found: [Occurrence] = []
                finders[u]?.forEachMatch(Array(lists.prefix(list.count))) { positions, spread in
                    let lo = positions.min() ?? 0, hi = positions.max() ?? 0
                    found.append(Occurrence(start: UInt32(lo), end: UInt32(hi), frequency: 1 / Double(1 + spread)))
                }
                found.sort { $0.start < $1.start }
                out[u] = found
            }
        }
    }
}

/// Scores the passages of one document with passage-level BM25: tf counted within the
/// passage (a phrase counts where its whole match lies inside), length = the passage's
/// words, idf and average length over all passages.
struct PassageScorer {
    let units: [PassageUnit]
    private var bounds: [PassageBounds] = []
    private var tf: [Double] = []

    init(units: [PassageUnit]) {
        self.units = units
    }

    /// Scores of the passages of `doc` (all of them, in document order), given each unit's
    /// occurrences in its body.
    mutating func score(segment: SegmentReader, doc: Int, occurrences: [[Occurrence]]) throws -> [(
        passage: Int, score: Double, bounds: PassageBounds
    )] {
        try segment.passageBounds(doc, into: &bounds)
        let n = units.count
        let p = bounds.count
        tf.removeAll(keepingCapacity: true)
        tf.append(contentsOf: repeatElement(0, count: n * p))
        for (u, list) in occurrences.enumerated() where u < n {
            var j = 0
            for o in list {
                let start = Int(o.start), end = Int(o.end)
                while j < p && bounds[j].end <= start { j += 1 }
                var k = j
                while k < p && bounds[k].start <= start {
                    if end < bounds[k].end { tf[k * n + u] += o.frequency }
                    k += 1
                }
            }
        }
        var result: [(passage: Int, score: Double, bounds: PassageBounds)] = []
        result.reserveCapacity(p)
        for k in 0..<p {
            var s = 0.0
            for u in 0..<n {
                s += units[u].weight.score(frequency: tf[k * n + u], length: UInt32(clamping: bounds[k].length))
            }
            result.append((k, s, bounds[k]))
        }
        return result
    }

    /// The parts of a passage's score (after `score` ran on its document).
    func explain(passage k: Int, parameters: BM25Parameters) -> [ScorePart] {
        guard k < bounds.count else { return [] }
        let n = units.count
        var parts: [ScorePart] = []
        for u in 0..<n where tf[k * n + u] > 0 {
            let w = units[u].weight
            let terms: [ExplainedTerm]
            let clause: String
            switch units[u].leaf {
            case .term(let t):
                clause = t.label
                terms = [ExplainedTerm(term: t.weights.term, df: t.weights.stats.passageDf, idf: w.idf)]
            case .phrase(let ph):
                clause = ph.label
                terms = ph.slots.map { s in
                    let t = ph.terms[s]
                    return ExplainedTerm(
                        term: t.term, df: t.stats.passageDf, idf: BM25Parameters.idf(documents: w.documents, df: t.stats.passageDf))
                }
            }
            parts.append(
                ScorePart(
                    clause: clause, terms: terms, field: "passage", weight: w, tf: tf[k * n + u],
                    length: UInt32(clamping: bounds[k].length), parameters: parameters))
        }
        return parts
    }
}
