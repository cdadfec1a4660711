import QuarryAnalysis
import QuarryCore

/// Per-thread cache from surface words to normalised terms, kept across the segments a
/// thread builds so that each distinct word is lowercased and stemmed once. A class over
/// raw memory with unchecked exclusivity: a lookup costs a hash and (usually) one memory
/// access. Not thread-safe.
final class TermCache {
    let analyzer: Analyzer
    /// Surface word → index into `termOfSurface`.
    @exclusivity(unchecked) private var surfaces = ByteStringTable(capacity: 1 << 16)
    /// Per surface word: its term id in `terms`, or -1 when the word is dropped.
    @exclusivity(unchecked) private var termOfSurface = RawBuffer<Int32>(capacity: 1 << 16)
    /// Normalised terms (term id = insertion order).
    @exclusivity(unchecked) private(set) var terms = ByteStringTable(capacity: 1 << 16)

    init(analyzer: Analyzer) {
        self.analyzer = analyzer
    }

    deinit { termOfSurface.free() }

    /// The term id of a surface word, or -1 when the analyzer drops it.
    @inline(__always)
    func termID(_ word: UnsafeRawBufferPointer, isASCII: Bool) -> Int32 {
        let h = hashBytes(word)
        if let s = surfaces.find(word, hash: h) { return termOfSurface[s] }
        let table = terms
        let id = analyzer.normalize(word, isASCII: isASCII) { term in Int32(table.insert(term).id) } ?? -1
        surfaces.insert(word, hash: h)
        termOfSurface.append(id)
        return id
    }

    /// Bytes held.
    var memoryBytes: Int { surfaces.memoryBytes + terms.memoryBytes + termOfSurface.memoryBytes }

    /// Empties the cache (only between segments: segment builders refer to term ids).
    func clear() {
        surfaces = ByteStringTable(capacity: 1 << 16)
        termOfSurface.removeAll()
        terms = ByteStringTable(capacity: 1 << 16)
    }
}
