import QuarryIndex

/// What the expansions of one query may cost in all: dictionary terms examined (prefix and
/// fuzzy scans) and terms kept. Shared by the expansions of a query, in query order.
final class ExpansionBudget {
    /// Dictionary entries that may still be examined.
    var scanLeft: Int
    /// Terms that expansions may still add.
    var termsLeft: Int

    init(scan: Int, terms: Int) {
        scanLeft = scan
        termsLeft = terms
    }

    struct Exhausted: Error {}

    /// One dictionary entry examined; throws once the scan budget is spent.
    @inline(__always)
    func examine() throws(Exhausted) {
        scanLeft -= 1
        if scanLeft < 0 { throw Exhausted() }
    }
}

/// Expands prefix and fuzzy words over the term dictionaries of a snapshot. Candidates are
/// the union over segments, with live document frequencies (a term left only in deleted
/// documents is not a candidate), so that expansions do not depend on segment layout or
/// update history.
enum TermExpansion {
    struct Candidate: Equatable {
        var term: String
        /// Live documents containing the term (in the clause's field, if it has one).
        var df: Int
        /// Edits from the fuzzy word (0 for prefixes).
        var edits: Int
    }

    /// Terms starting with `prefix` (bytes of a folded prefix).
    static func prefix(
        _ prefix: [UInt8], snapshot: IndexSnapshot, field: QueryField?, deadline: DeadlineCheck,
        budget: ExpansionBudget
    ) throws -> [Candidate] {
        var dfs: [[UInt8]: Int] = [:]
        for segment in snapshot.segments {
            try segment.forEachTerm(from: prefix) { key, info in
                guard key.starts(with: prefix) else { return false }
                try deadline.tick("expanding a prefix")
                try budget.examine()
                dfs[key, default: 0] += try liveDF(key, info, segment, field)
                return true
            }
        }
        return candidates(dfs.mapValues { ($0, 0) })
    }

    /// Terms within `maxEdits` edits (insertion, deletion, substitution, transposition of
    /// adjacent characters) of `word`, an analysed term.
    static func fuzzy(
        _ word: String, maxEdits: Int, snapshot: IndexSnapshot, field: QueryField?, deadline: DeadlineCheck,
        budget: ExpansionBudget
    ) throws -> [Candidate] {
        let target = Array(word.unicodeScalars.map(\.value))
        var distance = BoundedEditDistance(target, limit: maxEdits)
        var found: [[UInt8]: (Int, Int)] = [:]
        for segment in snapshot.segments {
            try segment.forEachTerm { key, info in
                try deadline.tick("expanding a fuzzy word")
                try budget.examine()
                // The distance does not depend on the segment: only a term within it is looked up.
                guard let edits = distance.distance(toUTF8: key) else { return true }
                let df = try liveDF(key, info, segment, field)
                if let known = found[key] {
                    found[key] = (known.0 + df, known.1)
                } else {
                    found[key] = (df, edits)
                }
                return true
            }
        }
        return candidates(found)
    }

    private static func liveDF(_ key: [UInt8], _ info: TermInfo, _ segment: SegmentReader, _ field: QueryField?) throws -> Int {
        let stats = try key.withUnsafeBytes { try segment.termStats($0, info: info) }
        switch field {
        case .title?: return stats.dfTitle
        case .body?: return stats.dfBody
        case nil: return stats.df
        }
    }

    private static func candidates(_ found: [[UInt8]: (Int, Int)]) -> [Candidate] {
        found.compactMap { key, value in
            value.0 > 0 ? Candidate(term: String(decoding: key, as: UTF8.self), df: value.0, edits: value.1) : nil
        }
    }

    /// The `limit` most frequent candidates (ties by term), in term order.
    static func mostFrequent(_ all: [Candidate], limit: Int) -> [Candidate] {
        let chosen = all.sorted { $0.df != $1.df ? $0.df > $1.df : $0.term.utf8.lexicographicallyPrecedes($1.term.utf8) }
        return chosen.prefix(limit).sorted { $0.term.utf8.lexicographicallyPrecedes($1.term.utf8) }
    }

    /// The `limit` closest candidates (then most frequent, then by term), in term order.
    static func closest(_ all: [Candidate], limit: Int) -> [Candidate] {
        let chosen = all.sorted {
            if $0.edits != $1.edits { return $0.edits < $1.edits }
            if $0.df != $1.df { return $0.df > $1.df }
            return $0.term.utf8.lexicographicallyPrecedes($1.term.utf8)
        }
        return chosen.prefix(limit).sorted { $0.term.utf8.lexicographicallyPrecedes($1.term.utf8) }
    }
}

/// Optimal-string-alignment distance (Levenshtein plus transpositions of adjacent
/// characters) from a fixed word to candidates, over Unicode scalars, giving up as soon as
/// the distance must exceed `limit`.
struct BoundedEditDistance {
    let target: [UInt32]
    let limit: Int
    private var candidate: [UInt32] = []
    /// Three rows of the table, back to back: row i − 2, row i − 1, row i (each n + 1 long).
    private var table: [Int]

    init(_ target: [UInt32], limit: Int) {
        self.target = target
        self.limit = limit
        table = Array(repeating: 0, count: 3 * (target.count + 1))
    }

    /// The distance to a UTF-8 term, or nil when it is above the limit.
    mutating func distance(toUTF8 bytes: [UInt8]) -> Int? {
        // Cheap length filter first: a term's scalar count is at most its byte count and at
        // least a quarter of it.
        if bytes.count + limit < target.count || (bytes.count + 3) / 4 > target.count + limit { return nil }
        candidate.removeAll(keepingCapacity: true)
        if bytes.allSatisfy({ $0 < 0x80 }) {
            for b in bytes { candidate.append(UInt32(b)) }
        } else {
            for s in String(decoding: bytes, as: UTF8.self).unicodeScalars { candidate.append(s.value) }
        }
        return distance(candidate)
    }

    /// The distance to a candidate, or nil when it is above the limit.
    mutating func distance(_ b: [UInt32]) -> Int? {
        let n = target.count, m = b.count
        if abs(n - m) > limit { return nil }
        if m == 0 || n == 0 { return max(n, m) <= limit ? max(n, m) : nil }
        let width = n + 1
        let limit = self.limit
        return target.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                table.withUnsafeMutableBufferPointer { t in
                    // Rows rotate through the three slots of the table.
                    var r0 = 0, r1 = width, r2 = 2 * width
                    for j in 0...n { t[r1 + j] = j }
                    for i in 1...m {
                        t[r2] = i
                        var rowMin = i
                        let bi = b[i - 1]
                        for j in 1...n {
                            let cost = a[j - 1] == bi ? 0 : 1
                            var d = min(t[r1 + j] + 1, t[r2 + j - 1] + 1, t[r1 + j - 1] + cost)
                            if i > 1 && j > 1 && a[j - 1] == b[i - 2] && a[j - 2] == bi {
                                d = min(d, t[r0 + j - 2] + 1)
                            }
                            t[r2 + j] = d
                            if d < rowMin { rowMin = d }
                        }
                        if rowMin > limit { return nil }
                        (r0, r1, r2) = (r1, r2, r0)
                    }
                    let d = t[r1 + n]
                    return d <= limit ? d : nil
                }
            }
        }
    }
}
