import QuarryCore

/// Encoders and readers of the small per-segment files: segment info (`.seg`), field
/// lengths (`.len`), passage boundaries (`.psg`), external ids (`.ids`) and source
/// metadata (`.met`). Layouts in docs/FORMAT.md.
enum SegmentFiles {
    /// Every file of a segment (deletions files aside), `.chk` last: it covers the others.
    static let kinds: [IndexFileKind] = [
        .segmentInfo, .terms, .postings, .positions, .lengths, .passages, .ids, .meta, .store, .summaries, .checksums,
    ]
    /// The files `.chk` covers, in its order.
    static let covered: [IndexFileKind] = [
        .segmentInfo, .terms, .postings, .positions, .lengths, .passages, .ids, .meta, .store, .summaries,
    ]
}
