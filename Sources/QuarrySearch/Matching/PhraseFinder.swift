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
    private var pointers: [Int]
    private var positions: [Int]

    init(slots: [Int], offsets: [Int], slop: Int) {
        self.slots = slots
        self.offsets = offsets
        self.slop = slop
        pointers = Array(repeating: 0, count: slots.count)
        positions = Array(repeating: 0, count: slots.count)
    }

    /// The phrase frequency in one field, given each distinct term's sorted positions.
    mutating func frequency(_ lists: [[UInt32]]) -> Double {
        var f = 0.0
        forEachMatch(lists) { _, spread in f += 1 / Double(1 + spread) }
        return f
    }

    /// Calls `body` with each match: the position of every word of the phrase, and the spread.
    mutating func forEachMatch(_ lists: [[UInt32]], _ body: (_ positions: [Int], _ spread: Int) -> Void) {
        let n = slots.count
        guard n > 0 else { return }
        for i in 0..<n {
            guard slots[i] < lists.count, !lists[slots[i]].isEmpty else { return }
            pointers[i] = 0
        }
        if slop == 0 {
            exact(lists, body)
        } else {
            sloppy(lists, body)
        }
    }

    /// Slop 0: every position of the first word whose followers all stand at their offsets.
    private mutating func exact(_ lists: [[UInt32]], _ body: (_ positions: [Int], _ spread: Int) -> Void) {
        let n = slots.count
        let first = lists[slots[0]]
        candidates: for p in first {
            let base = Int(p) - offsets[0]
            positions[0] = Int(p)
            for i in 1..<n {
                let list = lists[slots[i]]
                let target = base + offsets[i]
                var k = pointers[i]
                while k < list.count && Int(list[k]) < target { k += 1 }
                pointers[i] = k
                if k == list.count { return }
                if Int(list[k]) != target { continue candidates }
                positions[i] = target
            }
            body(positions, 0)
        }
    }

    /// Slop > 0: a sweep that keeps one position per word and always moves the word that
    /// stands furthest behind; each arrangement within the slop, with distinct positions, is
    /// a match.
    private mutating func sloppy(_ lists: [[UInt32]], _ body: (_ positions: [Int], _ spread: Int) -> Void) {
        let n = slots.count
        while true {
            var lowest = 0
            var lo = Int.max, hi = Int.min
            for i in 0..<n {
                let p = Int(lists[slots[i]][pointers[i]])
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
            if pointers[lowest] == lists[slots[lowest]].count { return }
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
