/// A bounds-checked little-endian reader over bytes that came from disk (usually a
/// memory-mapped file). Every read checks its bounds and throws `FormatError` with the byte
/// offset, so damaged or foreign input is an error, never a crash.
package struct ByteReader {
    package let base: UnsafeRawBufferPointer
    /// Absolute position of `base[0]` within the file, for error messages.
    package let fileOffset: Int
    /// Current read position within `base`.
    package var position: Int
    /// What is being read (a file name), for error messages.
    package let context: String

    package init(_ base: UnsafeRawBufferPointer, fileOffset: Int = 0, context: String) {
        self.base = base
        self.fileOffset = fileOffset
        self.position = 0
        self.context = context
    }

    package var remaining: Int { base.count - position }
    package var isAtEnd: Bool { position >= base.count }

    package func error(_ message: String, at pos: Int? = nil) -> FormatError {
        FormatError(file: context, offset: fileOffset + (pos ?? position), message: message)
    }

    @inline(__always) package mutating func need(_ n: Int) throws(FormatError) {
        if n < 0 || n > base.count - position { throw error("unexpected end of data (needed \(n) bytes)") }
    }

    @inline(__always) package mutating func u8() throws(FormatError) -> UInt8 {
        try need(1)
        let v = base[position]
        position += 1
        return v
    }

    @inline(__always) package mutating func u16() throws(FormatError) -> UInt16 {
        try need(2)
        let v = base.loadUnaligned(fromByteOffset: position, as: UInt16.self)
        position += 2
        return UInt16(littleEndian: v)
    }

    @inline(__always) package mutating func u32() throws(FormatError) -> UInt32 {
        try need(4)
        let v = base.loadUnaligned(fromByteOffset: position, as: UInt32.self)
        position += 4
        return UInt32(littleEndian: v)
    }

    @inline(__always) package mutating func u64() throws(FormatError) -> UInt64 {
        try need(8)
        let v = base.loadUnaligned(fromByteOffset: position, as: UInt64.self)
        position += 8
        return UInt64(littleEndian: v)
    }

    @inline(__always) package mutating func f64() throws(FormatError) -> Double {
        Double(bitPattern: try u64())
    }

    /// Unsigned LEB128 (at most 10 bytes).
    @inline(__always) package mutating func varint() throws(FormatError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < base.count else { throw error("unexpected end of data in a varint") }
            let b = base[position]
            position += 1
            if shift == 63 && b > 1 { throw error("varint overflows 64 bits", at: position - 1) }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
            if shift > 63 { throw error("varint longer than 10 bytes", at: position - 1) }
        }
    }

    /// A varint that must fit an `Int` no larger than `limit`.
    @inline(__always) package mutating func count(limit: Int = Int(Int32.max), _ what: String = "count") throws(FormatError) -> Int {
        let start = position
        let v = try varint()
        guard v <= UInt64(limit) else { throw error("\(what) \(v) exceeds its limit \(limit)", at: start) }
        return Int(v)
    }

    package mutating func bytes(_ n: Int) throws(FormatError) -> UnsafeRawBufferPointer {
        try need(n)
        let slice = UnsafeRawBufferPointer(rebasing: base[position..<(position + n)])
        position += n
        return slice
    }

    /// A varint length followed by that many bytes.
    package mutating func lengthPrefixed() throws(FormatError) -> UnsafeRawBufferPointer {
        let n = try count(limit: remaining, "length")
        return try bytes(n)
    }

    /// A varint length followed by UTF-8 bytes (invalid UTF-8 is repaired, not trusted).
    package mutating func string() throws(FormatError) -> String {
        String(decoding: try lengthPrefixed(), as: UTF8.self)
    }

    /// Moves past `count` varints without decoding them: each ends at a byte below 0x80.
    package mutating func skipVarints(_ count: Int) throws(FormatError) {
        var left = count
        var p = position
        let end = base.count
        // Eight bytes at a time while a whole word ends fewer varints than are left: a
        // varint ends at each byte below 0x80.
        if let start = base.baseAddress {
            while left > 8 && p + 8 <= end {
                let word = UInt64(littleEndian: (start + p).loadUnaligned(as: UInt64.self))
                let ends = (~word & 0x8080_8080_8080_8080).nonzeroBitCount
                if ends >= left { break }
                left -= ends
                p += 8
            }
        }
        while left > 0 {
            guard p < end else { throw error("unexpected end of data in a varint") }
            if base[p] < 0x80 { left -= 1 }
            p += 1
        }
        position = p
    }

    package mutating func skip(_ n: Int) throws(FormatError) {
        try need(n)
        position += n
    }

    package mutating func seek(_ pos: Int) throws(FormatError) {
        guard pos >= 0 && pos <= base.count else { throw error("offset \(pos) is outside the data", at: 0) }
        position = pos
    }
}
