import QuarryIndex

/// Scores the passages of one document with passage-level BM25: tf counted within the
/// passage, length = the passage's terms, idf and average length over all passages.
struct PassageScorer {
    let weights: [TermWeights]
    private var bounds: [PassageBounds] = []
    private var title: [UInt32] = []
    private var body: [UInt32] = []
    private var tf: [UInt32] = []

    init(weights: [TermWeights]) {
        self.weights = weights
    }

    /// Scores of the passages of `doc` (all of them, in document order), given cursors
    /// (by query-term index) positioned on the document.
    mutating func score(segment: SegmentReader, doc: Int, cursors: [(Int, PostingsCursor)]) throws -> [(passage: Int, score: Double, bounds: PassageBounds)] {
        try segment.passageBounds(doc, into: &bounds)
        let n = weights.count
        let p = bounds.count
        tf.removeAll(keepingCapacity: true)
        tf.append(contentsOf: repeatElement(0, count: n * p))
        for (t, cursor) in cursors where cursor.doc == Int32(doc) && cursor.tfBody > 0 {
            try cursor.positions(title: &title, body: &body)
            var j = 0
            for pos in body {
                let position = Int(pos)
                while j < p && bounds[j].end <= position { j += 1 }
                var k = j
                while k < p && bounds[k].start <= position {
                    if position < bounds[k].end { tf[k * n + t] += 1 }
                    k += 1
                }
            }
        }
        var result: [(passage: Int, score: Double, bounds: PassageBounds)] = []
        result.reserveCapacity(p)
        for k in 0..<p {
            var s = 0.0
            for t in 0..<n {
                s += weights[t].passage.score(tf: tf[k * n + t], length: UInt32(clamping: bounds[k].length))
            }
            result.append((k, s, bounds[k]))
        }
        return result
    }

    /// Upper bound of any passage score of a document, from its body term frequencies
    /// (a passage holds at most tf occurrences and at least that many terms).
    func bound(bodyTF: [UInt32]) -> Double {
        var s = 0.0
        for t in 0..<weights.count where bodyTF[t] > 0 {
            s += weights[t].passage.score(tf: bodyTF[t], length: bodyTF[t])
        }
        return s * TermScorer.boundMargin
    }
}
