import QuarryCore
import QuarryDocument

extension Charset {
    struct UTF8Scan: Equatable {
        /// Offset of the first byte of the first invalid sequence, nil if all valid.
        var firstInvalid: Int?
        /// Whether a NUL byte was seen (before the first invalid sequence, if any).
        var hasNUL: Bool
    }

    /// Validates UTF-8 and notes NUL bytes.
    static func scanUTF8(_ bytes: UnsafeRawBufferPointer) -> UTF8Scan {
        guard let base = bytes.baseAddress else { return UTF8Scan(firstInvalid: nil, hasNUL: false) }
        var hasNUL = false
        let first = UTF8Validation.firstInvalid(base.assumingMemoryBound(to: UInt8.self), count: bytes.count, hasNUL: &hasNUL)
        return UTF8Scan(firstInvalid: first, hasNUL: hasNUL)
    }

    /// Replaces each maximal invalid subsequence with U+FFFD (the Unicode/WHATWG practice).
    static func repairUTF8(_ bytes: UnsafeRawBufferPointer) -> (utf8: [UInt8], invalidSequences: Int) {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + 16)
        let replaced = appendRepairingUTF8(bytes, into: &out)
        return (out, replaced)
    }

    /// Removes NUL bytes in place; returns how many there were.
    static func removeNULs(_ bytes: inout [UInt8]) -> Int {
        guard bytes.contains(0) else { return 0 }
        let before = bytes.count
        bytes.removeAll { $0 == 0 }
        return before - bytes.count
    }
}
