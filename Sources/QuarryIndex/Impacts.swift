import QuarryCore

/// Upper bounds on what a group of postings (a block, or a whole term) can score, valid for
/// any BM25 parameters: the Pareto frontier of (term frequency, length) pairs for the flat
/// form (score grows with tf and falls with length), and per-field (max tf, min length)
/// for the per-field form.
public struct Impacts: Sendable, Equatable {
    /// Flat form: (tf, length) pairs, tf ascending, length ascending; at most `maxPairs`.
    public var flat: [(tf: UInt32, length: UInt32)]
    public var titleMaxTF: UInt32
    public var titleMinLength: UInt32
    public var bodyMaxTF: UInt32
    public var bodyMinLength: UInt32

    public static let maxPairs = 8

    public init() {
        flat = []
        titleMaxTF = 0
        titleMinLength = UInt32.max
        bodyMaxTF = 0
        bodyMinLength = UInt32.max
    }

    public static func == (a: Impacts, b: Impacts) -> Bool {
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

/// Collects the impacts of a group of postings.
struct ImpactsBuilder {
    private var pairs: [(tf: UInt32, length: UInt32)] = []
    private var impacts = Impacts()

    mutating func reset() {
        pairs.removeAll(keepingCapacity: true)
        impacts = Impacts()
    }

    @inline(__always)
    mutating func add(tfTitle: UInt32, tfBody: UInt32, lengthTitle: UInt32, lengthBody: UInt32) {
        pairs.append((tfTitle + tfBody, lengthTitle + lengthBody))
        if tfTitle > 0 {
            impacts.titleMaxTF = max(impacts.titleMaxTF, tfTitle)
            impacts.titleMinLength = min(impacts.titleMinLength, lengthTitle)
        }
        if tfBody > 0 {
            impacts.bodyMaxTF = max(impacts.bodyMaxTF, tfBody)
            impacts.bodyMinLength = min(impacts.bodyMinLength, lengthBody)
        }
    }

    mutating func merge(_ other: Impacts) {
        pairs.append(contentsOf: other.flat)
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
        pairs.sort { $0.tf != $1.tf ? $0.tf > $1.tf : $0.length < $1.length }
        var frontier: [(tf: UInt32, length: UInt32)] = []
        var best = UInt32.max
        for p in pairs where p.length < best {
            frontier.append(p)
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
