import QuarryCore

/// Varint reads that inline into this module's hot loops (dictionary lookups, block
/// impacts): `ByteReader`'s own methods live in QuarryCore and are calls from here. The
/// common one- and two-byte values are read in place; anything longer, or too close to the
/// end of the data, goes through the reader's checked `varint()`, so a damaged file is the
/// same `FormatError` as before.
extension ByteReader {
    @inline(__always)
    mutating func shortVarint() throws(FormatError) -> UInt64 {
        let p = position, data = base
        if p + 1 < data.count {
            let b0 = data[p]
            if b0 < 0x80 {
                position = p + 1
                return UInt64(b0)
            }
            let b1 = data[p + 1]
            if b1 < 0x80 {
                position = p + 2
                return UInt64(b0 & 0x7F) | UInt64(b1) << 7
            }
        }
        return try varint()
    }

    /// A varint that must not exceed `limit` (as `count(limit:_:)`).
    @inline(__always)
    mutating func shortCount(limit: Int, _ what: @autoclosure () -> String) throws(FormatError) -> Int {
        let start = position
        let v = try shortVarint()
        guard limit >= 0, v <= UInt64(limit) else { throw error("\(what()) \(v) exceeds its limit \(limit)", at: start) }
        return Int(v)
    }

    /// A varint length and that many bytes (as `lengthPrefixed()`).
    @inline(__always)
    mutating func shortLengthPrefixed() throws(FormatError) -> UnsafeRawBufferPointer {
        let n = try shortCount(limit: base.count - position, "length")
        try need(n)
        let slice = UnsafeRawBufferPointer(rebasing: base[position..<(position + n)])
        position += n
        return slice
    }
}
