import QuarryCore
import QuarryIndex

/// Walks the documents of one segment that match part of a query, in increasing order, and
/// scores them. The tree of matchers mirrors the plan: terms and phrases at the leaves,
/// boolean combinations above.
protocol Matcher: AnyObject {
    /// The current document: -1 before the first `advance`, `PostingsCursor.end` after the last.
    var doc: Int32 { get }
    /// An upper bound of any document's score.
    var maxScore: Double { get }
    /// About how many documents it matches (conjunctions lead with the cheapest).
    var cost: Int { get }
    /// Moves to the first matching document ≥ `target` and returns it (or `end`); does not
    /// move when already there.
    func advance(to target: Int32) throws -> Int32
    /// The current document's score.
    func score() throws -> Double
    /// An upper bound of the score of the documents from `target` to `upTo`, and `upTo`.
    func bound(from target: Int32) throws -> (score: Double, upTo: Int32)
    /// The parts of the current document's score, in the order `score()` adds them.
    func explain(into parts: inout [ScorePart]) throws
    /// Documents scoring below `score` are of no interest from now on (top-level matchers).
    func setMinimumScore(_ score: Double)
}

extension Matcher {
    func setMinimumScore(_ score: Double) {}
}

/// One term's documents (those with the term in the clause's field, for a scoped term).
final class TermMatcher: Matcher {
    let scorer: TermScorer
    let leaf: TermLeaf
    let parameters: BM25Parameters
    private let scoped: Bool
    private(set) var doc: Int32 = -1

    init(leaf: TermLeaf, cursor: PostingsCursor, segment: SegmentReader, parameters: BM25Parameters) throws {
        self.leaf = leaf
        self.parameters = parameters
        scorer = try TermScorer(
            index: 0, cursor: cursor, segment: segment, weights: leaf.weights, form: ScoreForm(mode: parameters.mode, field: leaf.field))
        scoped = leaf.field != nil
    }

    var maxScore: Double { scorer.maxScore }
    var cost: Int { scorer.cursor.df }

    func advance(to target: Int32) throws -> Int32 {
        if doc >= target { return doc }
        var d = try scorer.cursor.advance(to: target)
        if scoped {
            while d != PostingsCursor.end && scorer.frequency == 0 { d = try scorer.cursor.next() }
        }
        doc = d
        return d
    }

    func score() throws -> Double { scorer.score() }

    func bound(from target: Int32) throws -> (score: Double, upTo: Int32) {
        let c = scorer.cursor
        guard c.hasBlocks else { return (scorer.maxScore, PostingsCursor.end) }
        let (block, last) = c.shallowAdvance(to: target)
        return (try scorer.blockBound(block), last)
    }

    func explain(into parts: inout [ScorePart]) throws {
        let c = scorer.cursor, s = scorer.segment, d = Int(doc), w = leaf.weights
        let stats = w.stats
        func part(_ field: String, _ weight: FieldWeight, _ tf: UInt32, _ length: UInt32, _ df: Int) {
            guard tf > 0 else { return }
            parts.append(
                ScorePart(
                    clause: leaf.label, terms: [ExplainedTerm(term: w.term, df: df, idf: weight.idf)], field: field,
                    weight: weight, tf: Double(tf), length: length, parameters: parameters))
        }
        switch scorer.form {
        case .flat: part("all", w.flat, c.tfTitle + c.tfBody, s.flatLength(d), stats.df)
        case .fields:
            part("title", w.title, c.tfTitle, s.titleLength(d), stats.dfTitle)
            part("body", w.body, c.tfBody, s.bodyLength(d), stats.dfBody)
        case .combined:
            guard c.tfTitle &+ c.tfBody > 0 else { return }
            parts.append(
                ScorePart(
                    clause: leaf.label, terms: [ExplainedTerm(term: w.term, df: stats.df, idf: w.combined.idf)],
                    weight: w.combined, titleTF: Double(c.tfTitle), titleLength: s.titleLength(d),
                    bodyTF: Double(c.tfBody), bodyLength: s.bodyLength(d)))
        case .title: part("title", w.title, c.tfTitle, s.titleLength(d), stats.dfTitle)
        case .body: part("body", w.body, c.tfBody, s.bodyLength(d), stats.dfBody)
        }
    }
}

/// A phrase's documents: those where all its terms occur (a conjunction of their postings)
/// and the positions hold a match in the clause's field(s).
final class PhraseMatcher: Matcher {
    let leaf: PhraseLeaf
    let segment: SegmentReader
    let parameters: BM25Parameters
    let form: ScoreForm
    /// One cursor per distinct term, and the same cursors rarest first.
    private let cursors: [PostingsCursor]
    private let byCost: [PostingsCursor]
    /// `byCost` but the first.
    private let followers: [Unmanaged<PostingsCursor>]
    private var finder: PhraseFinder
    /// The current candidate's positions per field, all terms in one buffer each, and each
    /// term's range in it (`PositionLists`).
    @exclusivity(unchecked) private var titleValues = RawBuffer<UInt32>(capacity: 64)
    @exclusivity(unchecked) private var bodyValues = RawBuffer<UInt32>(capacity: 256)
    private let titleBounds: RawBuffer<Int>
    private let bodyBounds: RawBuffer<Int>
    /// Phrase frequency of the current document in the title and the body.
    private var titleFrequency = 0.0
    private var bodyFrequency = 0.0
    private(set) var doc: Int32 = -1
    let maxScore: Double
    private let deadline: DeadlineCheck

    init(
        leaf: PhraseLeaf, cursors: [PostingsCursor], segment: SegmentReader, parameters: BM25Parameters,
        deadline: DeadlineCheck = .none
    ) {
        self.deadline = deadline
        self.leaf = leaf
        self.segment = segment
        self.parameters = parameters
        self.cursors = cursors
        byCost = cursors.sorted { $0.df < $1.df }
        followers = byCost.dropFirst().map { Unmanaged.passUnretained($0) }
        form = ScoreForm(mode: parameters.mode, field: leaf.field)
        finder = PhraseFinder(slots: leaf.slots, offsets: leaf.offsets, slop: leaf.slop)
        var tb = RawBuffer<Int>(capacity: 2 * cursors.count), bb = RawBuffer<Int>(capacity: 2 * cursors.count)
        tb.append(repeating: 0, count: 2 * cursors.count)
        bb.append(repeating: 0, count: 2 * cursors.count)
        titleBounds = tb
        bodyBounds = bb
        // The tf part of BM25 is below 1.
        switch form {
        case .flat: maxScore = leaf.flat.weight * TermScorer.boundMargin
        case .fields: maxScore = (leaf.title.weight + leaf.body.weight) * TermScorer.boundMargin
        case .combined: maxScore = leaf.combined.weight * TermScorer.boundMargin
        case .title: maxScore = leaf.title.weight * TermScorer.boundMargin
        case .body: maxScore = leaf.body.weight * TermScorer.boundMargin
        }
    }

    deinit {
        titleValues.free()
        bodyValues.free()
        titleBounds.free()
        bodyBounds.free()
    }

    var cost: Int { byCost.first?.df ?? 0 }

    func advance(to target: Int32) throws -> Int32 {
        if doc >= target { return doc }
        guard let lead = byCost.first else {
            doc = PostingsCursor.end
            return doc
        }
        var t = target
        // The other cursors as unmanaged references: self keeps them alive, and loading
        // them from the array retained and released each one per candidate (perf).
        try followers.withUnsafeBufferPointer { others in
            candidates: while true {
                try deadline.tick("matching phrases")
                let d = try lead.advance(to: t)
                if d == PostingsCursor.end { break }
                for other in others {
                    let x = try other._withUnsafeGuaranteedRef { c throws(FormatError) in try c.advance(to: d) }
                    if x != d {
                        if x == PostingsCursor.end { break candidates }
                        t = x
                        continue candidates
                    }
                }
                if try matches() {
                    doc = d
                    return
                }
                t = d + 1
            }
            doc = PostingsCursor.end
        }
        return doc
    }

    /// Reads the positions of the current candidate and computes its phrase frequencies.
    private func matches() throws -> Bool {
        titleFrequency = 0
        bodyFrequency = 0
        // A field can hold the phrase only if it holds every word: decide that from the
        // term frequencies before decoding any position.
        var inTitle = form != .body, inBody = form != .title
        for i in 0..<cursors.count {
            if cursors[i].tfTitle == 0 { inTitle = false }
            if cursors[i].tfBody == 0 { inBody = false }
        }
        guard inTitle || inBody else { return false }
        titleValues.removeAll()
        bodyValues.removeAll()
        for i in 0..<cursors.count {
            titleBounds[2 * i] = titleValues.count
            bodyBounds[2 * i] = bodyValues.count
            try cursors[i].appendPositions(title: &titleValues, body: &bodyValues, wantTitle: inTitle, wantBody: inBody)
            titleBounds[2 * i + 1] = titleValues.count
            bodyBounds[2 * i + 1] = bodyValues.count
        }
        let n = cursors.count
        if inTitle {
            titleFrequency = finder.frequency(PositionLists(values: titleValues.base, bounds: titleBounds.base, count: n))
        }
        if inBody { bodyFrequency = finder.frequency(PositionLists(values: bodyValues.base, bounds: bodyBounds.base, count: n)) }
        return titleFrequency > 0 || bodyFrequency > 0
    }

    func score() throws -> Double {
        let d = Int(doc)
        switch form {
        case .flat: return leaf.flat.score(frequency: titleFrequency + bodyFrequency, length: segment.flatLength(d))
        case .fields:
            return leaf.title.score(frequency: titleFrequency, length: segment.titleLength(d))
                + leaf.body.score(frequency: bodyFrequency, length: segment.bodyLength(d))
        case .combined:
            return leaf.combined.score(
                pseudoFrequency: leaf.combined.pseudoFrequency(
                    titleTF: titleFrequency, titleLength: segment.titleLength(d), bodyTF: bodyFrequency, bodyLength: segment.bodyLength(d)))
        case .title: return leaf.title.score(frequency: titleFrequency, length: segment.titleLength(d))
        case .body: return leaf.body.score(frequency: bodyFrequency, length: segment.bodyLength(d))
        }
    }

    func bound(from target: Int32) throws -> (score: Double, upTo: Int32) { (maxScore, PostingsCursor.end) }

    func explain(into parts: inout [ScorePart]) throws {
        let d = Int(doc)
        func part(_ field: String, _ weight: FieldWeight, _ tf: Double, _ length: UInt32, _ df: (TermStats) -> Int, documents: Int) {
            guard tf > 0 else { return }
            let terms = leaf.slots.map { s -> ExplainedTerm in
                let t = leaf.terms[s]
                let n = df(t.stats)
                return ExplainedTerm(term: t.term, df: n, idf: BM25Parameters.idf(documents: documents, df: n))
            }
            parts.append(
                ScorePart(clause: leaf.label, terms: terms, field: field, weight: weight, tf: tf, length: length, parameters: parameters))
        }
        switch form {
        case .flat:
            part("all", leaf.flat, titleFrequency + bodyFrequency, segment.flatLength(d), { $0.df }, documents: leaf.flat.documents)
        case .fields:
            part("title", leaf.title, titleFrequency, segment.titleLength(d), { $0.dfTitle }, documents: leaf.title.documents)
            part("body", leaf.body, bodyFrequency, segment.bodyLength(d), { $0.dfBody }, documents: leaf.body.documents)
        case .combined:
            guard titleFrequency + bodyFrequency > 0 else { return }
            let n = leaf.combined.documents
            let terms = leaf.slots.map { s -> ExplainedTerm in
                let t = leaf.terms[s]
                return ExplainedTerm(term: t.term, df: t.stats.df, idf: BM25Parameters.idf(documents: n, df: t.stats.df))
            }
            parts.append(
                ScorePart(
                    clause: leaf.label, terms: terms, weight: leaf.combined, titleTF: titleFrequency,
                    titleLength: segment.titleLength(d), bodyTF: bodyFrequency, bodyLength: segment.bodyLength(d)))
        case .title:
            part("title", leaf.title, titleFrequency, segment.titleLength(d), { $0.dfTitle }, documents: leaf.title.documents)
        case .body:
            part("body", leaf.body, bodyFrequency, segment.bodyLength(d), { $0.dfBody }, documents: leaf.body.documents)
        }
    }
}

/// Matches nothing.
final class EmptyMatcher: Matcher {
    var doc: Int32 { PostingsCursor.end }
    var maxScore: Double { 0 }
    var cost: Int { 0 }
    func advance(to target: Int32) throws -> Int32 { PostingsCursor.end }
    func score() throws -> Double { 0 }
    func bound(from target: Int32) throws -> (score: Double, upTo: Int32) { (0, PostingsCursor.end) }
    func explain(into parts: inout [ScorePart]) throws {}
}
