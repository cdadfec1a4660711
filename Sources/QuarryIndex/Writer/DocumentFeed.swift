import QuarryDocument

/// Where the documents of a parallel indexing run come from: `itemCount` units of work,
/// each producing zero or more documents. Items are produced concurrently by the writer's
/// threads, each item once; the documents of one item are handed over in order.
///
/// The index knows nothing about where documents come from beyond an *origin* per
/// document: an opaque name (the collection layer uses the source file's absolute path)
/// that `IndexWriter.delete(origins:)` can later remove all documents of.
package protocol DocumentFeed: Sendable {
    /// Units of work.
    var itemCount: Int { get }
    /// Bytes of all items, for progress (0 when unknown).
    var totalBytes: Int { get }
    /// Produces the documents of item `item`, handing each to `emit` with its origin.
    /// Returns the bytes of input the item covered (for progress). A problem with the
    /// item's input is the feed's to record; throwing stops the whole run.
    func produce(item: Int, emit: (Article, String) throws -> Void) throws -> Int
}

/// Documents given in memory: chunks of 256 per item, each document's origin its path.
package struct ArticleFeed: DocumentFeed {
    let articles: [Article]
    static let chunk = 256

    package init(_ articles: [Article]) {
        self.articles = articles
    }

    package var itemCount: Int { (articles.count + ArticleFeed.chunk - 1) / ArticleFeed.chunk }
    package var totalBytes: Int { 0 }

    package func produce(item: Int, emit: (Article, String) throws -> Void) throws -> Int {
        let start = item * ArticleFeed.chunk
        for a in articles[start..<min(articles.count, start + ArticleFeed.chunk)] { try emit(a, a.path) }
        return 0
    }
}

/// Progress of an indexing run.
public struct IndexingProgress: Sendable {
    /// Work items done and in all (files, or chunks of JSON lines).
    public var itemsDone: Int
    public var itemsTotal: Int
    /// Bytes of input done and in all (0 when unknown).
    public var bytesDone: Int
    public var bytesTotal: Int
    /// Documents added so far.
    public var documents: Int

    package init(itemsDone: Int, itemsTotal: Int, bytesDone: Int, bytesTotal: Int, documents: Int) {
        self.itemsDone = itemsDone
        self.itemsTotal = itemsTotal
        self.bytesDone = bytesDone
        self.bytesTotal = bytesTotal
        self.documents = documents
    }
}
