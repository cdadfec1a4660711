// UTF-8 validation, written once. Everything that checks, counts or repairs UTF-8 in Quarry
// (charset detection, decoding, HTML preparation, JSON strings) goes through
// `UTF8Validation.sequence(at:)`, which follows the Unicode standard's well-formed byte
// sequences table (no overlongs, no surrogates, nothing above U+10FFFF) and its "maximal
// subpart" rule for how many bytes one U+FFFD replaces.

/// The one UTF-8 validator.
package enum UTF8Validation {
    /// The sequence starting at `p[i]` (`i < n`): its length and whether it is well-formed.
    /// For an ill-formed sequence the length is that of its maximal subpart (at least 1): the
    /// bytes one U+FFFD replaces, as the Unicode standard recommends and browsers and Swift do.
    @inline(__always)
    package static func sequence(at i: Int, in p: UnsafePointer<UInt8>, count n: Int) -> (length: Int, valid: Bool) {
        let b0 = p[i]
        if b0 < 0x80 { return (1, true) }
        var length = 0
        var lo: UInt8 = 0x80
        var hi: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            hi = 0x9F
        case 0xF0:
            length = 4
            lo = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            hi = 0x8F
        default: return (1, false)
        }
        var k = 1
        while k < length && i + k < n {
            let b = p[i + k]
            let ok = k == 1 ? (b >= lo && b <= hi) : (b & 0xC0 == 0x80)
            if !ok { break }
            k += 1
        }
        return k == length ? (length, true) : (k, false)
    }

    /// Offset of the first ill-formed sequence at or after `start`, nil if there is none.
    /// Sets `hasNUL` when a NUL byte is seen before that point.
    package static func firstInvalid(_ p: UnsafePointer<UInt8>, count n: Int, from start: Int = 0, hasNUL: inout Bool) -> Int? {
        var i = start
        while i < n {
            // ASCII fast path, eight bytes at a time.
            while i + 8 <= n {
                let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                if w & 0x8080_8080_8080_8080 != 0 { break }
                if (w &- 0x0101_0101_0101_0101) & ~w & 0x8080_8080_8080_8080 != 0 { hasNUL = true }
                i += 8
            }
            guard i < n else { break }
            if p[i] == 0 { hasNUL = true }
            let (length, valid) = sequence(at: i, in: p, count: n)
            if !valid { return i }
            i += length
        }
        return nil
    }

    /// How much of `bytes` is well-formed multi-byte UTF-8 and how much is not.
    package struct Census: Equatable {
        /// Well-formed sequences of 2 to 4 bytes (non-ASCII characters).
        package var multiByte = 0
        /// Ill-formed sequences (each one U+FFFD when decoded as UTF-8).
        package var invalid = 0
        package var firstInvalid: Int?

        package init(multiByte: Int = 0, invalid: Int = 0, firstInvalid: Int? = nil) {
            self.multiByte = multiByte
            self.invalid = invalid
            self.firstInvalid = firstInvalid
        }
    }

    package static func census(_ bytes: UnsafeRawBufferPointer) -> Census {
        var census = Census()
        guard let base = bytes.baseAddress else { return census }
        let p = base.assumingMemoryBound(to: UInt8.self)
        let n = bytes.count
        var i = 0
        while i < n {
            while i + 8 <= n, UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
            }
            guard i < n else { break }
            let (length, valid) = sequence(at: i, in: p, count: n)
            if valid {
                if length > 1 { census.multiByte += 1 }
            } else {
                census.invalid += 1
                if census.firstInvalid == nil { census.firstInvalid = i }
            }
            i += length
        }
        return census
    }
}

/// Appends bytes that should be UTF-8, replacing each maximal ill-formed subsequence with
/// one U+FFFD; valid runs are copied as they are. Returns the number of replacements.
@discardableResult
package func appendRepairingUTF8(_ bytes: UnsafeRawBufferPointer, into out: inout [UInt8]) -> Int {
    guard let base = bytes.baseAddress else { return 0 }
    let p = base.assumingMemoryBound(to: UInt8.self)
    let n = bytes.count
    var replaced = 0
    var runStart = 0
    var ignoredNUL = false
    while runStart < n, let bad = UTF8Validation.firstInvalid(p, count: n, from: runStart, hasNUL: &ignoredNUL) {
        if bad > runStart { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<bad])) }
        out.append(contentsOf: [0xEF, 0xBF, 0xBD])
        replaced += 1
        runStart = bad + UTF8Validation.sequence(at: bad, in: p, count: n).length
    }
    if n > runStart { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<n])) }
    return replaced
}

/// Appends a Unicode scalar value as UTF-8.
@inline(__always)
package func appendScalar(_ v: UInt32, to out: inout [UInt8]) {
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
