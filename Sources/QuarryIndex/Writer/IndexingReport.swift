import QuarryDocument

/// What an indexing run did.
package struct IndexingReport: Sendable {
    /// Documents with an id the index did not have.
    package var added = 0
    /// Documents that replaced one with the same id.
    package var updated = 0
    /// Documents removed without replacement (`delete(ids:)` or `delete(origins:)` named
    /// them).
    package var deleted = 0
    /// Problems found (documents with one id given twice).
    package var issues: [IngestIssue] = []
    package var segmentsWritten = 0
    package var bytesWritten = 0

    package init() {}
}
