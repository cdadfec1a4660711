import QuarryIndex

/// Finds the top documents of a disjunction (OR) of terms in one segment, either
/// exhaustively or with block-max MaxScore pruning (which skips documents, and whole
/// blocks, whose score cannot reach the current k-th best; it returns exactly the exhaustive
/// top k, scores included).
struct DocumentCollector {
    /// A term's scorer and cursor, used without reference counting (`scorers` keeps them
    /// alive): calls go through `Unmanaged._withUnsafeGuaranteedRef`.
    struct Lane {
        let scorerRef: Unmanaged<TermScorer>
        let cursorRef: Unmanaged<PostingsCursor>
        /// Position of the term in the query (scores are summed in this order).
        let term: Int

        init(scorer: TermScorer, cursor: PostingsCursor, term: Int) {
            scorerRef = .passUnretained(scorer)
            cursorRef = .passUnretained(cursor)
            self.term = term
        }

        @inline(__always) var doc: Int32 { cursorRef._withUnsafeGuaranteedRef { $0.doc } }
        @inline(__always) var hasBlocks: Bool { cursorRef._withUnsafeGuaranteedRef { $0.hasBlocks } }
        @inline(__always) func next() throws -> Int32 { try cursorRef._withUnsafeGuaranteedRef { try $0.next() } }
        @inline(__always) func advance(to d: Int32) throws -> Int32 { try cursorRef._withUnsafeGuaranteedRef { try $0.advance(to: d) } }
        @inline(__always) func shallowAdvance(to d: Int32) -> (block: Int, lastDoc: Int32) {
            cursorRef._withUnsafeGuaranteedRef { $0.shallowAdvance(to: d) }
        }
        @inline(__always) func score() -> Double { scorerRef._withUnsafeGuaranteedRef { $0.score() } }
        @inline(__always) func blockBound(_ b: Int) throws -> Double { try scorerRef._withUnsafeGuaranteedRef { try $0.blockBound(b) } }
        @inline(__always) var blockCount: Int { cursorRef._withUnsafeGuaranteedRef { $0.blockCount } }
        @inline(__always) func blockLastDoc(_ b: Int) -> Int32 { cursorRef._withUnsafeGuaranteedRef { $0.blockLastDoc(b) } }
    }

    /// The fewest documents a window spans when several lists decide where it ends.
    static let minimumWindow: Int32 = 4096

    let segmentIndex: Int32
    let segment: SegmentReader
    /// Scorers in query-term order.
    let scorers: [TermScorer]
    let termCount: Int
    /// Only documents whose id rank lies here are collected (nil: all; see `IDFilter`).
    let admitted: Range<UInt32>?
    private let lanes: [Lane]
    /// Each term's score for the current candidate (raw memory: written per posting).
    private let contributions: UnsafeMutablePointer<Double>
    /// Checked once per document (exhaustive) or per window (block-max MaxScore).
    private let deadline: DeadlineCheck

    init(segmentIndex: Int, segment: SegmentReader, scorers: [TermScorer], termCount: Int, admitted: Range<UInt32>? = nil,
         deadline: DeadlineCheck = .none) {
        self.deadline = deadline
        self.segmentIndex = Int32(segmentIndex)
        self.segment = segment
        self.scorers = scorers
        self.termCount = termCount
        self.admitted = admitted
        lanes = scorers.map { Lane(scorer: $0, cursor: $0.cursor, term: $0.index) }
        contributions = .allocate(capacity: max(termCount, 1))
        contributions.initialize(repeating: 0, count: max(termCount, 1))
    }

    /// Whether a document is live and passes the id filter (checked before it is scored).
    @inline(__always)
    private func skips(_ d: Int32) -> Bool {
        if segment.isDeleted(Int(d)) { return true }
        if let admitted { return !admitted.contains(segment.idRank(Int(d))) }
        return false
    }

    /// Releases the scratch memory (call once, when done).
    func free() { contributions.deallocate() }

    /// The document's score: contributions summed in query-term order.
    @inline(__always)
    private func total() -> Double {
        var s = 0.0
        for i in 0..<termCount {
            s += contributions[i]
            contributions[i] = 0
        }
        return s
    }

    /// Scores every document that matches any term.
    func collectExhaustive(into top: inout TopDocuments) throws {
        for l in lanes { _ = try l.next() }
        while true {
            try deadline.tick("scoring documents")
            var d = PostingsCursor.end
            for l in lanes where l.doc < d { d = l.doc }
            if d == PostingsCursor.end { return }
            let skipped = skips(d)
            for l in lanes where l.doc == d {
                if !skipped { contributions[l.term] = l.score() }
                _ = try l.next()
            }
            if skipped { continue }
            top.offer(ScoredDocument(score: total(), segment: segmentIndex, doc: d))
        }
    }

    /// Block-max MaxScore. Documents are visited in windows that end at a block boundary
    /// of one of the long lists; in each window every term gets the bound of its block
    /// there (from the block impacts), the terms are sorted by it, and the lowest terms whose
    /// bounds together cannot reach the k-th best score are "non-essential": they never
    /// start a candidate and are only consulted, best first, while the candidate can still
    /// make it. A window whose bounds add up below the threshold is skipped without decoding.
    /// Returns exactly the exhaustive top k (bounds are rounded up; equal scores are not
    /// pruned, since ties are decided by id).
    func collectBlockMaxScore(into top: inout TopDocuments) throws {
        let n = lanes.count
        // Per window: lanes sorted by their bound, the bounds, and their running sums.
        let order = UnsafeMutablePointer<Lane>.allocate(capacity: max(n, 1))
        order.initialize(from: lanes, count: n)
        let windowMax = UnsafeMutablePointer<Double>.allocate(capacity: max(n, 1))
        windowMax.initialize(repeating: 0, count: max(n, 1))
        let prefix = UnsafeMutablePointer<Double>.allocate(capacity: n + 1)
        prefix.initialize(repeating: 0, count: n + 1)
        defer {
            order.deallocate()
            windowMax.deallocate()
            prefix.deallocate()
        }
        for l in lanes { _ = try l.next() }
        var windowStart: Int32 = 0
        // The lanes that were essential in the previous window (all at first) decide where
        // the next window ends: with many long lists, one of them always has a block
        // boundary a few documents ahead, and windows that small would cost more in bounds
        // and sorting than in scoring (Lucene's MaxScoreBulkScorer does the same).
        let essential = UnsafeMutablePointer<Lane>.allocate(capacity: max(n, 1))
        essential.initialize(from: lanes, count: n)
        var essentialCount = n
        defer { essential.deallocate() }
        while windowStart != PostingsCursor.end {
            try deadline.tick("scoring documents")
            // The window ends at the nearest block end among the essential long lists, but
            // spans at least `minimumWindow` documents when several lists decide it.
            var windowEnd = PostingsCursor.end
            var deciding = 0
            for e in 0..<essentialCount where essential[e].hasBlocks {
                let l = essential[e]
                let doc = l.doc
                if doc == PostingsCursor.end { continue }
                deciding += 1
                let last = l.shallowAdvance(to: max(windowStart, doc)).lastDoc
                if last < windowEnd { windowEnd = last }
            }
            if deciding > 1 && windowEnd != PostingsCursor.end {
                let (wide, overflow) = windowStart.addingReportingOverflow(DocumentCollector.minimumWindow - 1)
                windowEnd = overflow ? PostingsCursor.end - 1 : max(windowEnd, min(wide, PostingsCursor.end - 1))
            }
            // Each term's bound in the window (the best of its blocks there); terms sorted by it.
            for i in 0..<n {
                let l = lanes[i]
                let doc = l.doc
                var bound = 0.0
                if doc != PostingsCursor.end && doc <= windowEnd {
                    var (block, last) = l.shallowAdvance(to: max(windowStart, doc))
                    bound = try l.blockBound(block)
                    while last < windowEnd && last != PostingsCursor.end && l.hasBlocks {
                        block += 1
                        guard block < l.blockCount else { break }
                        bound = max(bound, try l.blockBound(block))
                        last = l.blockLastDoc(block)
                    }
                }
                windowMax[i] = bound
                order[i] = l
            }
            if n <= 16 {
                // Insertion sort: few terms.
                for i in 1..<max(n, 1) {
                    let b = windowMax[i], l = order[i]
                    var k = i
                    while k > 0 && windowMax[k - 1] > b {
                        windowMax[k] = windowMax[k - 1]
                        order[k] = order[k - 1]
                        k -= 1
                    }
                    windowMax[k] = b
                    order[k] = l
                }
            } else {
                var sorted = (0..<n).map { (windowMax[$0], order[$0]) }
                sorted.sort { $0.0 < $1.0 }
                for k in 0..<n {
                    windowMax[k] = sorted[k].0
                    order[k] = sorted[k].1
                }
            }
            for k in 0..<n { prefix[k + 1] = prefix[k] + windowMax[k] }
            var threshold = top.threshold
            if prefix[n] < threshold {
                // Nothing in this window can make the top k.
                windowStart = windowEnd == PostingsCursor.end ? windowEnd : windowEnd + 1
                continue
            }
            var firstEssential = 0
            while firstEssential < n && prefix[firstEssential + 1] < threshold { firstEssential += 1 }
            // Essential lists start at the window.
            for k in firstEssential..<n where order[k].doc < windowStart {
                _ = try order[k].advance(to: windowStart)
            }
            while true {
                var d = PostingsCursor.end
                for k in firstEssential..<n {
                    let doc = order[k].doc
                    if doc < d { d = doc }
                }
                if d > windowEnd || d == PostingsCursor.end { break }
                if skips(d) {
                    // Deleted or filtered out: move past it without scoring.
                    for k in firstEssential..<n where order[k].doc == d { _ = try order[k].next() }
                    continue
                }
                var partial = 0.0
                for k in firstEssential..<n {
                    let l = order[k]
                    if l.doc == d {
                        let c = l.score()
                        contributions[l.term] = c
                        partial += c
                        _ = try l.next()
                    }
                }
                var rejected = false
                var k = firstEssential - 1
                while k >= 0 && !rejected {
                    if partial + prefix[k + 1] < threshold {
                        rejected = true
                        break
                    }
                    let l = order[k]
                    if try l.advance(to: d) == d {
                        let c = l.score()
                        contributions[l.term] = c
                        partial += c
                    }
                    k -= 1
                }
                if rejected {
                    for t in 0..<termCount { contributions[t] = 0 }
                    continue
                }
                top.offer(ScoredDocument(score: total(), segment: segmentIndex, doc: d))
                let raised = top.threshold
                if raised > threshold {
                    threshold = raised
                    while firstEssential < n && prefix[firstEssential + 1] < threshold { firstEssential += 1 }
                }
            }
            for k in firstEssential..<n { essential[k - firstEssential] = order[k] }
            essentialCount = n - firstEssential
            windowStart = windowEnd == PostingsCursor.end ? windowEnd : windowEnd + 1
        }
    }
}
