import QuarryCore

/// Collection statistics of a segment (or of deleted documents, or of a whole snapshot).
/// BM25 needs them exact: a snapshot's statistics are the sums over its segments minus
/// what its deletions remove.
package struct CollectionStats: Sendable, Equatable {
    package var documents: Int = 0
    package var documentsWithTitle: Int = 0
    package var documentsWithBody: Int = 0
    /// Documents with at least one term in any field (the flat form's document count).
    package var documentsWithAny: Int = 0
    package var titleLengthSum: Int = 0
    package var bodyLengthSum: Int = 0
    package var passages: Int = 0
    package var passageLengthSum: Int = 0

    package init() {}

    package static func + (a: CollectionStats, b: CollectionStats) -> CollectionStats {
        var r = a
        r.documents += b.documents
        r.documentsWithTitle += b.documentsWithTitle
        r.documentsWithBody += b.documentsWithBody
        r.documentsWithAny += b.documentsWithAny
        r.titleLengthSum += b.titleLengthSum
        r.bodyLengthSum += b.bodyLengthSum
        r.passages += b.passages
        r.passageLengthSum += b.passageLengthSum
        return r
    }

    package static func - (a: CollectionStats, b: CollectionStats) -> CollectionStats {
        var r = a
        r.documents -= b.documents
        r.documentsWithTitle -= b.documentsWithTitle
        r.documentsWithBody -= b.documentsWithBody
        r.documentsWithAny -= b.documentsWithAny
        r.titleLengthSum -= b.titleLengthSum
        r.bodyLengthSum -= b.bodyLengthSum
        r.passages -= b.passages
        r.passageLengthSum -= b.passageLengthSum
        return r
    }

    /// Adds one document's contribution.
    mutating func add(titleLength: Int, bodyLength: Int, passages passageCount: Int, passageLength: Int) {
        documents += 1
        if titleLength > 0 { documentsWithTitle += 1 }
        if bodyLength > 0 { documentsWithBody += 1 }
        if titleLength + bodyLength > 0 { documentsWithAny += 1 }
        titleLengthSum += titleLength
        bodyLengthSum += bodyLength
        passages += passageCount
        passageLengthSum += passageLength
    }

    /// Eight u64 values, in declaration order.
    func encode(into w: inout ByteWriter) {
        for v in [
            documents, documentsWithTitle, documentsWithBody, documentsWithAny, titleLengthSum, bodyLengthSum, passages, passageLengthSum,
        ] {
            w.u64(UInt64(v))
        }
    }

    static func decode(_ r: inout ByteReader) throws(FormatError) -> CollectionStats {
        var s = CollectionStats()
        let start = r.position
        var values: [Int] = []
        for _ in 0..<8 {
            let v = try r.u64()
            guard v <= UInt64(Int64.max / 4) else { throw r.error("statistic out of range", at: start) }
            values.append(Int(v))
        }
        s.documents = values[0]
        s.documentsWithTitle = values[1]
        s.documentsWithBody = values[2]
        s.documentsWithAny = values[3]
        s.titleLengthSum = values[4]
        s.bodyLengthSum = values[5]
        s.passages = values[6]
        s.passageLengthSum = values[7]
        guard s.documentsWithTitle <= s.documents, s.documentsWithBody <= s.documents, s.documentsWithAny <= s.documents
        else { throw r.error("document counts are inconsistent", at: start) }
        return s
    }
}

/// Term-level statistics: what BM25 needs of one term.
package struct TermStats: Sendable, Equatable {
    package var df: Int = 0
    package var dfTitle: Int = 0
    package var dfBody: Int = 0
    package var passageDf: Int = 0

    package init(df: Int = 0, dfTitle: Int = 0, dfBody: Int = 0, passageDf: Int = 0) {
        self.df = df
        self.dfTitle = dfTitle
        self.dfBody = dfBody
        self.passageDf = passageDf
    }

    package static func + (a: TermStats, b: TermStats) -> TermStats {
        TermStats(df: a.df + b.df, dfTitle: a.dfTitle + b.dfTitle, dfBody: a.dfBody + b.dfBody, passageDf: a.passageDf + b.passageDf)
    }

    package static func - (a: TermStats, b: TermStats) -> TermStats {
        TermStats(df: a.df - b.df, dfTitle: a.dfTitle - b.dfTitle, dfBody: a.dfBody - b.dfBody, passageDf: a.passageDf - b.passageDf)
    }
}
