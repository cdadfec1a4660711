import QuarryAnalysis
import QuarryCore
import QuarryDocument

/// Analyses one document into per-term groups: term frequencies in title and body,
/// positions, and how many of the document's passages contain the term. Shared by the
/// segment builder and by deletion accounting, so that what a deletion subtracts from the
/// statistics is exactly what indexing added. A struct, mutated in place on the hot path.
struct DocumentInverter {
    /// One term of the document.
    struct Group {
        /// Term id in the `TermCache`.
        var term: Int32
        var tfTitle: UInt32
        var tfBody: UInt32
        /// Passages containing the term.
        var passages: UInt32
        /// Start of its positions in `positions`: tfTitle title positions, then tfBody body positions.
        var positionStart: Int
    }

    private(set) var groups = RawBuffer<Group>(capacity: 256)
    private(set) var positions = RawBuffer<UInt32>(capacity: 1024)
    private(set) var titleLength = 0
    private(set) var bodyLength = 0
    /// Number of body positions (words, including dropped ones).
    private(set) var bodyPositions = 0
    private(set) var passages: [PassageBounds] = []

    // Per-token scratch (raw buffers: no copy-on-write checks per token).
    private var occurrences = RawBuffer<UInt64>(capacity: 1024)
    private var tokenStarts = RawBuffer<Int32>(capacity: 1024)
    private var termPrefix = RawBuffer<Int32>(capacity: 1024)
    private var firstPassage = RawBuffer<Int32>(capacity: 1024)
    private var lastPassage = RawBuffer<Int32>(capacity: 1024)

    /// Positions above this are not indexed (a document of more than 2^31 words).
    static let maxPosition: UInt64 = (1 << 31) - 1

    init() {}

    /// Releases the raw buffers (the owner calls it once).
    func free() {
        groups.free()
        positions.free()
        occurrences.free()
        tokenStarts.free()
        termPrefix.free()
        firstPassage.free()
        lastPassage.free()
    }

    var memoryBytes: Int {
        groups.memoryBytes + positions.memoryBytes + occurrences.memoryBytes + tokenStarts.memoryBytes
            + termPrefix.memoryBytes + firstPassage.memoryBytes + lastPassage.memoryBytes
    }

    /// Inverts a document whose body has been cut into `spans` (byte ranges).
    mutating func invert(title: String, body: String, spans: [PassageSpan], cache: TermCache) {
        occurrences.removeAll()
        tokenStarts.removeAll()
        termPrefix.removeAll()
        termPrefix.append(0)
        titleLength = tokenize(title, field: 0, recordWords: false, cache: cache)
        bodyLength = tokenize(body, field: 1 << 31, recordWords: true, cache: cache)
        bodyPositions = tokenStarts.count

        // Passages as position ranges, and which passages each position falls in.
        passages.removeAll(keepingCapacity: true)
        let implicitSingle = spans.count == 1 && lowerBound(spans[0].start) == 0 && lowerBound(spans[0].end) == bodyPositions
        if implicitSingle {
            passages.append(PassageBounds(start: 0, end: bodyPositions, length: bodyLength))
        } else {
            firstPassage.removeAll()
            lastPassage.removeAll()
            firstPassage.append(repeating: -1, count: bodyPositions)
            lastPassage.append(repeating: -1, count: bodyPositions)
            for (p, span) in spans.enumerated() {
                let from = lowerBound(span.start), to = max(from, lowerBound(span.end))
                passages.append(PassageBounds(start: from, end: to, length: Int(termPrefix[to] - termPrefix[from])))
                for pos in from..<to {
                    if firstPassage[pos] < 0 { firstPassage[pos] = Int32(p) }
                    lastPassage[pos] = Int32(p)
                }
            }
        }

        // Group by term; title positions sort before body positions.
        var sortable = occurrences.elements
        sortable.sort()
        groups.removeAll()
        positions.removeAll()
        var i = 0
        let n = occurrences.count
        while i < n {
            let term = occurrences[i] >> 32
            var j = i
            var k = i
            while j < n && occurrences[j] >> 32 == term {
                if occurrences[j] & (1 << 31) == 0 { k += 1 }
                positions.append(UInt32(truncatingIfNeeded: occurrences[j] & 0x7FFF_FFFF))
                j += 1
            }
            var inPassages = 0
            if j > k {
                if implicitSingle {
                    inPassages = 1
                } else {
                    var counted = -1
                    for o in k..<j {
                        let p = Int(occurrences[o] & 0x7FFF_FFFF)
                        let f = Int(firstPassage[p]), l = Int(lastPassage[p])
                        if f >= 0 {
                            let from = max(f, counted + 1)
                            if l >= from {
                                inPassages += l - from + 1
                                counted = l
                            }
                        }
                    }
                }
            }
            groups.append(
                Group(
                    term: Int32(truncatingIfNeeded: term), tfTitle: UInt32(k - i), tfBody: UInt32(j - k),
                    passages: UInt32(inPassages), positionStart: positions.count - (j - i)))
            i = j
        }
    }

    /// Adds the field's terms to `occurrences` (term << 32 | field | position); with
    /// `recordWords`, also where each word starts and the running count of terms. Returns
    /// the field's length in terms.
    private mutating func tokenize(_ text: String, field: UInt64, recordWords: Bool, cache: TermCache) -> Int {
        var length = 0
        var text = text
        let elisions = cache.elisions
        text.withUTF8 { utf8 in
            let bytes = UnsafeRawBufferPointer(utf8)
            var tokenizer = Tokenizer(bytes, elisions: elisions)
            var position: UInt64 = 0
            while let t = tokenizer.next(), position <= DocumentInverter.maxPosition {
                let id = cache.termID(UnsafeRawBufferPointer(rebasing: bytes[t.start..<t.end]), isASCII: t.isASCII)
                if id >= 0 {
                    occurrences.append(UInt64(id) << 32 | field | position)
                    length += 1
                }
                if recordWords {
                    tokenStarts.append(Int32(truncatingIfNeeded: t.start))
                    termPrefix.append(Int32(length))
                }
                position += 1
            }
        }
        return length
    }

    /// True when the passages are the implicit single passage over the whole body.
    var passagesAreImplicit: Bool {
        passages.count == 1 && passages[0].start == 0 && passages[0].end == bodyPositions
    }

    var passageLengthSum: Int { passages.reduce(0) { $0 + $1.length } }

    /// First body position whose word starts at or after byte `offset`.
    @inline(__always)
    private func lowerBound(_ offset: Int) -> Int {
        var lo = 0, hi = tokenStarts.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(tokenStarts[mid]) < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
