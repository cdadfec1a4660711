import QuarryCore

/// A cache from surface words to interned terms: each distinct word is lowercased, folded
/// and stemmed once, and its term gets a small id (its insertion order in `terms`). The
/// indexer keeps one per thread across the segments the thread builds (segment builders
/// refer to term ids); the analyzer keeps one for `term(for:)`. A class over raw memory with
/// unchecked exclusivity: a lookup costs a hash and (usually) one memory access. Not
/// thread-safe.
///
/// Public only so that its `@inlinable` members inline into other modules of the package
/// (Swift 6.3 does not inline them across modules for package types; see `DocumentView`).
public final class TermCache {
    /// Normalises a word, handing the term to the closure (nil when the word is dropped).
    package typealias Normalizer = (UnsafeRawBufferPointer, Bool, (UnsafeRawBufferPointer) -> Int32) -> Int32?

    let normalize: Normalizer
    /// The elided articles of the analyzer's language (for the tokenizer that feeds it).
    package let elisions: Elisions?
    /// Surface word → index into `termOfSurface`.
    @exclusivity(unchecked) @usableFromInline var surfaces: ByteStringTable
    /// Per surface word: its term id in `terms`, or -1 when the word is dropped.
    @exclusivity(unchecked) @usableFromInline var termOfSurface: RawBuffer<Int32>
    /// Normalised terms (term id = insertion order).
    @exclusivity(unchecked) package private(set) var terms: ByteStringTable
    /// Slots the tables start with (they grow): the indexer's caches start large, a query
    /// analyzer's small (clearing 64k slots was a tenth of a one-shot search).
    let initialCapacity: Int

    /// A cache over an analyzer (which it keeps).
    package convenience init(analyzer: Analyzer, initialCapacity: Int = 1 << 16) {
        self.init(elisions: analyzer.elisions, initialCapacity: initialCapacity) { word, isASCII, intern in
            analyzer.normalize(word, isASCII: isASCII, intern)
        }
    }

    package init(elisions: Elisions?, initialCapacity: Int = 1 << 16, normalize: @escaping Normalizer) {
        self.elisions = elisions
        self.normalize = normalize
        self.initialCapacity = initialCapacity
        surfaces = ByteStringTable(capacity: initialCapacity)
        termOfSurface = RawBuffer<Int32>(capacity: initialCapacity)
        terms = ByteStringTable(capacity: initialCapacity)
    }

    deinit { termOfSurface.free() }

    /// The term id of a surface word, or -1 when the analyzer drops it. The lookup inlines
    /// into the indexer's loop; a word seen for the first time goes through `add`.
    @inlinable @inline(__always)
    package func termID(_ word: UnsafeRawBufferPointer, isASCII: Bool) -> Int32 {
        let h = hashBytes(word)
        if let s = surfaces.find(word, hash: h) { return termOfSurface[s] }
        return add(word, hash: h, isASCII: isASCII)
    }

    /// Normalises a new surface word and caches its term.
    @usableFromInline @inline(never)
    func add(_ word: UnsafeRawBufferPointer, hash h: UInt64, isASCII: Bool) -> Int32 {
        let table = terms
        let id = normalize(word, isASCII) { term in Int32(table.insert(term).id) } ?? -1
        surfaces.insert(word, hash: h)
        termOfSurface.append(id)
        return id
    }

    /// Distinct surface words cached.
    package var count: Int { termOfSurface.count }

    /// Bytes held.
    package var memoryBytes: Int { surfaces.memoryBytes + terms.memoryBytes + termOfSurface.memoryBytes }

    /// Empties the cache (only between segments: segment builders refer to term ids).
    package func clear() {
        surfaces = ByteStringTable(capacity: initialCapacity)
        termOfSurface.removeAll()
        terms = ByteStringTable(capacity: initialCapacity)
    }
}
