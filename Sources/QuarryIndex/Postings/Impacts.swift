import QuarryCore

/// Upper bounds on what a group of postings (a block, or a whole term) can score, valid for
/// any BM25 parameters: the Pareto frontier of (term frequency, length) pairs for the flat
/// form (score grows with tf and falls with length), and per-field (max tf, min length)
/// for the per-field form.
package struct Impacts: Sendable, Equatable {
    /// Flat form: (tf, length) pairs, tf ascending, length ascending; at most `maxPairs`.
    package var flat: [(tf: UInt32, length: UInt32)]
    package var titleMaxTF: UInt32
    package var titleMinLength: UInt32
    package var bodyMaxTF: UInt32
    package var bodyMinLength: UInt32

    package static let maxPairs = 8

    package init() {
        flat = []
        titleMaxTF = 0
        titleMinLength = UInt32.max
        bodyMaxTF = 0
        bodyMinLength = UInt32.max
    }

    package static func == (a: Impacts, b: Impacts) -> Bool {
        a.flat.elementsEqual(b.flat, by: { $0.tf == $1.tf && $0.length == $1.length })
            && a.titleMaxTF == b.titleMaxTF && a.titleMinLength == b.titleMinLength
            && a.bodyMaxTF == b.bodyMaxTF && a.bodyMinLength == b.bodyMinLength
    }

    /// Encoded as varints: pair count, pairs (tf delta, length delta), title max tf,
    /// title min length (only when tf > 0), body max tf, body min length (only when tf > 0).
    func encode(into w: inout ByteWriter) {
        w.varint(flat.count)
        var pt: UInt32 = 0, pl: UInt32 = 0
        for p in flat {
            w.varint(p.tf - pt)
            w.varint(p.length - pl)
            pt = p.tf
            pl = p.length
        }
        w.varint(titleMaxTF)
        if titleMaxTF > 0 { w.varint(titleMinLength) }
        w.varint(bodyMaxTF)
        if bodyMaxTF > 0 { w.varint(bodyMinLength) }
    }

    /// Decodes encoded impacts without allocating: `pair` is called with each flat (tf,
    /// length) pair; returns the per-field maxima (title max tf, title min length, body max
    /// tf, body min length; a min length is `UInt32.max` when its max tf is 0).
    @inline(__always)
    package static func visit(_ r: inout ByteReader, pair: (UInt32, UInt32) -> Void) throws(FormatError)
        -> (titleMaxTF: UInt32, titleMinLength: UInt32, bodyMaxTF: UInt32, bodyMinLength: UInt32)
    {
        // Read in place (`InPlaceVarints`): a query decodes the impacts of every block it weighs.
        let n = try r.shortCount(limit: maxPairs, "impact pair count")
        var pt: UInt32 = 0, pl: UInt32 = 0
        for _ in 0..<n {
            pt &+= try shortVarint(&r)
            pl &+= try shortVarint(&r)
            pair(pt, pl)
        }
        let titleMaxTF = try shortVarint(&r)
        let titleMinLength = titleMaxTF > 0 ? try shortVarint(&r) : UInt32.max
        let bodyMaxTF = try shortVarint(&r)
        let bodyMinLength = bodyMaxTF > 0 ? try shortVarint(&r) : UInt32.max
        return (titleMaxTF, titleMinLength, bodyMaxTF, bodyMinLength)
    }

    /// What the per-field bounds use of encoded impacts: the per-field maxima and the
    /// largest tf of the flat pairs (nil without pairs).
    package struct FieldMaxima {
        package var pairMaxTF: UInt32?
        package var titleMaxTF: UInt32
        package var titleMinLength: UInt32
        package var bodyMaxTF: UInt32
        package var bodyMinLength: UInt32
    }

    /// Decodes encoded impacts into their `FieldMaxima` (one call per block of a long list
    /// while a query runs).
    package static func fieldMaxima(_ r: inout ByteReader) throws(FormatError) -> FieldMaxima {
        var pairMaxTF: UInt32? = nil
        let f = try visit(&r) { tf, _ in pairMaxTF = max(pairMaxTF ?? 0, tf) }
        return FieldMaxima(
            pairMaxTF: pairMaxTF, titleMaxTF: f.titleMaxTF, titleMinLength: f.titleMinLength, bodyMaxTF: f.bodyMaxTF,
            bodyMinLength: f.bodyMinLength)
    }

    /// The same of decoded impacts.
    package var fieldMaxima: FieldMaxima {
        FieldMaxima(
            pairMaxTF: flat.map(\.tf).max(), titleMaxTF: titleMaxTF, titleMinLength: titleMinLength, bodyMaxTF: bodyMaxTF,
            bodyMinLength: bodyMinLength)
    }

    /// An impact value (a varint read in place, truncated to 32 bits as `visit` does).
    @inline(__always)
    static func shortVarint(_ r: inout ByteReader) throws(FormatError) -> UInt32 {
        UInt32(truncatingIfNeeded: try r.shortVarint())
    }

    static func decode(_ r: inout ByteReader) throws(FormatError) -> Impacts {
        var i = Impacts()
        let n = try r.count(limit: maxPairs, "impact pair count")
        var pt: UInt32 = 0, pl: UInt32 = 0
        for _ in 0..<n {
            pt &+= UInt32(truncatingIfNeeded: try r.varint())
            pl &+= UInt32(truncatingIfNeeded: try r.varint())
            i.flat.append((pt, pl))
        }
        i.titleMaxTF = UInt32(truncatingIfNeeded: try r.varint())
        if i.titleMaxTF > 0 { i.titleMinLength = UInt32(truncatingIfNeeded: try r.varint()) }
        i.bodyMaxTF = UInt32(truncatingIfNeeded: try r.varint())
        if i.bodyMaxTF > 0 { i.bodyMinLength = UInt32(truncatingIfNeeded: try r.varint()) }
        return i
    }
}

/// A (term frequency, length) pair.
struct ImpactPair {
    var tf: UInt32
    var length: UInt32
}

/// Collects the impacts of a group of postings (scratch memory freed with `free()`).
struct ImpactsBuilder {
    private var pairs = RawBuffer<ImpactPair>(capacity: 256)
    private var impacts = Impacts()

    func free() { pairs.free() }

    mutating func reset() {
        pairs.removeAll()
        impacts = Impacts()
    }

    @inline(__always)
    mutating func add(tfTitle: UInt32, tfBody: UInt32, lengthTitle: UInt32, lengthBody: UInt32) {
        pairs.append(ImpactPair(tf: tfTitle + tfBody, length: lengthTitle + lengthBody))
        if tfTitle > 0 {
            if tfTitle > impacts.titleMaxTF { impacts.titleMaxTF = tfTitle }
            if lengthTitle < impacts.titleMinLength { impacts.titleMinLength = lengthTitle }
        }
        if tfBody > 0 {
            if tfBody > impacts.bodyMaxTF { impacts.bodyMaxTF = tfBody }
            if lengthBody < impacts.bodyMinLength { impacts.bodyMinLength = lengthBody }
        }
    }

    mutating func merge(_ other: Impacts) {
        for p in other.flat { pairs.append(ImpactPair(tf: p.tf, length: p.length)) }
        impacts.titleMaxTF = max(impacts.titleMaxTF, other.titleMaxTF)
        impacts.titleMinLength = min(impacts.titleMinLength, other.titleMinLength)
        impacts.bodyMaxTF = max(impacts.bodyMaxTF, other.bodyMaxTF)
        impacts.bodyMinLength = min(impacts.bodyMinLength, other.bodyMinLength)
    }

    /// The frontier: pairs not dominated by another (higher-or-equal tf with
    /// lower-or-equal length), merged conservatively down to `Impacts.maxPairs`.
    mutating func build() -> Impacts {
        // Sort by tf descending, then length ascending; keep pairs whose length is below every
        // length seen at a higher tf.
        var sortable = pairs.elements
        sortable.sort { $0.tf != $1.tf ? $0.tf > $1.tf : $0.length < $1.length }
        var frontier: [(tf: UInt32, length: UInt32)] = []
        var best = UInt32.max
        for p in sortable where p.length < best {
            frontier.append((p.tf, p.length))
            best = p.length
        }
        frontier.reverse()  // tf ascending, length ascending
        // Too many: replace neighbours (a, b) by (b.tf, a.length), which dominates both.
        while frontier.count > Impacts.maxPairs {
            var merged: [(tf: UInt32, length: UInt32)] = []
            var i = 0
            while i < frontier.count {
                if i + 1 < frontier.count {
                    merged.append((frontier[i + 1].tf, frontier[i].length))
                    i += 2
                } else {
                    merged.append(frontier[i])
                    i += 1
                }
            }
            frontier = merged
        }
        var result = impacts
        result.flat = frontier
        return result
    }
}
