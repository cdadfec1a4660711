import QuarryCore
import QuarryDocument

// Decoders to UTF-8: windows-1252, UTF-16 and, for everything else, the system's iconv.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension Charset {
    // MARK: - windows-1252

    /// Code points of windows-1252 bytes 0x80–0x9F (the rest is Latin-1); undefined bytes map
    /// to the C1 control of the same value, as in the Encoding Standard.
    private static let windows1252High: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    static func decodeWindows1252(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + bytes.count / 8 + 16)
        let table = windows1252High
        for b in bytes {
            if b < 0x80 {
                out.append(b)
            } else if b < 0xA0 {
                appendScalar(UInt32(table[Int(b) - 0x80]), to: &out)
            } else {
                out.append(0xC0 | (b >> 6))
                out.append(0x80 | (b & 0x3F))
            }
        }
        return out
    }

    // MARK: - UTF-16

    static func decodeUTF16(_ bytes: UnsafeRawBufferPointer, bigEndian: Bool) -> (utf8: [UInt8], invalidSequences: Int) {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + 16)
        var invalid = 0
        let units = bytes.count / 2
        @inline(__always) func unit(_ k: Int) -> UInt32 {
            let a = UInt32(bytes[2 * k])
            let b = UInt32(bytes[2 * k + 1])
            return bigEndian ? (a << 8 | b) : (b << 8 | a)
        }
        var k = 0
        while k < units {
            let u = unit(k)
            k += 1
            if u < 0xD800 || u > 0xDFFF {
                appendScalar(u, to: &out)
            } else if u <= 0xDBFF, k < units, case let v = unit(k), v >= 0xDC00 && v <= 0xDFFF {
                k += 1
                appendScalar(0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00), to: &out)
            } else {
                invalid += 1
                appendScalar(0xFFFD, to: &out)
            }
        }
        if bytes.count % 2 != 0 {
            invalid += 1
            appendScalar(0xFFFD, to: &out)
        }
        return (out, invalid)
    }

    // MARK: - iconv

    @inline(__always) static func isInvalidIconv(_ cd: iconv_t?) -> Bool {
        guard let cd else { return true }
        return Int(bitPattern: cd) == -1
    }

    /// Converts with iconv; nil if iconv cannot open the conversion. Each invalid or
    /// incomplete input sequence becomes one U+FFFD.
    static func decodeWithIconv(_ bytes: UnsafeRawBufferPointer, from name: String) -> (utf8: [UInt8], invalidSequences: Int)? {
        let cd = iconv_open("UTF-8", name)
        if isInvalidIconv(cd) { return nil }
        defer { iconv_close(cd) }
        var out = [UInt8](repeating: 0, count: max(64, bytes.count * 2 + 16))
        var used = 0
        var invalid = 0
        guard let base = bytes.baseAddress, bytes.count > 0 else { return ([], 0) }
        var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: CChar.self))
        var inLeft = bytes.count
        var flushing = false
        while true {
            var failure: Int32 = 0
            let ok: Bool = out.withUnsafeMutableBytes { buffer in
                guard let outBase = buffer.baseAddress else { return false }
                var outPtr: UnsafeMutablePointer<CChar>? = (outBase + used).assumingMemoryBound(to: CChar.self)
                var outLeft = buffer.count - used
                let r: Int
                if flushing {
                    r = iconv(cd, nil, nil, &outPtr, &outLeft)
                } else {
                    r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                }
                failure = r == -1 ? errno : 0
                used = buffer.count - outLeft
                return r != -1
            }
            if ok {
                if flushing { break }
                flushing = true
                continue
            }
            if failure == E2BIG || out.count - used < 8 {
                out.append(contentsOf: repeatElement(0, count: out.count))
                if failure == E2BIG { continue }
            }
            if flushing { break }  // cannot flush: give up on the shift sequence
            if failure == EILSEQ || failure == EINVAL {
                // Invalid (or, at the end, incomplete) input: U+FFFD and skip one byte.
                invalid += 1
                out[used] = 0xEF
                out[used + 1] = 0xBF
                out[used + 2] = 0xBD
                used += 3
                if failure == EINVAL {
                    inLeft = 0
                } else {
                    inPtr = inPtr.map { $0 + 1 }
                    inLeft -= 1
                }
                if inLeft == 0 { flushing = true }
                continue
            }
            break  // unexpected error: keep what was converted
        }
        out.removeSubrange(used...)
        return (out, invalid)
    }
}
