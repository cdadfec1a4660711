import QuarryCore
import QuarryDocument

// The WHATWG prescan: the charset a `<meta>` or XML declaration names in the first bytes of a page.

extension Charset {
    // MARK: - Prescan (WHATWG "prescan a byte stream to determine its encoding")

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0C || b == 0x0D
    }

    @inline(__always) static func lower(_ b: UInt8) -> UInt8 {
        (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b
    }

    @inline(__always) static func isLetter(_ b: UInt8) -> Bool {
        let l = b | 0x20
        return l >= 0x61 && l <= 0x7A
    }

    /// True if `bytes[at...]` starts with `lowercaseASCII`, compared ASCII case-insensitively.
    static func matches(_ bytes: UnsafeRawBufferPointer, at position: Int, _ lowercaseASCII: StaticString) -> Bool {
        let n = lowercaseASCII.utf8CodeUnitCount
        guard position >= 0, position + n <= bytes.count else { return false }
        let p = lowercaseASCII.utf8Start
        for i in 0..<n where lower(bytes[position + i]) != p[i] { return false }
        return true
    }

    /// The charset a `<meta>` tag in `head` declares (the first one whose label is known),
    /// and the first unknown label seen on the way.
    static func prescanMeta(_ head: UnsafeRawBufferPointer) -> (label: String?, unknownLabel: String?) {
        var position = 0
        let end = head.count
        var unknownLabel: String?
        while position < end {
            if matches(head, at: position, "<!--") {
                // A comment: up to the first "-->" whose dashes may overlap "<!--".
                var i = position + 2
                var found = false
                while i + 2 < end {
                    if head[i] == 0x2D && head[i + 1] == 0x2D && head[i + 2] == 0x3E {
                        position = i + 2
                        found = true
                        break
                    }
                    i += 1
                }
                if !found { break }
            } else if matches(head, at: position, "<meta"), position + 5 < end,
                isSpace(head[position + 5]) || head[position + 5] == 0x2F
            {
                position += 6
                var seen: Set<String> = []
                var gotPragma = false
                var needPragma: Bool?
                var charset: String?
                while let attribute = getAttribute(head, &position) {
                    if !seen.insert(attribute.name).inserted { continue }
                    switch attribute.name {
                    case "http-equiv":
                        if attribute.value == "content-type" { gotPragma = true }
                    case "content":
                        if charset == nil, let c = charsetFromContent(attribute.value) {
                            charset = c
                            needPragma = true
                        }
                    case "charset":
                        charset = attribute.value
                        needPragma = false
                    default:
                        break
                    }
                }
                if let needPragma, let charset, !(needPragma && !gotPragma) {
                    let label = trimmed(charset)
                    if TextEncoding(label: label) != nil { return (label, unknownLabel) }
                    if unknownLabel == nil { unknownLabel = label }
                }
                continue  // `position` already points past the tag's attributes
            } else if position + 1 < end, head[position] == 0x3C,
                isLetter(head[position + 1])
                    || (head[position + 1] == 0x2F && position + 2 < end && isLetter(head[position + 2]))
            {
                // A start or end tag: skip its name, then its attributes.
                position += 1
                while position < end && !isSpace(head[position]) && head[position] != 0x3E { position += 1 }
                while getAttribute(head, &position) != nil {}
            } else if position + 1 < end, head[position] == 0x3C,
                head[position + 1] == 0x21 || head[position + 1] == 0x2F || head[position + 1] == 0x3F
            {
                // "<!", "</" or "<?": skip to the next ">".
                while position < end && head[position] != 0x3E { position += 1 }
            }
            position += 1
        }
        return (nil, unknownLabel)
    }

    /// WHATWG "get an attribute": reads one attribute at `position` (lower-cased name and value)
    /// and advances past it; nil when there are no more (at ">" or the end of the bytes).
    static func getAttribute(_ head: UnsafeRawBufferPointer, _ position: inout Int) -> (name: String, value: String)? {
        let end = head.count
        while position < end && (isSpace(head[position]) || head[position] == 0x2F) { position += 1 }
        guard position < end, head[position] != 0x3E else { return nil }
        var name: [UInt8] = []
        var value: [UInt8] = []
        func result() -> (name: String, value: String) {
            (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
        }
        // Name.
        while true {
            guard position < end else { return nil }
            let b = head[position]
            if b == 0x3D && !name.isEmpty {
                position += 1
                break
            }
            if isSpace(b) {
                while position < end && isSpace(head[position]) { position += 1 }
                guard position < end else { return nil }
                if head[position] != 0x3D { return result() }
                position += 1
                break
            }
            if b == 0x2F || b == 0x3E { return result() }
            name.append(lower(b))
            position += 1
        }
        // Value.
        while position < end && isSpace(head[position]) { position += 1 }
        guard position < end else { return nil }
        let first = head[position]
        if first == 0x22 || first == 0x27 {
            position += 1
            while position < end {
                let b = head[position]
                position += 1
                if b == first { return result() }
                value.append(lower(b))
            }
            return nil
        }
        if first == 0x3E { return result() }
        while position < end {
            let b = head[position]
            if isSpace(b) || b == 0x3E { return result() }
            value.append(lower(b))
            position += 1
        }
        return nil
    }

    /// WHATWG "extract a character encoding from a meta element": the charset parameter of a
    /// Content-Type value ("text/html; charset=utf-8").
    static func charsetFromContent(_ content: String) -> String? {
        let s = Array(content.utf8)
        var position = 0
        while true {
            var found = -1
            var i = position
            while i + 7 <= s.count {
                if lower(s[i]) == 0x63 && lower(s[i + 1]) == 0x68 && lower(s[i + 2]) == 0x61 && lower(s[i + 3]) == 0x72
                    && lower(s[i + 4]) == 0x73 && lower(s[i + 5]) == 0x65 && lower(s[i + 6]) == 0x74
                {
                    found = i
                    break
                }
                i += 1
            }
            if found < 0 { return nil }
            position = found + 7
            while position < s.count && isSpace(s[position]) { position += 1 }
            if position < s.count && s[position] == 0x3D {
                position += 1
                break
            }
        }
        while position < s.count && isSpace(s[position]) { position += 1 }
        guard position < s.count else { return nil }
        let q = s[position]
        if q == 0x22 || q == 0x27 {
            guard let close = s[(position + 1)...].firstIndex(of: q) else { return nil }
            return String(decoding: s[(position + 1)..<close], as: UTF8.self)
        }
        var stop = position
        while stop < s.count && !isSpace(s[stop]) && s[stop] != 0x3B { stop += 1 }
        if stop == position { return nil }
        return String(decoding: s[position..<stop], as: UTF8.self)
    }

    /// The encoding of an XML declaration at the very start: `<?xml version="1.0" encoding="…"?>`.
    static func xmlDeclarationEncoding(_ head: UnsafeRawBufferPointer) -> String? {
        guard matches(head, at: 0, "<?xml"), head.count > 5, isSpace(head[5]) else { return nil }
        var stop = 6
        while stop + 1 < head.count && !(head[stop] == 0x3F && head[stop + 1] == 0x3E) { stop += 1 }
        guard stop + 1 < head.count else { return nil }
        var i = 6
        while i + 8 <= stop {
            if matches(head, at: i, "encoding") {
                var p = i + 8
                while p < stop && isSpace(head[p]) { p += 1 }
                guard p < stop, head[p] == 0x3D else {
                    i += 8
                    continue
                }
                p += 1
                while p < stop && isSpace(head[p]) { p += 1 }
                guard p < stop, head[p] == 0x22 || head[p] == 0x27 else { return nil }
                let q = head[p]
                let start = p + 1
                var e = start
                while e < stop && head[e] != q { e += 1 }
                guard e < stop, e > start else { return nil }
                var label = [UInt8]()
                for k in start..<e { label.append(lower(head[k])) }
                return String(decoding: label, as: UTF8.self)
            }
            i += 1
        }
        return nil
    }

    static func trimmed(_ s: String) -> String {
        let u = Array(s.utf8)
        var a = 0
        var b = u.count
        while a < b && isSpace(u[a]) { a += 1 }
        while b > a && isSpace(u[b - 1]) { b -= 1 }
        var out = [UInt8]()
        out.reserveCapacity(b - a)
        for i in a..<b { out.append(lower(u[i])) }
        return String(decoding: out, as: UTF8.self)
    }

}
