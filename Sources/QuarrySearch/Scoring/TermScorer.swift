import QuarryCore
import QuarryIndex

/// Everything about one query term that does not depend on the document: its BM25 weights
/// in each scoring form, computed from the snapshot's live statistics.
struct TermWeights: Sendable {
    let term: String
    let boost: Double
    let bytes: [UInt8]
    let stats: TermStats
    /// The term's dictionary entry in each segment (nil where it does not occur).
    let infos: [TermInfo?]
    let flat: FieldWeight
    /// The title and body on their own: of the `fields` form, and of `title:`/`body:` clauses.
    let title: FieldWeight
    let body: FieldWeight
    let combined: CombinedWeight
    let passage: FieldWeight

    private let collection: CollectionStats
    private let parameters: BM25Parameters

    init(_ wt: WeightedTerm, snapshot: IndexSnapshot, parameters p: BM25Parameters) throws {
        // One dictionary lookup per segment gives both the statistics and the postings.
        var s = TermStats()
        var infos: [TermInfo?] = []
        let b = Array(wt.term.utf8)
        for segment in snapshot.segments {
            let info = try b.withUnsafeBytes { try segment.termInfo($0) }
            infos.append(info)
            if let info { s = s + (try b.withUnsafeBytes { try segment.termStats($0, info: info) }) }
        }
        self.init(term: wt.term, boost: wt.boost, infos: infos, stats: s, collection: snapshot.stats, parameters: p)
    }

    private init(
        term: String, boost: Double, infos: [TermInfo?], stats s: TermStats, collection c: CollectionStats, parameters p: BM25Parameters
    ) {
        self.term = term
        self.boost = boost
        bytes = Array(term.utf8)
        self.infos = infos
        stats = s
        collection = c
        parameters = p
        flat = FieldWeight(
            boost: boost, documents: c.documentsWithAny, df: s.df, lengthSum: c.titleLengthSum + c.bodyLengthSum, parameters: p)
        let (tw, bw) = p.scopedFieldWeights
        title = FieldWeight(
            boost: boost * tw, documents: c.documentsWithTitle, df: s.dfTitle, lengthSum: c.titleLengthSum, parameters: p, b: p.titleB)
        body = FieldWeight(
            boost: boost * bw, documents: c.documentsWithBody, df: s.dfBody, lengthSum: c.bodyLengthSum, parameters: p, b: p.bodyB)
        combined = CombinedWeight(boost: boost, df: s.df, collection: c, parameters: p)
        passage = FieldWeight(boost: boost, documents: c.passages, df: s.passageDf, lengthSum: c.passageLengthSum, parameters: p)
    }

    /// The same term with another boost (no dictionary lookups).
    func reweighted(_ boost: Double) -> TermWeights {
        TermWeights(term: term, boost: boost, infos: infos, stats: stats, collection: collection, parameters: parameters)
    }
}

extension BM25Parameters {
    /// The weights of the single-field forms. A `title:` or `body:` clause under BM25F is
    /// that field's BM25 unweighted: field weights say how the fields combine, and a scoped
    /// clause combines nothing (its score stays below its idf, as a BM25F term's does).
    var scopedFieldWeights: (title: Double, body: Double) {
        mode == .bm25f ? (1, 1) : (titleWeight, bodyWeight)
    }
}

/// Which fields a term is scored in: both as one (flat), both separately (fields), both
/// combined before saturation (BM25F), or one field only (a `title:` or `body:` clause,
/// scored with that field's statistics).
enum ScoreForm: Sendable, Equatable {
    case flat
    case fields
    case combined
    case title
    case body

    init(mode: ScoringMode, field: QueryField?) {
        switch field {
        case .title?: self = .title
        case .body?: self = .body
        case nil:
            switch mode {
            case .flat: self = .flat
            case .fields: self = .fields
            case .bm25f: self = .combined
            }
        }
    }
}

/// Scores one term's postings in one segment.
final class TermScorer {
    /// Position of the term in the query (scores are summed in this order).
    let index: Int
    let cursor: PostingsCursor
    let segment: SegmentReader
    let weights: TermWeights
    let form: ScoreForm
    /// Upper bound of the term's score over the segment.
    @exclusivity(unchecked) private(set) var maxScore: Double = 0

    /// Bounds are raised by this relative margin so that rounding never makes a bound
    /// smaller than a score it bounds.
    static let boundMargin = 1 + 1e-9

    init(index: Int, cursor: PostingsCursor, segment: SegmentReader, weights: TermWeights, form: ScoreForm) throws {
        self.index = index
        self.cursor = cursor
        self.segment = segment
        self.weights = weights
        self.form = form
        if cursor.hasBlocks {
            var r = try cursor.termImpactsReader()
            maxScore = try bound(&r)
        } else {
            // A short list has no stored impacts: BM25's tf part is below 1, so boost · idf
            // bounds it (decoding it just for a tighter bound costs more than it saves).
            switch form {
            case .flat: maxScore = weights.flat.weight * TermScorer.boundMargin
            case .fields: maxScore = (weights.title.weight + weights.body.weight) * TermScorer.boundMargin
            case .combined: maxScore = weights.combined.weight * TermScorer.boundMargin
            case .title: maxScore = weights.title.weight * TermScorer.boundMargin
            case .body: maxScore = weights.body.weight * TermScorer.boundMargin
            }
        }
    }

    /// The term frequency in the fields the scorer scores (0: the document does not match).
    @inline(__always) var frequency: UInt32 {
        switch form {
        case .flat, .fields, .combined: return cursor.tfTitle &+ cursor.tfBody
        case .title: return cursor.tfTitle
        case .body: return cursor.tfBody
        }
    }

    @inline(__always) var doc: Int32 { cursor.doc }

    /// Score of the current document.
    @inline(__always)
    func score() -> Double {
        let d = Int(cursor.doc)
        switch form {
        case .flat:
            return weights.flat.score(tf: cursor.tfTitle + cursor.tfBody, length: segment.titleLength(d) + segment.bodyLength(d))
        case .fields:
            return weights.title.score(tf: cursor.tfTitle, length: segment.titleLength(d))
                + weights.body.score(tf: cursor.tfBody, length: segment.bodyLength(d))
        case .combined:
            return weights.combined.score(
                titleTF: cursor.tfTitle, titleLength: segment.titleLength(d),
                bodyTF: cursor.tfBody, bodyLength: segment.bodyLength(d))
        case .title:
            return weights.title.score(tf: cursor.tfTitle, length: segment.titleLength(d))
        case .body:
            return weights.body.score(tf: cursor.tfBody, length: segment.bodyLength(d))
        }
    }

    /// What scoring one posting needs, as a value a collector keeps in registers.
    var posting: PostingScorer {
        PostingScorer(form: form, flat: weights.flat, title: weights.title, body: weights.body, combined: weights.combined)
    }

    // Cache of the last block bound asked for.
    @exclusivity(unchecked) private var boundBlock = -1
    @exclusivity(unchecked) private var boundValue = 0.0

    /// Upper bound of the score of any document of block `b` (the term's bound for a
    /// short list, which is one block).
    @inline(__always)
    func blockBound(_ b: Int) throws -> Double {
        guard cursor.hasBlocks else { return maxScore }
        if b == boundBlock { return boundValue }
        if b < cursor.blockCount {
            var r = try cursor.blockImpactsReader(b)
            boundValue = try bound(&r)
        } else {
            boundValue = 0
        }
        boundBlock = b
        return boundValue
    }

    /// Upper bound of the score of any document described by encoded impacts (decoded
    /// without allocating; the same value as `bound(Impacts)`).
    func bound(_ r: inout ByteReader) throws(FormatError) -> Double {
        guard form == .flat else { return fieldBound(try Impacts.fieldMaxima(&r)) }
        // The flat form: the best score of the frontier's pairs.
        var m = 0.0
        let flat = weights.flat
        _ = try Impacts.visit(&r) { tf, length in m = max(m, flat.score(tf: tf, length: length)) }
        return m * TermScorer.boundMargin
    }

    /// Upper bound of the score of any document described by `impacts`.
    func bound(_ impacts: Impacts) -> Double {
        guard form == .flat else { return fieldBound(impacts.fieldMaxima) }
        var m = 0.0
        for p in impacts.flat { m = max(m, weights.flat.score(tf: p.tf, length: p.length)) }
        return m * TermScorer.boundMargin
    }

    /// The bound of the per-field forms: only the field maxima and the pairs' largest tf matter.
    private func fieldBound(_ f: Impacts.FieldMaxima) -> Double {
        func title() -> Double { weights.title.score(tf: f.titleMaxTF, length: f.titleMinLength == UInt32.max ? 0 : f.titleMinLength) }
        func body() -> Double { weights.body.score(tf: f.bodyMaxTF, length: f.bodyMinLength == UInt32.max ? 0 : f.bodyMinLength) }
        let m: Double
        switch form {
        case .combined:
            m = weights.combined.bound(
                titleMaxTF: f.titleMaxTF, titleMinLength: f.titleMinLength, bodyMaxTF: f.bodyMaxTF,
                bodyMinLength: f.bodyMinLength, pairMaxTF: f.pairMaxTF)
        case .fields: m = title() + body()
        case .title: m = title()
        case .body: m = body()
        case .flat: m = 0
        }
        return m * TermScorer.boundMargin
    }
}

/// Scores one posting of a term: the same value as `TermScorer.score()` for a cursor on
/// the document with these frequencies.
struct PostingScorer {
    let form: ScoreForm
    let flat: FieldWeight
    let title: FieldWeight
    let body: FieldWeight
    let combined: CombinedWeight

    @_transparent
    func score(doc d: Int, tfTitle: UInt32, tfBody: UInt32, view: DocumentView) -> Double {
        switch form {
        case .flat:
            return flat.score(tf: tfTitle + tfBody, length: view.titleLength(d) + view.bodyLength(d))
        case .fields:
            return title.score(tf: tfTitle, length: view.titleLength(d)) + body.score(tf: tfBody, length: view.bodyLength(d))
        case .combined:
            return combined.score(titleTF: tfTitle, titleLength: view.titleLength(d), bodyTF: tfBody, bodyLength: view.bodyLength(d))
        case .title:
            return title.score(tf: tfTitle, length: view.titleLength(d))
        case .body:
            return body.score(tf: tfBody, length: view.bodyLength(d))
        }
    }

    /// For the combined form, the pseudo-frequency a posting needs to score `needed` (see
    /// `mayReach`); nil for the other forms, whose postings are always scored.
    func frequencyNeeded(for needed: Double) -> Double? {
        form == .combined ? combined.frequencyNeeded(for: needed) : nil
    }

    /// Whether the posting can score at least the score `frequencyNeeded` was asked for:
    /// false only when it cannot (no division; most postings of a frequent term, once the
    /// top k is full, are rejected here before their score is computed).
    @_transparent
    func mayReach(frequencyNeeded f: Double, doc d: Int, tfTitle: UInt32, tfBody: UInt32, view: DocumentView) -> Bool {
        combined.mayReach(
            frequencyNeeded: f, titleTF: tfTitle, titleLength: view.titleLength(d), bodyTF: tfBody, bodyLength: view.bodyLength(d))
    }
}
