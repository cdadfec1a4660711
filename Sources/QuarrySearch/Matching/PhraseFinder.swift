/// Finds the matches of a phrase among the positions of its words in one field of one
/// text, the same way for ranking (positions from the index) and for highlighting
/// (positions from analysing the stored text).
///
/// A match gives each word of the phrase its own position p_i. With o_i the word's offset in
/// the phrase, the match's spread is max(p_i − o_i) − min(p_i − o_i): 0 when the words stand
/// exactly as in the phrase, 2 for two adjacent words swapped. A match needs spread ≤ slop;
/// it adds 1 / (1 + spread) to the phrase frequency (1 for an exact match), as in Lucene.
struct PhraseFinder {
    /// For each word of the phrase, the index of its term's position list.
    let slots: [Int]
    let offsets: [Int]
    let slop: Int
    /// Per word: the index into `PositionLists.values` of its next position.
    private var pointers: [Int]
    private var positions: [Int]
    /// `forEachMatch(_:[[UInt32]])`'s flat copy of its lists.
    private var flatValues: [UInt32] = []
    private var flatBounds: [Int] = []

    init(slots: [Int], offsets: [Int], slop: Int) {
        self.slots = slots
        self.offsets = offsets
        self.slop = slop
        pointers = Array(repeating: 0, count: slots.count)
        positions = Array(repeating: 0, count: slots.count)
    }

    /// The phrase frequency in one field, given each distinct term's sorted positions.
    mutating func frequency(_ lists: PositionLists) -> Double {
        var f = 0.0
        forEachMatch(lists) { _, spread in f += 1 / Double(1 + spread) }
        return f
    }

    /// Calls `body` with each match, given each distinct term's sorted positions as arrays
    /// (highlighting and passages; the matcher hands its buffers over directly).
    mutating func forEachMatch(_ lists: [[UInt32]], _ body: (_ positions: [Int], _ spread: Int) -> Void) {
        flatValues.removeAll(keepingCapacity: true)
        flatBounds.removeAll(keepingCapacity: true)
        for l in lists {
            flatBounds.append(flatValues.count)
            flatValues.append(contentsOf: l)
            flatBounds.append(flatValues.count)
        }
        // Local references (no copy): the closures below call a mutating method of self.
        let values = flatValues, bounds = flatBounds
        values.withUnsafeBufferPointer { v in
            bounds.withUnsafeBufferPointer { b in
                // Empty storage: every list is empty and nothing can match.
                guard let vb = v.baseAddress, let bb = b.baseAddress else { return }
                forEachMatch(PositionLists(values: vb, bounds: bb, count: lists.count), body)
            }
        }
    }

    /// Calls `body` with each match: the position of every word of the phrase, and the spread.
    mutating func forEachMatch(_ lists: PositionLists, _ body: (_ positions: [Int], _ spread: Int) -> Void) {
        let n = slots.count
        guard n > 0 else { return }
        for i in 0..<n {
            guard slots[i] < lists.count, lists.start(slots[i]) < lists.end(slots[i]) else { return }
            pointers[i] = lists.start(slots[i])
        }
        if slop == 0 {
            exact(lists, body)
        } else {
            sloppy(lists, body)
        }
    }

    /// Slop 0: every position of the first word whose followers all stand at their offsets.
    private mutating func exact(_ lists: PositionLists, _ body: (_ positions: [Int], _ spread: Int) -> Void) {
        let n = slots.count
        let values = lists.values
        let first = slots[0]
        candidates: for k0 in lists.start(first)..<lists.end(first) {
            let p = Int(values[k0])
            let base = p - offsets[0]
            positions[0] = p
            for i in 1..<n {
                let end = lists.end(slots[i])
                let target = base + offsets[i]
                var k = pointers[i]
                while k < end && Int(values[k]) < target { k += 1 }
                pointers[i] = k
                if k == end { return }
                if Int(values[k]) != target { continue candidates }
                positions[i] = target
            }
            body(positions, 0)
        }
    }

    /// Slop > 0: a sweep that keeps one position per word and always moves the word that
    /// stands furthest behind; each arrangement within the slop, with distinct positions, is
    /// a match.
    private mutating func sloppy(_ lists: PositionLists, _ body: (_ positions: [Int], _ spread: Int) -> Void) {
        let n = slots.count
        let values = lists.values
        while true {
            var lowest = 0
            var lo = Int.max, hi = Int.min
            for i in 0..<n {
                let p = Int(values[pointers[i]])
                positions[i] = p
                let v = p - offsets[i]
                if v < lo {
                    lo = v
                    lowest = i
                }
                if v > hi { hi = v }
            }
            if hi - lo <= slop && distinct() { body(positions, hi - lo) }
            pointers[lowest] += 1
            if pointers[lowest] == lists.end(slots[lowest]) { return }
        }
    }

    /// Whether no two words of the current arrangement share a position (a repeated word
    /// of the phrase needs two occurrences).
    private func distinct() -> Bool {
        let n = positions.count
        for i in 0..<n {
            for j in (i + 1)..<n where slots[i] == slots[j] && positions[i] == positions[j] { return false }
        }
        return true
    }
}

/// Each distinct term's sorted positions in one field of one document, as ranges of one
/// buffer: list i is `values[bounds[2i] ..< bounds[2i + 1]]`. A view: the owner keeps the
/// memory alive while it is used.
struct PositionLists {
    let values: UnsafePointer<UInt32>
    let bounds: UnsafePointer<Int>
    let count: Int

    @inline(__always) func start(_ i: Int) -> Int { bounds[2 * i] }
    @inline(__always) func end(_ i: Int) -> Int { bounds[2 * i + 1] }
}
