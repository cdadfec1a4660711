/// The dates of a segment's documents (`.sum`'s date column) for tight loops: seconds
/// since 1970 (UTC), `DateColumn.none` for a document without a date. Valid while its
/// segment reader is.
///
/// Public only so that its `@inlinable` members inline into other modules of the package
/// (Swift 6.3 does not inline `@inlinable` members of package-level types across modules);
/// none of it is usable outside the package.
public struct DateColumn: @unchecked Sendable {
    // @unchecked: a pointer into an immutable mapped file owned by the segment reader.
    @usableFromInline let dates: UnsafeRawPointer

    init(dates: UnsafeRawPointer) {
        self.dates = dates
    }

    /// "No date".
    @inlinable package static var none: Int64 { Int64.min }

    /// The date of `doc` (< the segment's document count), or `none`.
    @inlinable @inline(__always) package func date(_ doc: Int) -> Int64 {
        Int64(bitPattern: UInt64(littleEndian: dates.loadUnaligned(fromByteOffset: doc * 8, as: UInt64.self)))
    }
}
