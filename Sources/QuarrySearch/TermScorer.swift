import QuarryIndex

/// Everything about one query term that does not depend on the document: its BM25 weights
/// in each scoring form, computed from the snapshot's live statistics.
struct TermWeights {
    let term: String
    let bytes: [UInt8]
    let stats: TermStats
    /// The term's dictionary entry in each segment (nil where it does not occur).
    let infos: [TermInfo?]
    let flat: FieldWeight
    let title: FieldWeight
    let body: FieldWeight
    let passage: FieldWeight

    init(_ wt: WeightedTerm, snapshot: IndexSnapshot, parameters p: BM25Parameters) throws {
        term = wt.term
        bytes = Array(wt.term.utf8)
        // One dictionary lookup per segment gives both the statistics and the postings.
        var s = TermStats()
        var infos: [TermInfo?] = []
        let b = bytes
        for segment in snapshot.segments {
            let info = try b.withUnsafeBytes { try segment.termInfo($0) }
            infos.append(info)
            if let info { s = s + (try b.withUnsafeBytes { try segment.termStats($0, info: info) }) }
        }
        self.infos = infos
        stats = s
        let c = snapshot.stats
        flat = FieldWeight(boost: wt.boost, documents: c.documentsWithAny, df: s.df, lengthSum: c.titleLengthSum + c.bodyLengthSum, parameters: p)
        title = FieldWeight(boost: wt.boost * p.titleWeight, documents: c.documentsWithTitle, df: s.dfTitle, lengthSum: c.titleLengthSum, parameters: p)
        body = FieldWeight(boost: wt.boost * p.bodyWeight, documents: c.documentsWithBody, df: s.dfBody, lengthSum: c.bodyLengthSum, parameters: p)
        passage = FieldWeight(boost: wt.boost, documents: c.passages, df: s.passageDf, lengthSum: c.passageLengthSum, parameters: p)
    }
}

/// Scores one term's postings in one segment.
final class TermScorer {
    /// Position of the term in the query (scores are summed in this order).
    let index: Int
    let cursor: PostingsCursor
    let segment: SegmentReader
    let weights: TermWeights
    let mode: ScoringMode
    /// Upper bound of the term's score over the segment.
    @exclusivity(unchecked) private(set) var maxScore: Double = 0

    /// Bounds are raised by this relative margin so that rounding never makes a bound
    /// smaller than a score it bounds.
    static let boundMargin = 1 + 1e-9

    init(index: Int, cursor: PostingsCursor, segment: SegmentReader, weights: TermWeights, mode: ScoringMode) throws {
        self.index = index
        self.cursor = cursor
        self.segment = segment
        self.weights = weights
        self.mode = mode
        if cursor.hasBlocks {
            maxScore = bound(try cursor.termImpacts { _ in (0, 0) })
        } else {
            // A short list has no stored impacts: BM25's tf part is below 1, so boost · idf
            // bounds it (decoding it just for a tighter bound costs more than it saves).
            switch mode {
            case .flat: maxScore = weights.flat.weight * TermScorer.boundMargin
            case .fields: maxScore = (weights.title.weight + weights.body.weight) * TermScorer.boundMargin
            }
        }
    }

    @inline(__always) var doc: Int32 { cursor.doc }

    /// Score of the current document.
    @inline(__always)
    func score() -> Double {
        let d = Int(cursor.doc)
        switch mode {
        case .flat:
            return weights.flat.score(tf: cursor.tfTitle + cursor.tfBody, length: segment.titleLength(d) + segment.bodyLength(d))
        case .fields:
            return weights.title.score(tf: cursor.tfTitle, length: segment.titleLength(d))
                + weights.body.score(tf: cursor.tfBody, length: segment.bodyLength(d))
        }
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
        boundValue = b < cursor.blockCount ? bound(try cursor.blockImpacts(b)) : 0
        boundBlock = b
        return boundValue
    }

    /// Upper bound of the score of any document described by `impacts`.
    func bound(_ impacts: Impacts) -> Double {
        var m = 0.0
        switch mode {
        case .flat:
            for p in impacts.flat { m = max(m, weights.flat.score(tf: p.tf, length: p.length)) }
        case .fields:
            m = weights.title.score(tf: impacts.titleMaxTF, length: impacts.titleMinLength == UInt32.max ? 0 : impacts.titleMinLength)
                + weights.body.score(tf: impacts.bodyMaxTF, length: impacts.bodyMinLength == UInt32.max ? 0 : impacts.bodyMinLength)
        }
        return m * TermScorer.boundMargin
    }
}
