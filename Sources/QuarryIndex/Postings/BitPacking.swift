import QuarryCore

/// Fixed-width bit packing of blocks of 128 unsigned integers (LSB first), the core of
/// the postings format. A packed block of width w takes 16·w bytes.
package enum BitPacking {
    package static let blockSize = 128

    /// Bits needed for the largest value.
    @inline(__always)
    package static func bitWidth(_ values: UnsafeBufferPointer<UInt32>) -> Int {
        var or: UInt32 = 0
        for v in values { or |= v }
        return or == 0 ? 0 : 32 - or.leadingZeroBitCount
    }

    /// Appends 128 values packed at `width` bits (16·width bytes).
    package static func pack(_ values: UnsafeBufferPointer<UInt32>, width: Int, into out: inout [UInt8]) {
        var buffer = RawBuffer<UInt8>(capacity: 16 * width + 8)
        defer { buffer.free() }
        pack(values, width: width, into: &buffer)
        out.append(contentsOf: UnsafeBufferPointer(buffer.elements))
    }

    /// Appends 128 values packed at `width` bits (16·width bytes).
    static func pack(_ values: UnsafeBufferPointer<UInt32>, width: Int, into out: inout RawBuffer<UInt8>) {
        if width == 0 { return }
        let start = out.count
        out.append(repeating: 0, count: 16 * width)
        let base = out.base + start
        var acc: UInt64 = 0
        var bits = 0
        var o = 0
        for v in values {
            acc |= UInt64(v) << UInt64(bits)
            bits += width
            while bits >= 8 {
                base[o] = UInt8(truncatingIfNeeded: acc)
                o += 1
                acc >>= 8
                bits -= 8
            }
        }
    }

    /// Unpacks 128 values of `width` bits from `source` (which must have 16·width bytes and
    /// at least 8 readable bytes after them; index files guarantee it with their footer).
    @inline(__always)
    package static func unpack(_ source: UnsafeRawPointer, width: Int, into out: UnsafeMutablePointer<UInt32>) {
        if width == 0 {
            out.update(repeating: 0, count: blockSize)
            return
        }
        let mask: UInt64 = (1 << UInt64(width)) - 1
        var bit = 0
        for i in 0..<blockSize {
            let word = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: bit >> 3, as: UInt64.self))
            out[i] = UInt32(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
            bit += width
        }
    }
}
