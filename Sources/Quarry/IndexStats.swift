import QuarryIndex

/// What an index holds (`Index.stats()`): documents, passages, terms, files, settings.
/// Every figure comes from files whose checksums were verified: `Index.stats()` verifies
/// every file of the commit before it reads a figure.
public struct IndexStats: Sendable, Equatable {
    public var directory: String
    /// Commit generation (+1 per commit).
    public var generation: Int
    /// Live documents.
    public var documents: Int
    /// Deleted documents still in segments (purged by the next merge of their segment).
    public var deletedDocuments: Int
    public var passages: Int
    /// Distinct terms summed over segments (an upper bound of the distinct terms).
    public var termsSummedOverSegments: Int
    public var segments: Int
    /// Bytes of all files of the commit.
    public var bytes: Int
    /// Bytes without the stored text and origins (what search needs).
    public var bytesWithoutStoredText: Int
    /// Bytes per segment file kind, by file extension, in a fixed order.
    public var bytesByFile: [(kind: String, bytes: Int)]
    public var settings: IndexSettings
    /// Average title and body lengths in terms (over documents that have one).
    public var averageTitleLength: Double
    public var averageBodyLength: Double

    public static func == (a: IndexStats, b: IndexStats) -> Bool {
        a.directory == b.directory && a.generation == b.generation && a.documents == b.documents
            && a.deletedDocuments == b.deletedDocuments && a.passages == b.passages
            && a.termsSummedOverSegments == b.termsSummedOverSegments && a.segments == b.segments && a.bytes == b.bytes
            && a.bytesWithoutStoredText == b.bytesWithoutStoredText && a.bytesByFile.elementsEqual(b.bytesByFile, by: ==)
            && a.settings == b.settings && a.averageTitleLength == b.averageTitleLength && a.averageBodyLength == b.averageBodyLength
    }

    init(snapshot: IndexSnapshot) {
        let m = snapshot.manifest
        let s = snapshot.stats
        var kinds: [(kind: String, bytes: Int)] = []
        for kind in IndexFileKind.allCases where ![.manifest, .deletions, .payload].contains(kind) {
            kinds.append((kind.fileExtension, snapshot.segments.reduce(0) { $0 + $1.fileBytes(kind) }))
        }
        let storedBytes = kinds.filter { [IndexFileKind.store.fileExtension, IndexFileKind.meta.fileExtension].contains($0.kind) }
            .reduce(0) { $0 + $1.bytes }
        directory = snapshot.directory
        generation = Int(m.generation)
        documents = s.documents
        deletedDocuments = m.segments.reduce(0) { $0 + $1.deleted }
        passages = s.passages
        termsSummedOverSegments = snapshot.termCountSum
        segments = m.segments.count
        bytes = snapshot.fileBytes
        bytesWithoutStoredText = bytes - storedBytes
        bytesByFile = kinds
        settings = m.settings
        averageTitleLength = s.documentsWithTitle > 0 ? Double(s.titleLengthSum) / Double(s.documentsWithTitle) : 0
        averageBodyLength = s.documentsWithBody > 0 ? Double(s.bodyLengthSum) / Double(s.documentsWithBody) : 0
    }
}
