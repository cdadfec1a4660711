import QuarryCore

/// Encoders and readers of the small per-segment files: segment info (`.seg`), field
/// lengths (`.len`), passage boundaries (`.psg`), external ids (`.ids`) and source
/// metadata (`.met`). Layouts in docs/FORMAT.md.
enum SegmentFiles {
    static let kinds: [IndexFileKind] = [.segmentInfo, .terms, .postings, .positions, .lengths, .passages, .ids, .meta, .store]
}
