import QuarryDocument
import QuarryIndex

/// What a sync run (or an add of JSON lines) did.
public struct SyncReport: Sendable {
    /// Documents with an id the index did not have.
    public var added = 0
    /// Documents that replaced one with the same id.
    public var updated = 0
    /// Documents removed without replacement (their source disappeared or was excluded,
    /// left a changed JSON Lines file, or is a generated page now left out).
    public var deleted = 0
    /// Sources found unchanged (same size and time, or same content) and not parsed.
    public var unchanged = 0
    /// Sources that could not be read or parsed (their previous documents are kept).
    public var failed = 0
    /// Problems found, in input order; errors mean something was skipped.
    public var issues: [IngestIssue] = []
    /// Segments and bytes written.
    public var segmentsWritten = 0
    public var bytesWritten = 0
    /// Files (and JSON Lines files) looked at.
    public var sourcesSeen = 0
    /// Generated pages (indexes, search pages, source listings) left out.
    public var generatedSkipped = 0
    /// Documents deleted with `delete` whose sources are still there, left out (until a
    /// sync with `restoreDeleted`).
    public var heldBack = 0
    /// Documents deleted with `delete` that this run brought back.
    public var restored = 0
    /// Files not indexed because another file already has their id.
    public var collisions = 0
    /// Files extracted again although their content did not change (the extraction rules
    /// or options changed, or their id did).
    public var reextracted = 0
    /// What the walk left out, by reason.
    public var walk = WalkCounts()
    /// Things the user should know about this run (names given to new directories, files
    /// extracted again and why).
    public var notes: [String] = []

    public init() {}

    /// Inputs skipped because of an error.
    public var skipped: Int { issues.filter { $0.severity == .error }.count }

    /// Takes in what the index writer did.
    package mutating func take(_ r: IndexingReport) {
        added += r.added
        updated += r.updated
        deleted += r.deleted
        issues.append(contentsOf: r.issues)
        segmentsWritten += r.segmentsWritten
        bytesWritten += r.bytesWritten
    }

    /// Adds up two runs (batches of standard input).
    package mutating func take(_ r: SyncReport) {
        added += r.added
        updated += r.updated
        deleted += r.deleted
        unchanged += r.unchanged
        failed += r.failed
        issues.append(contentsOf: r.issues)
        segmentsWritten += r.segmentsWritten
        bytesWritten += r.bytesWritten
        sourcesSeen += r.sourcesSeen
        heldBack += r.heldBack
    }
}
