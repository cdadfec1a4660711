/// A growable little-endian byte buffer used to build index files and records in memory.
package struct ByteWriter: Sendable {
    /// The bytes written so far.
    package private(set) var bytes: [UInt8]

    package init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    package var count: Int { bytes.count }

    package mutating func removeAll(keepingCapacity: Bool = true) {
        bytes.removeAll(keepingCapacity: keepingCapacity)
    }

    @inline(__always) package mutating func u8(_ v: UInt8) { bytes.append(v) }

    @inline(__always) package mutating func u16(_ v: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: v))
        bytes.append(UInt8(truncatingIfNeeded: v >> 8))
    }

    @inline(__always) package mutating func u32(_ v: UInt32) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    @inline(__always) package mutating func u64(_ v: UInt64) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    @inline(__always) package mutating func f64(_ v: Double) { u64(v.bitPattern) }

    /// Unsigned LEB128: 7 bits per byte, low bits first, high bit set on all but the last byte.
    @inline(__always) package mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    @inline(__always) package mutating func varint(_ value: Int) { varint(UInt64(value)) }
    @inline(__always) package mutating func varint(_ value: UInt32) { varint(UInt64(value)) }

    /// A varint length followed by the bytes.
    package mutating func lengthPrefixed(_ data: some Collection<UInt8>) {
        varint(data.count)
        bytes.append(contentsOf: data)
    }

    /// A varint length followed by the UTF-8 bytes of the string.
    package mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { lengthPrefixed($0) }
    }

    package mutating func append(_ data: some Sequence<UInt8>) { bytes.append(contentsOf: data) }

    package mutating func append(_ data: UnsafeRawBufferPointer) { bytes.append(contentsOf: data) }

    /// Pads with zero bytes up to a multiple of `alignment`.
    package mutating func align(to alignment: Int) {
        while bytes.count % alignment != 0 { bytes.append(0) }
    }

    /// Replaces `reserved` placeholder bytes at `offset` by the varint of `value` (moving
    /// the bytes after them when the varint is shorter or longer).
    package mutating func replaceVarintPrefix(at offset: Int, reserved: Int, value: Int) {
        var v = ByteWriter(capacity: 10)
        v.varint(value)
        bytes.replaceSubrange(offset..<(offset + reserved), with: v.bytes)
    }

    /// Overwrites bytes at `offset`.
    package mutating func patchBytes(at offset: Int, _ values: [UInt8]) {
        for (i, v) in values.enumerated() { bytes[offset + i] = v }
    }

    /// Overwrites 4 bytes at `offset` (used to patch offsets written before their value was known).
    package mutating func patchU32(at offset: Int, _ v: UInt32) {
        var le = v.littleEndian
        withUnsafeBytes(of: &le) { src in
            for i in 0..<4 { bytes[offset + i] = src[i] }
        }
    }

    package mutating func patchU64(at offset: Int, _ v: UInt64) {
        var le = v.littleEndian
        withUnsafeBytes(of: &le) { src in
            for i in 0..<8 { bytes[offset + i] = src[i] }
        }
    }
}

/// Number of bytes `ByteWriter.varint` uses for a value.
@inline(__always) package func varintSize(_ value: UInt64) -> Int {
    var v = value
    var n = 1
    while v >= 0x80 {
        v >>= 7
        n += 1
    }
    return n
}
