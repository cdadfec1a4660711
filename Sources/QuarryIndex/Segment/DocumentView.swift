/// What scoring loops read per document, as plain values that inline across modules: the
/// field lengths of `.len`, the deletion bitmap (nil when nothing is deleted) and the
/// search's filters (a date range, ids with a prefix). Valid
/// while its segment reader is.
///
/// Public only so that its `@inlinable` members inline into other modules of the package
/// (Swift 6.3 does not inline `@inlinable` members of package-level types across modules);
/// none of it is usable outside the package.
public struct DocumentView: @unchecked Sendable {
    // @unchecked: pointers into immutable mapped files owned by the segment reader.
    @usableFromInline let title: UnsafeRawPointer?
    @usableFromInline let body: UnsafeRawPointer?
    @usableFromInline let titleWidth: Int
    @usableFromInline let bodyWidth: Int
    @usableFromInline let deleted: UnsafeRawPointer?
    /// With a date range: the range [after, before) and the date column (nil when no
    /// document of the segment has a date).
    @usableFromInline var hasRange = false
    @usableFromInline var dates: UnsafeRawPointer? = nil
    @usableFromInline var after = Int64.min
    @usableFromInline var before = Int64.max
    /// The id rank table (`.ids`); with an id filter, the admitted ranks.
    @usableFromInline let idRanks: UnsafeRawPointer?
    @usableFromInline var hasIDRange = false
    @usableFromInline var admittedRanks: Range<UInt32> = 0..<0

    init(lengths: LengthsReader, deleted: UnsafeRawPointer?, idRanks: UnsafeRawPointer?) {
        title = lengths.title
        body = lengths.body
        titleWidth = lengths.titleWidth
        bodyWidth = lengths.bodyWidth
        self.deleted = deleted
        self.idRanks = idRanks
    }

    /// The same view, excluding the documents whose id rank is outside `ranks` (the ids with
    /// a prefix: `SegmentReader.idRanks(withPrefix:)`).
    package func limited(toIDRanks ranks: Range<UInt32>) -> DocumentView {
        var v = self
        v.hasIDRange = idRanks != nil
        v.admittedRanks = ranks
        return v
    }

    /// The same view, excluding the documents whose date is not in [after, before) or that
    /// have none (`column` nil: no document of the segment has a date).
    package func limited(to column: DateColumn?, after: Int64?, before: Int64?) -> DocumentView {
        var v = self
        v.hasRange = true
        v.dates = column?.dates
        // Int64.min means "no date": never in a range.
        v.after = max(after ?? Int64.min, Int64.min + 1)
        v.before = before ?? Int64.max
        return v
    }

    /// True when the segment has deleted documents.
    @inlinable package var hasDeletions: Bool { deleted != nil }
    /// True when documents are limited to a date range.
    @inlinable package var hasDateRange: Bool { hasRange }
    /// True when documents are limited to a date range or to ids with a prefix.
    @inlinable package var hasFilter: Bool { hasRange || hasIDRange }

    /// True when the document is in the date range and has an admitted id (always, without
    /// filters).
    @inlinable @inline(__always) package func admits(_ doc: Int) -> Bool {
        inDateRange(doc) && inIDRange(doc)
    }

    /// True when the document's id has the filter's prefix (always, without one).
    @inlinable @inline(__always) package func inIDRange(_ doc: Int) -> Bool {
        guard hasIDRange, let idRanks else { return true }
        return admittedRanks.contains(UInt32(littleEndian: idRanks.loadUnaligned(fromByteOffset: doc * 4, as: UInt32.self)))
    }

    /// True when the document is in the date range (always, without one).
    @inlinable @inline(__always) package func inDateRange(_ doc: Int) -> Bool {
        guard hasRange else { return true }
        guard let dates else { return false }
        let d = Int64(bitPattern: UInt64(littleEndian: dates.loadUnaligned(fromByteOffset: doc * 8, as: UInt64.self)))
        return d >= after && d < before
    }

    /// True when the document is deleted, outside the date range or without the id prefix.
    @inlinable @inline(__always) package func isExcluded(_ doc: Int) -> Bool {
        isDeleted(doc) || !inDateRange(doc) || !inIDRange(doc)
    }

    @inlinable @inline(__always) package func isDeleted(_ doc: Int) -> Bool {
        guard let deleted else { return false }
        let word = UInt64(littleEndian: deleted.loadUnaligned(fromByteOffset: (doc >> 6) * 8, as: UInt64.self))
        return word & (1 << UInt64(doc & 63)) != 0
    }

    @inlinable @inline(__always) static func read(_ p: UnsafeRawPointer?, _ width: Int, _ doc: Int) -> UInt32 {
        guard let p else { return 0 }
        switch width {
        case 1: return UInt32(p.load(fromByteOffset: doc, as: UInt8.self))
        case 2: return UInt32(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: doc * 2, as: UInt16.self)))
        default: return UInt32(littleEndian: p.loadUnaligned(fromByteOffset: doc * 4, as: UInt32.self))
        }
    }

    /// Title length (terms) of `doc` (< the segment's document count).
    @inlinable @inline(__always) package func titleLength(_ doc: Int) -> UInt32 { DocumentView.read(title, titleWidth, doc) }
    /// Body length (terms) of `doc`.
    @inlinable @inline(__always) package func bodyLength(_ doc: Int) -> UInt32 { DocumentView.read(body, bodyWidth, doc) }
}
