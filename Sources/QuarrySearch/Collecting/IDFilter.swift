import QuarryIndex

/// Restricts a search to the documents whose external id starts with a prefix (a folder of
/// the indexed tree: `docs/api/`). Ids are sorted in each segment's id file, so the ids with
/// a prefix are one range of id ranks: a document is tested with one load and two compares
/// (`DocumentView.inIDRange`), before it is scored, and a segment without such ids is not
/// searched at all.
struct IDFilter {
    /// Per segment: nil when every document passes, else the admitted id ranks.
    private let ranges: [Range<UInt32>?]

    /// The filter of `prefix` over a snapshot's segments (nil prefix or "": no filter).
    init(prefix: String?, segments: [SegmentReader]) throws {
        guard let prefix, !prefix.isEmpty else {
            ranges = Array(repeating: nil, count: segments.count)
            return
        }
        let bytes = Array(prefix.utf8)
        ranges = try segments.map { segment -> Range<UInt32>? in
            let r = try segment.idRanks(withPrefix: bytes)
            return r.count == segment.documentCount ? nil : r
        }
    }

    /// Whether segment `si` holds no admitted document.
    func excludes(segment si: Int) -> Bool {
        guard let r = ranges[si] else { return false }
        return r.isEmpty
    }

    /// The admitted id ranks of segment `si` (nil: all).
    func admitted(segment si: Int) -> Range<UInt32>? { ranges[si] }
}
