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
    package static func unpack(_ source: UnsafeRawPointer, width: Int, into out: UnsafeMutablePointer<UInt32>) {
        // One copy of the loop per width, so that shifts and masks are constants.
        switch width {
        case 0: out.update(repeating: 0, count: blockSize)
        case 1: unpack(source, 1, out)
        case 2: unpack(source, 2, out)
        case 3: unpack(source, 3, out)
        case 4: unpack(source, 4, out)
        case 5: unpack(source, 5, out)
        case 6: unpack(source, 6, out)
        case 7: unpack(source, 7, out)
        case 8: unpack(source, 8, out)
        case 9: unpack(source, 9, out)
        case 10: unpack(source, 10, out)
        case 11: unpack(source, 11, out)
        case 12: unpack(source, 12, out)
        case 13: unpack(source, 13, out)
        case 14: unpack(source, 14, out)
        case 15: unpack(source, 15, out)
        case 16: unpack(source, 16, out)
        case 17: unpack(source, 17, out)
        case 18: unpack(source, 18, out)
        case 19: unpack(source, 19, out)
        case 20: unpack(source, 20, out)
        default: unpack(source, width, out)
        }
    }

    /// 128 values of `width` bits (≤ 32) in groups of 8, which take `width` bytes each: the
    /// offsets and shifts within a group are constants once `width` is, and the loop over a
    /// group unrolls. Reads up to 8 bytes past the packed data (see `unpack`).
    @inline(__always)
    private static func unpack(_ source: UnsafeRawPointer, _ width: Int, _ out: UnsafeMutablePointer<UInt32>) {
        let mask: UInt64 = (1 << UInt64(width)) - 1
        for g in 0..<(blockSize / 8) {
            let at = source + g * width
            let o = out + g * 8
            for j in 0..<8 {
                let bit = j * width
                let word = UInt64(littleEndian: at.loadUnaligned(fromByteOffset: bit >> 3, as: UInt64.self))
                o[j] = UInt32(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
            }
        }
    }
}
