import QuarryAnalysis
import QuarryCore

/// Per-thread cache from surface words to normalised terms, kept across the segments a
/// thread builds so that each distinct word is lowercased and stemmed once.
final class TermCache {
    let analyzer: Analyzer
    /// Surface word → index into `termOfSurface`.
    private var surfaces = ByteStringTable(capacity: 1 << 16)
    /// Per surface word: its term id in `terms`, or -1 when the word is dropped.
    private var termOfSurface: [Int32] = []
    /// Normalised terms (term id = insertion order).
    private(set) var terms = ByteStringTable(capacity: 1 << 16)
    /// Entries above which the cache is emptied between segments.
    static let limit = 4_000_000

    init(analyzer: Analyzer) {
        self.analyzer = analyzer
    }

    /// The term id of a surface word, or -1 when the analyzer drops it.
    @inline(__always)
    func termID(_ word: UnsafeRawBufferPointer, isASCII: Bool) -> Int32 {
        let h = hashBytes(word)
        if let s = surfaces.find(word, hash: h) { return termOfSurface[s] }
        let id = analyzer.normalize(word, isASCII: isASCII) { term in Int32(terms.insert(term).id) } ?? -1
        _ = surfaces.insert(word, hash: h)
        termOfSurface.append(id)
        return id
    }

    var memoryBytes: Int { surfaces.memoryBytes + terms.memoryBytes + termOfSurface.capacity * 4 }

    /// Empties the cache when it has grown past its limit (only between segments, since
    /// segment builders refer to term ids).
    func trimIfLarge() -> Bool {
        guard surfaces.count + terms.count > TermCache.limit else { return false }
        surfaces = ByteStringTable(capacity: 1 << 16)
        termOfSurface = []
        terms = ByteStringTable(capacity: 1 << 16)
        return true
    }
}
