import QuarryIndex

/// Finds the top documents of a disjunction (OR) of terms in one segment, either
/// exhaustively or with block-max MaxScore pruning (which skips documents, and whole
/// blocks, whose score cannot reach the current k-th best; it returns exactly the exhaustive
/// top k, scores included).
///
/// A document's score is the sum of its terms' contributions in query-term order, however
/// it was found, so that pruned and exhaustive runs give bit-identical scores.
struct DocumentCollector {
    /// A term's scorer and cursor, used without reference counting (`scorers` keeps them
    /// alive): calls go through `Unmanaged._withUnsafeGuaranteedRef`.
    struct Lane {
        let scorerRef: Unmanaged<TermScorer>
        let cursorRef: Unmanaged<PostingsCursor>
        /// Position of the term in the query (scores are summed in this order).
        let term: Int
        /// Row of the term's contributions in the window buffers (lanes in query order).
        let row: Int

        init(scorer: TermScorer, cursor: PostingsCursor, term: Int, row: Int) {
            scorerRef = .passUnretained(scorer)
            cursorRef = .passUnretained(cursor)
            self.term = term
            self.row = row
        }

        @inline(__always) var cursor: PostingsCursor { cursorRef._withUnsafeGuaranteedRef { $0 } }
        @inline(__always) var scorer: TermScorer { scorerRef._withUnsafeGuaranteedRef { $0 } }
        @inline(__always) var doc: Int32 { cursorRef._withUnsafeGuaranteedRef { $0.doc } }
        @inline(__always) var hasBlocks: Bool { cursorRef._withUnsafeGuaranteedRef { $0.hasBlocks } }
        @inline(__always) func next() throws -> Int32 { try cursorRef._withUnsafeGuaranteedRef { try $0.next() } }
        @inline(__always) func advance(to d: Int32) throws -> Int32 { try cursorRef._withUnsafeGuaranteedRef { try $0.advance(to: d) } }
        @inline(__always) func shallowAdvance(to d: Int32) -> (block: Int, lastDoc: Int32) {
            cursorRef._withUnsafeGuaranteedRef { $0.shallowAdvance(to: d) }
        }
        /// Score of the cursor's current document.
        @inline(__always) func score(_ view: DocumentView, _ posting: PostingScorer) -> Double {
            let c = cursor
            c.decodeFrequencies()
            let i = c.index
            return posting.score(doc: Int(c.doc), tfTitle: c.tfTitles[i], tfBody: c.tfBodies[i], view: view)
        }
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
    private let lanes: [Lane]
    /// Each lane's posting scorer, by row.
    private let postings: [PostingScorer]
    private let view: DocumentView
    private let scratch: CollectorScratch
    /// Checked once per document (exhaustive) or per window (block-max MaxScore).
    private let deadline: DeadlineCheck

    /// `view` gives the segment's lengths and which documents are excluded (deleted, or
    /// outside the search's date range or id prefix).
    init(
        segmentIndex: Int, segment: SegmentReader, view: DocumentView, scorers: [TermScorer], scratch: CollectorScratch,
        deadline: DeadlineCheck = .none
    ) {
        self.deadline = deadline
        self.segmentIndex = Int32(segmentIndex)
        self.segment = segment
        self.scorers = scorers
        lanes = scorers.enumerated().map { Lane(scorer: $1, cursor: $1.cursor, term: $1.index, row: $0) }
        postings = scorers.map(\.posting)
        self.view = view
        self.scratch = scratch
        scratch.prepare(rows: scorers.count)
    }

    /// The sum of a window slot's contributions in query-term order; clears them.
    @inline(__always)
    private func total(slot: Int) -> Double {
        let width = scratch.width, contributions = scratch.contributions
        var s = 0.0
        var at = slot
        for _ in 0..<lanes.count {
            s += contributions[at]
            contributions[at] = 0
            at += width
        }
        return s
    }

    /// Clears a window slot's contributions.
    @inline(__always)
    private func clear(slot: Int) {
        let width = scratch.width, contributions = scratch.contributions
        var at = slot
        for _ in 0..<lanes.count {
            contributions[at] = 0
            at += width
        }
    }

    /// Scores every document that matches any term.
    func collectExhaustive(into top: inout TopDocuments) throws {
        let contributions = scratch.contributions, width = scratch.width
        for l in lanes { _ = try l.next() }
        while true {
            try deadline.tick("scoring documents")
            var d = PostingsCursor.end
            for l in lanes where l.doc < d { d = l.doc }
            if d == PostingsCursor.end { return }
            let deleted = view.isExcluded(Int(d))
            for l in lanes where l.doc == d {
                if !deleted { contributions[l.row * width] = l.score(view, postings[l.row]) }
                _ = try l.next()
            }
            if deleted { continue }
            top.offer(ScoredDocument(score: total(slot: 0), segment: segmentIndex, doc: d))
        }
    }

    /// Block-max MaxScore. Documents are visited in windows that end at a block boundary
    /// of one of the long lists; in each window every term gets the bound of its block
    /// there (from the block impacts), the terms are sorted by it, and the lowest terms whose
    /// bounds together cannot reach the k-th best score are "non-essential": they never
    /// start a candidate and are only consulted, best first, while the candidate can still
    /// make it. A window whose bounds add up below the threshold is skipped without decoding.
    /// The essential terms' postings of a window are scored a list at a time into window
    /// buffers; then each candidate, in document order, is completed with the non-essential
    /// terms or rejected. Returns exactly the exhaustive top k (bounds are rounded up; equal
    /// scores are not pruned, since ties are decided by id).
    func collectBlockMaxScore(into top: inout TopDocuments) throws {
        let n = lanes.count
        // Per window: lanes sorted by their bound, the bounds, and their running sums.
        let order = scratch.order, windowMax = scratch.windowMax, prefix = scratch.prefix
        for i in 0..<n { order[i] = lanes[i] }
        prefix[0] = 0
        for l in lanes { _ = try l.next() }
        // The lanes that were essential in the previous window (all at first) decide where
        // the next window ends: with many long lists, one of them always has a block
        // boundary a few documents ahead, and windows that small would cost more in bounds
        // and sorting than in scoring (Lucene's MaxScoreBulkScorer does the same).
        let essential = scratch.essential
        for i in 0..<n { essential[i] = lanes[i] }
        var essentialCount = n
        var windowStart: Int32 = 0
        while windowStart != PostingsCursor.end {
            try deadline.tick("scoring documents")
            // Windows start at a document of some list.
            var first = PostingsCursor.end
            for l in lanes where l.doc < first { first = l.doc }
            if first == PostingsCursor.end { return }
            windowStart = max(windowStart, first)
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
            let threshold = top.threshold
            if prefix[n] < threshold {
                // Nothing in this window can make the top k.
                windowStart = windowEnd == PostingsCursor.end ? windowEnd : windowEnd + 1
                continue
            }
            var firstEssential = 0
            while firstEssential < n && prefix[firstEssential + 1] < threshold { firstEssential += 1 }
            for k in firstEssential..<n { essential[k - firstEssential] = order[k] }
            essentialCount = n - firstEssential
            if firstEssential == n - 1 {
                try oneEssential(windowStart: windowStart, windowEnd: windowEnd, into: &top)
                windowStart = windowEnd == PostingsCursor.end ? windowEnd : windowEnd + 1
            } else {
                // Several essential lists: the window in slices of the buffers' width.
                let sliceEnd = windowEnd - windowStart >= Int32(scratch.width) ? windowStart + Int32(scratch.width) - 1 : windowEnd
                try severalEssential(windowStart: windowStart, windowEnd: sliceEnd, firstEssential: firstEssential, into: &top)
                windowStart = sliceEnd == PostingsCursor.end ? sliceEnd : sliceEnd + 1
            }
        }
    }

    /// Completes a candidate whose essential contributions are in its window slot, best
    /// non-essential term first, while it can still reach the threshold; offers it.
    @inline(__always)
    private func complete(_ d: Int32, slot: Int, partial: Double, firstEssential: Int, into top: inout TopDocuments) throws {
        let order = scratch.order, prefix = scratch.prefix
        let contributions = scratch.contributions, width = scratch.width
        var partial = partial
        let threshold = top.threshold
        var k = firstEssential - 1
        while k >= 0 {
            if partial + prefix[k + 1] < threshold {
                clear(slot: slot)
                return
            }
            let l = order[k]
            if try l.advance(to: d) == d {
                let c = l.score(view, postings[l.row])
                contributions[l.row * width + slot] = c
                partial += c
            }
            k -= 1
        }
        top.offer(ScoredDocument(score: total(slot: slot), segment: segmentIndex, doc: d))
    }

    /// A window with one essential list: its documents are the candidates, in order.
    private func oneEssential(windowStart: Int32, windowEnd: Int32, into top: inout TopDocuments) throws {
        let n = lanes.count
        let lead = scratch.order[n - 1]
        let c = lead.cursor
        let contributions = scratch.contributions, width = scratch.width
        let rest = scratch.prefix[n - 1]
        if c.doc < windowStart { _ = try c.advance(to: windowStart) }
        let leadRow = lead.row * width
        let posting = postings[lead.row]
        // With the combined form, a posting is first tested against the pseudo-frequency the
        // threshold needs (no division); only those that pass are scored. Recomputed when
        // the threshold moves (a stale, lower threshold only lets more through).
        var neededFor = top.threshold
        var frequencyNeeded = posting.frequencyNeeded(for: DocumentCollector.needed(neededFor, rest)) ?? -.infinity
        while c.doc <= windowEnd && c.doc != PostingsCursor.end {
            var i = c.index
            let length = c.blockLength
            let docs = c.docs
            c.decodeFrequencies()
            let tfTitles = c.tfTitles, tfBodies = c.tfBodies
            if top.threshold != neededFor {
                neededFor = top.threshold
                frequencyNeeded = posting.frequencyNeeded(for: DocumentCollector.needed(neededFor, rest)) ?? -.infinity
            }
            while i < length {
                let d = Int32(bitPattern: docs[i])
                if d > windowEnd { break }
                if frequencyNeeded > 0
                    && !posting.mayReach(
                        frequencyNeeded: frequencyNeeded, doc: Int(d), tfTitle: tfTitles[i], tfBody: tfBodies[i], view: view)
                {
                    i += 1
                    continue
                }
                if !view.isExcluded(Int(d)) {
                    let s = posting.score(doc: Int(d), tfTitle: tfTitles[i], tfBody: tfBodies[i], view: view)
                    if s + rest >= top.threshold {
                        contributions[leadRow] = s
                        try complete(d, slot: 0, partial: s, firstEssential: n - 1, into: &top)
                    }
                }
                i += 1
            }
            if i < length {
                c.seek(index: i)
                return
            }
            if try !c.nextBlock() { return }
        }
    }

    /// What the lead list must score for a candidate to reach `threshold` when the others
    /// add at most `rest`, a little lower than the difference so that its rounding (large
    /// relative to a small difference) never rejects a tie.
    @inline(__always)
    static func needed(_ threshold: Double, _ rest: Double) -> Double {
        threshold - rest - (abs(threshold) + abs(rest)) * 1e-12
    }

    /// A window with several essential lists: each list's documents in the window are
    /// scored into the window buffers; then the candidates are completed in document order.
    private func severalEssential(windowStart: Int32, windowEnd: Int32, firstEssential: Int, into top: inout TopDocuments) throws {
        let n = lanes.count
        let order = scratch.order
        let contributions = scratch.contributions, width = scratch.width
        let partials = scratch.partials, seen = scratch.seen
        let limited = view.hasFilter
        for k in firstEssential..<n {
            let l = order[k]
            let c = l.cursor
            let posting = postings[l.row]
            if c.doc < windowStart { _ = try c.advance(to: windowStart) }
            let row = l.row * width
            while c.doc <= windowEnd && c.doc != PostingsCursor.end {
                var i = c.index
                let length = c.blockLength
                let docs = c.docs
                c.decodeFrequencies()
                let tfTitles = c.tfTitles, tfBodies = c.tfBodies
                while i < length {
                    let d = Int32(bitPattern: docs[i])
                    if d > windowEnd { break }
                    // Outside the date range or id prefix: skipped before scoring.
                    if limited && !view.admits(Int(d)) {
                        i += 1
                        continue
                    }
                    let slot = Int(d - windowStart)
                    let s = posting.score(doc: Int(d), tfTitle: tfTitles[i], tfBody: tfBodies[i], view: view)
                    contributions[row + slot] = s
                    partials[slot] += s
                    seen[slot >> 6] |= 1 << UInt64(slot & 63)
                    i += 1
                }
                if i < length {
                    c.seek(index: i)
                    break
                }
                if try !c.nextBlock() { break }
            }
        }
        for w in 0...(Int(windowEnd - windowStart) >> 6) {
            var bits = seen[w]
            seen[w] = 0
            while bits != 0 {
                let slot = w << 6 | bits.trailingZeroBitCount
                bits &= bits &- 1
                let partial = partials[slot]
                partials[slot] = 0
                let d = windowStart + Int32(slot)
                if view.isDeleted(Int(d)) {
                    clear(slot: slot)
                    continue
                }
                try complete(d, slot: slot, partial: partial, firstEssential: firstEssential, into: &top)
            }
        }
    }
}

/// Scratch memory of the collectors of one search (reused from segment to segment): the
/// window buffers of block-max MaxScore. Not thread-safe; one per search.
final class CollectorScratch {
    /// Slots per window slice.
    @exclusivity(unchecked) private(set) var width = 0
    /// Per lane (row) and slot: the lane's contribution to the slot's document.
    @exclusivity(unchecked) private(set) var contributions: UnsafeMutablePointer<Double> = .allocate(capacity: 1)
    /// Per slot: the sum of the essential contributions.
    @exclusivity(unchecked) private(set) var partials: UnsafeMutablePointer<Double> = .allocate(capacity: 1)
    /// Per slot: a bit when some essential list has the slot's document.
    @exclusivity(unchecked) private(set) var seen: UnsafeMutablePointer<UInt64> = .allocate(capacity: 1)
    @exclusivity(unchecked) private(set) var order: UnsafeMutablePointer<DocumentCollector.Lane> = .allocate(capacity: 1)
    /// The lanes essential in the previous window.
    @exclusivity(unchecked) private(set) var essential: UnsafeMutablePointer<DocumentCollector.Lane> = .allocate(capacity: 1)
    @exclusivity(unchecked) private(set) var windowMax: UnsafeMutablePointer<Double> = .allocate(capacity: 1)
    @exclusivity(unchecked) private(set) var prefix: UnsafeMutablePointer<Double> = .allocate(capacity: 2)
    @exclusivity(unchecked) private var rows = 0

    deinit { release() }

    private func release() {
        contributions.deallocate()
        partials.deallocate()
        seen.deallocate()
        order.deallocate()
        essential.deallocate()
        windowMax.deallocate()
        prefix.deallocate()
    }

    /// Makes room for `rows` lanes (buffers all zero).
    func prepare(rows needed: Int) {
        if needed <= rows { return }
        release()
        rows = needed
        // About 64 KiB of contributions, between 128 and 4,096 slots (a multiple of 64).
        width = max(128, min(4096, (8192 / max(needed, 1)) & ~63))
        contributions = .allocate(capacity: width * rows)
        contributions.initialize(repeating: 0, count: width * rows)
        partials = .allocate(capacity: width)
        partials.initialize(repeating: 0, count: width)
        seen = .allocate(capacity: width / 64)
        seen.initialize(repeating: 0, count: width / 64)
        order = .allocate(capacity: rows)
        essential = .allocate(capacity: rows)
        windowMax = .allocate(capacity: rows)
        windowMax.initialize(repeating: 0, count: rows)
        prefix = .allocate(capacity: rows + 1)
        prefix.initialize(repeating: 0, count: rows + 1)
    }
}
