import QuarryIndex

/// Finds the top documents of a disjunction (OR) of terms in one segment, either
/// exhaustively or with MaxScore pruning (which skips documents whose score cannot reach
/// the current k-th best; it returns exactly the exhaustive top k, scores included).
struct DocumentCollector {
    let segmentIndex: Int32
    let segment: SegmentReader
    /// Scorers in query-term order.
    let scorers: [TermScorer]
    let termCount: Int
    private var contributions: [Double]

    init(segmentIndex: Int, segment: SegmentReader, scorers: [TermScorer], termCount: Int) {
        self.segmentIndex = Int32(segmentIndex)
        self.segment = segment
        self.scorers = scorers
        self.termCount = termCount
        contributions = [Double](repeating: 0, count: termCount)
    }

    /// The document's score: contributions summed in query-term order.
    @inline(__always)
    private mutating func total() -> Double {
        var s = 0.0
        for i in 0..<termCount {
            s += contributions[i]
            contributions[i] = 0
        }
        return s
    }

    /// Scores every document that matches any term.
    mutating func collectExhaustive(into top: inout TopDocuments) throws {
        for s in scorers { _ = try s.cursor.next() }
        while true {
            var d = PostingsCursor.end
            for s in scorers where s.doc < d { d = s.doc }
            if d == PostingsCursor.end { return }
            let deleted = segment.isDeleted(Int(d))
            for s in scorers where s.doc == d {
                if !deleted { contributions[s.index] = s.score() }
                _ = try s.cursor.next()
            }
            if deleted {
                for i in 0..<termCount { contributions[i] = 0 }
                continue
            }
            top.offer(ScoredDocument(score: total(), segment: segmentIndex, doc: d))
        }
    }

    /// MaxScore: terms sorted by their upper bound; the lowest ones whose bounds together
    /// cannot reach the threshold are "non-essential": they never start a candidate and
    /// are only consulted, best first, while the candidate can still make it.
    mutating func collectMaxScore(into top: inout TopDocuments) throws {
        let ordered = scorers.sorted { $0.maxScore < $1.maxScore }
        let n = ordered.count
        var prefix = [Double](repeating: 0, count: n + 1)
        for i in 0..<n { prefix[i + 1] = prefix[i] + ordered[i].maxScore }
        for s in ordered { _ = try s.cursor.next() }
        // First essential scorer: ordered[0..<firstEssential] together stay below the threshold.
        var firstEssential = 0
        func updatePartition(_ threshold: Double) {
            while firstEssential < n && prefix[firstEssential + 1] < threshold { firstEssential += 1 }
        }
        updatePartition(top.threshold)
        while firstEssential < n {
            var d = PostingsCursor.end
            for i in firstEssential..<n where ordered[i].doc < d { d = ordered[i].doc }
            if d == PostingsCursor.end { return }
            if segment.isDeleted(Int(d)) {
                for i in firstEssential..<n where ordered[i].doc == d { _ = try ordered[i].cursor.next() }
                continue
            }
            var partial = 0.0
            for i in firstEssential..<n where ordered[i].doc == d {
                let c = ordered[i].score()
                contributions[ordered[i].index] = c
                partial += c
                _ = try ordered[i].cursor.next()
            }
            let threshold = top.threshold
            var rejected = false
            var i = firstEssential - 1
            while i >= 0 {
                if partial + prefix[i + 1] < threshold {
                    rejected = true
                    break
                }
                let s = ordered[i]
                if try s.cursor.advance(to: d) == d {
                    let c = s.score()
                    contributions[s.index] = c
                    partial += c
                }
                i -= 1
            }
            if rejected {
                for k in 0..<termCount { contributions[k] = 0 }
                continue
            }
            top.offer(ScoredDocument(score: total(), segment: segmentIndex, doc: d))
            updatePartition(top.threshold)
        }
    }
}
