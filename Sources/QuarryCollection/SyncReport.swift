import QuarryDocument
import QuarryIndex

/// What a sync run (or an add of JSON lines) did.
public struct SyncReport: Sendable {
    /// Documents with an id the index did not have.
    public var added = 0
    /// Documents that replaced one with the same id.
    public var updated = 0
    /// Documents removed without replacement (their source disappeared, or left a changed
    /// JSON Lines file).
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
}
