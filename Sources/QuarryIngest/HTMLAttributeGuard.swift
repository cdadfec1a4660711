import QuarryCore
import QuarryDocument

// A guard before libxml2: libxml2 2.9 compares each attribute of a start tag with all the ones
// before it (duplicate check), so one tag with n attributes costs n² comparisons: a 1.7 MB
// page with 150,000 attributes on one tag took 25.7 s to parse, a 6 MB one over 5 minutes.
// One linear pass over the (UTF-8) HTML finds start tags with more than `maxAttributes`
// attributes and removes the excess, so any page parses in time roughly linear in its size
// (at most maxAttributes² / 2 comparisons per tag, and such a tag has at least 2 bytes per
// attribute). Pages within the limit are not copied.
//
// The scan reads tags as HTML does, closely enough for counting: `<` and a letter opens a start
// tag; attributes are names with an optional `=` and a quoted or unquoted value; comments and
// the contents of script and style are skipped.

#if canImport(Glibc)
import Glibc
#endif

enum HTMLAttributeGuard {
    /// Attributes kept per start tag. Real pages stay far below (see docs/TEXT.md).
    static let maxAttributes = 100

    struct Capped {
        var html: [UInt8]
        var warning: String
        /// Tags that had too many attributes, and attributes removed.
        var tags: Int
        var removed: Int
    }

    /// The HTML with each start tag's attributes beyond `limit` removed, and a warning; nil
    /// when no tag has more than `limit` (nothing to do).
    static func capAttributes(_ html: UnsafeRawBufferPointer, limit: Int = maxAttributes) -> Capped? {
        guard let base = html.baseAddress else { return nil }
        let p = base.assumingMemoryBound(to: UInt8.self)
        let n = html.count
        var cuts: [Range<Int>] = []
        var tags = 0
        var removed = 0
        var firstTag = -1
        var i = 0
        @inline(__always) func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0C || b == 0x0D }
        @inline(__always) func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
        while i < n {
            guard let lt = memchr(p + i, 0x3C, n - i) else { break }
            let tagStart = UnsafeRawPointer(lt).assumingMemoryBound(to: UInt8.self) - p
            i = tagStart + 1
            guard i < n else { break }
            if p[i] == 0x21 && i + 2 < n && p[i + 1] == 0x2D && p[i + 2] == 0x2D {
                i = find(p, n, from: i + 3, "-->") ?? n
                continue
            }
            guard isLetter(p[i]) else { continue }
            let nameStart = i
            while i < n && !isSpace(p[i]) && p[i] != 0x3E && p[i] != 0x2F { i += 1 }
            let rawText = matchesName(p, nameStart, i, "script") || matchesName(p, nameStart, i, "style")
            var count = 0
            var cutStart = -1
            // Attributes.
            while i < n {
                while i < n && (isSpace(p[i]) || p[i] == 0x2F) { i += 1 }
                guard i < n, p[i] != 0x3E else { break }
                let attributeStart = i
                while i < n && !isSpace(p[i]) && p[i] != 0x3E && p[i] != 0x3D && !(p[i] == 0x2F && i > attributeStart) { i += 1 }
                if i == attributeStart { i += 1 }  // a lone "=" or similar: step over it
                var j = i
                while j < n && isSpace(p[j]) { j += 1 }
                if j < n && p[j] == 0x3D {
                    j += 1
                    while j < n && isSpace(p[j]) { j += 1 }
                    if j < n && (p[j] == 0x22 || p[j] == 0x27) {
                        let quote = p[j]
                        if let close = memchr(p + j + 1, Int32(quote), n - j - 1) {
                            j = UnsafeRawPointer(close).assumingMemoryBound(to: UInt8.self) - p + 1
                        } else {
                            j = n
                        }
                    } else {
                        while j < n && !isSpace(p[j]) && p[j] != 0x3E { j += 1 }
                    }
                    i = j
                }
                count += 1
                if count == limit + 1 { cutStart = attributeStart }
            }
            if cutStart >= 0 {
                cuts.append(cutStart..<i)
                removed += count - limit
                tags += 1
                if firstTag < 0 { firstTag = tagStart }
            }
            if rawText, i < n {
                // Skip the element's text up to its end tag.
                if matchesName(p, nameStart, nameStart + 6, "script") {
                    i = findCaseInsensitive(p, n, from: i, "</script") ?? n
                } else {
                    i = findCaseInsensitive(p, n, from: i, "</style") ?? n
                }
            }
        }
        guard !cuts.isEmpty else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(n)
        var from = 0
        for cut in cuts {
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: html[from..<cut.lowerBound]))
            from = cut.upperBound
        }
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: html[from..<n]))
        let warning =
            "\(tags) start tag(s) with more than \(limit) attributes (the first at byte \(firstTag) of the decoded text); \(removed) attribute(s) beyond the first \(limit) of each dropped"
        return Capped(html: out, warning: warning, tags: tags, removed: removed)
    }

    private static func matchesName(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ name: StaticString) -> Bool {
        guard end - start == name.utf8CodeUnitCount else { return false }
        let s = name.utf8Start
        for k in 0..<(end - start) where (p[start + k] | 0x20) != s[k] { return false }
        return true
    }

    private static func find(_ p: UnsafePointer<UInt8>, _ n: Int, from: Int, _ needle: StaticString) -> Int? {
        let m = needle.utf8CodeUnitCount
        let s = needle.utf8Start
        var i = from
        while i + m <= n {
            guard let hit = memchr(p + i, Int32(s[0]), n - m + 1 - i) else { return nil }
            i = UnsafeRawPointer(hit).assumingMemoryBound(to: UInt8.self) - p
            var k = 1
            while k < m && p[i + k] == s[k] { k += 1 }
            if k == m { return i + m }
            i += 1
        }
        return nil
    }

    /// The offset of `needle` (lower-case ASCII) at or after `from`, compared case-insensitively.
    private static func findCaseInsensitive(_ p: UnsafePointer<UInt8>, _ n: Int, from: Int, _ needle: StaticString) -> Int? {
        let m = needle.utf8CodeUnitCount
        let s = needle.utf8Start
        var i = from
        while i + m <= n {
            guard let lt = memchr(p + i, 0x3C, n - i) else { return nil }
            i = UnsafeRawPointer(lt).assumingMemoryBound(to: UInt8.self) - p
            guard i + m <= n else { return nil }
            var k = 1
            while k < m && (p[i + k] | 0x20) == s[k] { k += 1 }
            if k == m { return i }
            i += 1
        }
        return nil
    }
}
