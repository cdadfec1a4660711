/// Converts UTF-8 byte offsets of a text into Unicode scalar (code point) offsets.
/// Cheap for ascending offsets; a smaller offset restarts the count.
package struct ScalarCounter {
    package let bytes: UnsafeRawBufferPointer
    private var byte = 0
    private var scalars = 0

    package init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Scalars in `bytes[0..<offset]`.
    package mutating func scalars(upTo offset: Int) -> Int {
        if offset < byte {
            byte = 0
            scalars = 0
        }
        let end = min(max(0, offset), bytes.count)
        while byte < end {
            if bytes[byte] & 0xC0 != 0x80 { scalars += 1 }
            byte += 1
        }
        return scalars
    }
}
