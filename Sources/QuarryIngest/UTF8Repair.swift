/// Appends a Unicode scalar value as UTF-8.
@inline(__always)
func appendScalar(_ v: UInt32, to out: inout [UInt8]) {
    if v < 0x80 {
        out.append(UInt8(v))
    } else if v < 0x800 {
        out.append(UInt8(0xC0 | (v >> 6)))
        out.append(UInt8(0x80 | (v & 0x3F)))
    } else if v < 0x10000 {
        out.append(UInt8(0xE0 | (v >> 12)))
        out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
        out.append(UInt8(0x80 | (v & 0x3F)))
    } else {
        out.append(UInt8(0xF0 | (v >> 18)))
        out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
        out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
        out.append(UInt8(0x80 | (v & 0x3F)))
    }
}

/// Appends bytes that should be UTF-8, replacing each maximal ill-formed subsequence with
/// one U+FFFD (the Unicode standard's recommended practice, also what browsers and
/// Swift's decoder do); valid runs are copied as they are. Returns the number of
/// replacements.
@discardableResult
package func appendRepairingUTF8(_ bytes: UnsafeRawBufferPointer, into out: inout [UInt8]) -> Int {
    let n = bytes.count
    var i = 0
    var replaced = 0
    var runStart = 0
    while i < n {
        let b0 = bytes[i]
        if b0 < 0x80 {
            i += 1
            continue
        }
        // Expected length and the allowed range of the second byte.
        var len = 0
        var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: len = 2
        case 0xE0: len = 3; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: len = 3
        case 0xED: len = 3; hi = 0x9F
        case 0xF0: len = 4; lo = 0x90
        case 0xF1...0xF3: len = 4
        case 0xF4: len = 4; hi = 0x8F
        default: len = 0
        }
        // Length of the valid prefix.
        var k = 1
        if len > 0 {
            while k < len && i + k < n {
                let b = bytes[i + k]
                let ok = k == 1 ? (b >= lo && b <= hi) : (b & 0xC0 == 0x80)
                if !ok { break }
                k += 1
            }
        }
        if len > 0 && k == len {
            i += len
            continue
        }
        if i > runStart { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<i])) }
        out.append(contentsOf: [0xEF, 0xBF, 0xBD])
        replaced += 1
        i += k
        runStart = i
    }
    if n > runStart { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<n])) }
    return replaced
}
