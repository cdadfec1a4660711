import QuarryDocument

/// What the writer accepts of one document, so that any single document costs bounded memory
/// and time, and an id can be printed as a line of a result or a TREC run:
///
/// - an id is 1 to 4096 bytes with no control character (C0, DEL, C1, U+2028, U+2029):
///   such a document is refused with an issue naming it. Spaces are allowed (file paths
///   have them); TREC output percent-encodes them.
/// - a body longer than `WriterOptions.maxDocumentBytes` (default and most 16 MiB) is cut at
///   the last character boundary before it, with a warning; the text extractors stop
///   collecting text at the same 16 MiB.
package enum DocumentLimits {
    package static let maxIDBytes = 4096
    /// The largest body the writer indexes (and what `TextBuilder` collects at most).
    package static let maxBodyBytes = TextBuilder.maxBytes

    /// Why an id cannot be indexed, or nil when it can.
    package static func idProblem(_ id: String) -> String? {
        let n = id.utf8.count
        if n == 0 { return "the document id is empty" }
        if n > maxIDBytes { return "the document id is \(n) bytes long (at most \(maxIDBytes))" }
        if let c = id.unicodeScalars.first(where: { isControl($0.value) }) {
            let hex = String(c.value, radix: 16, uppercase: true)
            return
                "the document id contains a control character (U+\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex)); ids are printed as lines of results and runs, so it is refused (rename the file, or fix the _id)"
        }
        return nil
    }

    static func isControl(_ v: UInt32) -> Bool {
        v < 0x20 || (v >= 0x7F && v <= 0x9F) || v == 0x2028 || v == 0x2029
    }

    /// The article with its body cut to at most `maxBytes` bytes (at a character boundary;
    /// blocks past the cut dropped, the block it falls in shortened), or nil when it fits.
    package static func truncated(_ a: Article, maxBytes: Int) -> Article? {
        let n = a.body.utf8.count
        guard n > maxBytes else { return nil }
        var cut = max(0, maxBytes)
        let bytes = a.body.utf8
        while cut > 0 && cut < n && bytes[bytes.index(bytes.startIndex, offsetBy: cut)] & 0xC0 == 0x80 { cut -= 1 }
        let body = String(decoding: bytes.prefix(cut), as: UTF8.self)
        var blocks: [TextBlock] = []
        for b in a.blocks where b.start < cut {
            var block = b
            block.end = min(b.end, cut)
            blocks.append(block)
        }
        return Article(id: a.id, path: a.path, title: a.title, body: body, blocks: blocks)
    }
}
