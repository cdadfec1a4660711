/// A malformed JSON line: what was wrong and at which byte of the line (0-based).
package struct JSONLineError: Error, Sendable, Equatable, CustomStringConvertible {
    package var column: Int
    package var message: String
    package var description: String { "byte \(column + 1) of the line: \(message)" }

    package init(column: Int, message: String) {
        self.column = column
        self.message = message
    }
}

/// A small, strict JSON reader for one line holding one object, tuned for BEIR corpora:
/// it extracts chosen string members and skips everything else without building values.
/// Strings are unescaped (\uXXXX with surrogate pairs) into valid UTF-8; invalid UTF-8 in
/// the input and lone surrogates become U+FFFD.
package struct JSONLineParser {
    private let bytes: UnsafeRawBufferPointer
    private var i = 0
    private static let maxDepth = 256

    package init(_ line: UnsafeRawBufferPointer) {
        bytes = line
    }

    /// Parses the object; `member(name, valueIsString)` is asked for each top-level member
    /// whether to keep it; kept string values are delivered to `value(name, utf8)`.
    /// Numbers are delivered as their text too (ids are sometimes numbers).
    package mutating func parseObject(
        keep: (UnsafeRawBufferPointer) -> Int?,
        value: (Int, UnsafeRawBufferPointer) -> Void
    ) throws(JSONLineError) {
        skipSpace()
        try expect(UInt8(ascii: "{"), "expected '{' at the start of a JSON object")
        skipSpace()
        var scratch: [UInt8] = []
        var keyBuffer: [UInt8] = []
        if peek() == UInt8(ascii: "}") {
            i += 1
        } else {
            while true {
                skipSpace()
                guard peek() == UInt8(ascii: "\"") else { throw fail("expected a member name in double quotes") }
                keyBuffer.removeAll(keepingCapacity: true)
                try readString(into: &keyBuffer)
                skipSpace()
                try expect(UInt8(ascii: ":"), "expected ':' after a member name")
                skipSpace()
                let slot = keyBuffer.withUnsafeBytes { keep($0) }
                if let slot {
                    let c = peek()
                    if c == UInt8(ascii: "\"") {
                        if let plain = plainString() {
                            value(slot, plain)  // no escapes: the bytes of the line itself
                        } else {
                            scratch.removeAll(keepingCapacity: true)
                            try readString(into: &scratch)
                            scratch.withUnsafeBytes { value(slot, $0) }
                        }
                    } else if c == UInt8(ascii: "-") || (c.map { $0 >= 0x30 && $0 <= 0x39 } ?? false) {
                        let start = i
                        try skipNumber()
                        value(slot, UnsafeRawBufferPointer(rebasing: bytes[start..<i]))
                    } else {
                        try skipValue(depth: 0)
                    }
                } else {
                    try skipValue(depth: 0)
                }
                skipSpace()
                guard let c = peek() else { throw fail("unexpected end of line inside an object") }
                i += 1
                if c == UInt8(ascii: "}") { break }
                if c != UInt8(ascii: ",") {
                    i -= 1
                    throw fail("expected ',' or '}' after a member")
                }
            }
        }
        skipSpace()
        if i < bytes.count { throw fail("unexpected text after the JSON object") }
    }

    @inline(__always) private func peek() -> UInt8? { i < bytes.count ? bytes[i] : nil }

    private func fail(_ message: String) -> JSONLineError { JSONLineError(column: i, message: message) }

    @inline(__always) private mutating func skipSpace() {
        while i < bytes.count {
            let c = bytes[i]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { i += 1 } else { break }
        }
    }

    private mutating func expect(_ c: UInt8, _ message: String) throws(JSONLineError) {
        guard peek() == c else { throw fail(message) }
        i += 1
    }

    /// A string without escapes or control characters, in valid UTF-8, starting at the
    /// opening quote: its bytes (a slice of the line), with the position moved past it.
    /// Nil (position unchanged) for any other string.
    private mutating func plainString() -> UnsafeRawBufferPointer? {
        let start = i + 1
        var j = start
        let n = bytes.count
        var ascii = true
        while j < n {
            let c = bytes[j]
            if c == UInt8(ascii: "\"") { break }
            if c == UInt8(ascii: "\\") || c < 0x20 { return nil }
            if c >= 0x80 { ascii = false }
            j += 1
        }
        guard j < n else { return nil }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[start..<j])
        if !ascii && String(validating: slice, as: UTF8.self) == nil { return nil }
        i = j + 1
        return slice
    }

    /// Reads a string starting at the opening quote, appending its unescaped UTF-8.
    private mutating func readString(into out: inout [UInt8]) throws(JSONLineError) {
        i += 1  // opening quote
        let n = bytes.count
        while true {
            // Copy a run of plain bytes.
            let runStart = i
            var allASCII = true
            while i < n {
                let c = bytes[i]
                if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c < 0x20 { break }
                if c >= 0x80 { allASCII = false }
                i += 1
            }
            if i > runStart {
                let run = UnsafeRawBufferPointer(rebasing: bytes[runStart..<i])
                if allASCII {
                    out.append(contentsOf: run)
                } else {
                    _ = appendRepairingUTF8(run, into: &out)
                }
            }
            guard i < n else { throw fail("unterminated string") }
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return
            }
            if c < 0x20 { throw fail("control character in a string (must be escaped)") }
            // Escape.
            i += 1
            guard i < n else { throw fail("unterminated escape") }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    // A high surrogate must be followed by \u and a low surrogate.
                    if i + 1 < n && bytes[i] == UInt8(ascii: "\\") && bytes[i + 1] == UInt8(ascii: "u") {
                        let save = i
                        i += 2
                        let low = try hex4()
                        if (0xDC00...0xDFFF).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            scalar = 0xFFFD
                            i = save
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    scalar = 0xFFFD
                }
                appendScalar(scalar, to: &out)
            default:
                i -= 1
                throw fail("invalid escape '\\\(Character(Unicode.Scalar(e)))'")
            }
        }
    }

    private mutating func hex4() throws(JSONLineError) -> UInt32 {
        guard i + 4 <= bytes.count else { throw fail("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[i]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw fail("invalid hex digit in \\u escape")
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }

    private mutating func skipNumber() throws(JSONLineError) {
        let start = i
        if peek() == UInt8(ascii: "-") { i += 1 }
        var digits = 0
        while let c = peek(),
            (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: ".") || c == UInt8(ascii: "e")
                || c == UInt8(ascii: "E") || c == UInt8(ascii: "+") || c == UInt8(ascii: "-")
        {
            if c >= 0x30 && c <= 0x39 { digits += 1 }
            i += 1
        }
        if digits == 0 {
            i = start
            throw fail("invalid number")
        }
    }

    private mutating func skipValue(depth: Int) throws(JSONLineError) {
        guard depth < JSONLineParser.maxDepth else { throw fail("nesting deeper than \(JSONLineParser.maxDepth)") }
        skipSpace()
        guard let c = peek() else { throw fail("expected a value") }
        switch c {
        case UInt8(ascii: "\""):
            var sink: [UInt8] = []
            try readString(into: &sink)
        case UInt8(ascii: "{"):
            i += 1
            skipSpace()
            if peek() == UInt8(ascii: "}") {
                i += 1
                return
            }
            while true {
                skipSpace()
                guard peek() == UInt8(ascii: "\"") else { throw fail("expected a member name in double quotes") }
                var sink: [UInt8] = []
                try readString(into: &sink)
                skipSpace()
                try expect(UInt8(ascii: ":"), "expected ':' after a member name")
                try skipValue(depth: depth + 1)
                skipSpace()
                guard let d = peek() else { throw fail("unexpected end of line inside an object") }
                i += 1
                if d == UInt8(ascii: "}") { return }
                if d != UInt8(ascii: ",") {
                    i -= 1
                    throw fail("expected ',' or '}'")
                }
            }
        case UInt8(ascii: "["):
            i += 1
            skipSpace()
            if peek() == UInt8(ascii: "]") {
                i += 1
                return
            }
            while true {
                try skipValue(depth: depth + 1)
                skipSpace()
                guard let d = peek() else { throw fail("unexpected end of line inside an array") }
                i += 1
                if d == UInt8(ascii: "]") { return }
                if d != UInt8(ascii: ",") {
                    i -= 1
                    throw fail("expected ',' or ']'")
                }
            }
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: try skipNumber()
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONLineError) {
        let n = word.utf8CodeUnitCount
        guard i + n <= bytes.count else { throw fail("invalid literal") }
        let p = word.utf8Start
        for k in 0..<n where bytes[i + k] != p[k] { throw fail("invalid literal") }
        i += n
    }
}
