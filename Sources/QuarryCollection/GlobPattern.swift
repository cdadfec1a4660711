/// A glob in gitignore syntax, matched against a path relative to a root (components
/// separated by "/"), character by character (Unicode scalars):
///
/// - `*` matches any run of characters but "/"; `?` one character but "/";
/// - `[abc]`, `[a-z]`, `[!a-z]` or `[^a-z]`, `[[:alpha:]]` match one character of (or not
///   of) a class, never "/"; a `]` first in the class is itself;
/// - `**/` at the start matches any leading directories (or none), `/**/` in the middle
///   any directories between (or none), `/**` at the end everything inside; any other `**`
///   is a `*`;
/// - `\` makes the next character literal.
struct GlobPattern: Sendable, Equatable {
    enum Token: Sendable, Equatable {
        case literal(Unicode.Scalar)
        case anyCharacter
        case star
        /// Any run of characters, "/" included.
        case anything
        /// Nothing, or any run of whole components with their "/" ("a/", "a/b/").
        case directories
        case set(CharacterSet, negated: Bool)
    }

    /// One `[...]` class: single characters, ranges and POSIX classes.
    struct CharacterSet: Sendable, Equatable {
        var characters: [Unicode.Scalar] = []
        var ranges: [ClosedRange<UInt32>] = []
        var classes: [String] = []

        func contains(_ c: Unicode.Scalar) -> Bool {
            if characters.contains(c) { return true }
            if ranges.contains(where: { $0.contains(c.value) }) { return true }
            return classes.contains { GlobPattern.posixClass($0, contains: c) }
        }
    }

    let tokens: [Token]

    /// Compiles a pattern (without the gitignore line syntax: no `!`, no trailing `/`).
    init(_ pattern: String) {
        let s = Array(pattern.unicodeScalars)
        var tokens: [Token] = []
        var i = 0
        while i < s.count {
            let c = s[i]
            switch c {
            case "\\":
                if i + 1 < s.count {
                    tokens.append(.literal(s[i + 1]))
                    i += 2
                } else {
                    tokens.append(.literal(c))
                    i += 1
                }
            case "?":
                tokens.append(.anyCharacter)
                i += 1
            case "*":
                var j = i
                while j < s.count && s[j] == "*" { j += 1 }
                let double = j - i == 2
                let atStart = i == 0
                let afterSlash = i > 0 && s[i - 1] == "/"
                let beforeSlash = j < s.count && s[j] == "/"
                let atEnd = j == s.count
                if double && atStart && beforeSlash {
                    tokens.append(.directories)  // "**/..."
                    i = j + 1
                } else if double && afterSlash && beforeSlash {
                    tokens.append(.directories)  // ".../**/...": the "/" before is already a literal
                    i = j + 1
                } else if double && (atStart || afterSlash) && atEnd {
                    tokens.append(.anything)  // "**" or ".../**"
                    i = j
                } else {
                    tokens.append(.star)
                    i = j
                }
            case "[":
                if let (set, negated, end) = GlobPattern.parseSet(s, from: i) {
                    tokens.append(.set(set, negated: negated))
                    i = end
                } else {
                    tokens.append(.literal(c))
                    i += 1
                }
            default:
                tokens.append(.literal(c))
                i += 1
            }
        }
        self.tokens = tokens
    }

    /// Parses `[...]` starting at `s[start]`; nil when it is not closed (then `[` is literal).
    private static func parseSet(_ s: [Unicode.Scalar], from start: Int) -> (CharacterSet, Bool, Int)? {
        var i = start + 1
        var negated = false
        if i < s.count && (s[i] == "!" || s[i] == "^") {
            negated = true
            i += 1
        }
        var set = CharacterSet()
        var first = true
        while i < s.count {
            var c = s[i]
            if c == "]" && !first { return (set, negated, i + 1) }
            first = false
            if c == "[" && i + 1 < s.count && s[i + 1] == ":" {
                // [:name:]
                var j = i + 2
                var name = ""
                while j + 1 < s.count && !(s[j] == ":" && s[j + 1] == "]") {
                    name.unicodeScalars.append(s[j])
                    j += 1
                }
                if j + 1 < s.count {
                    set.classes.append(name)
                    i = j + 2
                    continue
                }
            }
            if c == "\\" && i + 1 < s.count {
                i += 1
                c = s[i]
            }
            // A range a-b (a "-" before "]" is literal).
            if i + 2 < s.count && s[i + 1] == "-" && s[i + 2] != "]" {
                var hi = s[i + 2]
                var next = i + 3
                if hi == "\\" && i + 3 < s.count {
                    hi = s[i + 3]
                    next = i + 4
                }
                if c.value <= hi.value { set.ranges.append(c.value...hi.value) }
                i = next
                continue
            }
            set.characters.append(c)
            i += 1
        }
        return nil
    }

    static func posixClass(_ name: String, contains c: Unicode.Scalar) -> Bool {
        let p = c.properties
        switch name {
        case "alpha": return p.isAlphabetic
        case "digit": return ("0"..."9").contains(c)
        case "alnum": return p.isAlphabetic || ("0"..."9").contains(c)
        case "upper": return p.isUppercase
        case "lower": return p.isLowercase
        case "space": return p.isWhitespace
        case "punct": return c.isASCII && !p.isAlphabetic && !("0"..."9").contains(c) && c.value > 0x20 && c.value < 0x7F
        case "xdigit": return ("0"..."9").contains(c) || ("a"..."f").contains(c) || ("A"..."F").contains(c)
        case "blank": return c == " " || c == "\t"
        case "cntrl": return c.value < 0x20 || c.value == 0x7F
        case "print": return c.value >= 0x20 && c.value != 0x7F
        case "graph": return c.value > 0x20 && c.value != 0x7F
        default: return false
        }
    }

    /// Whether the whole of `path` matches.
    func matches(_ path: String) -> Bool {
        let p = Array(path.unicodeScalars)
        var failed = Set<Int>()  // (token, position) pairs known not to match
        return match(0, 0, p, &failed)
    }

    private func match(_ t: Int, _ i: Int, _ p: [Unicode.Scalar], _ failed: inout Set<Int>) -> Bool {
        if t == tokens.count { return i == p.count }
        let key = t &* (p.count + 1) &+ i
        if failed.contains(key) { return false }
        let result: Bool
        switch tokens[t] {
        case .literal(let c):
            result = i < p.count && p[i] == c && match(t + 1, i + 1, p, &failed)
        case .anyCharacter:
            result = i < p.count && p[i] != "/" && match(t + 1, i + 1, p, &failed)
        case .set(let set, let negated):
            result = i < p.count && p[i] != "/" && set.contains(p[i]) != negated && match(t + 1, i + 1, p, &failed)
        case .star:
            var j = i
            var found = false
            while true {
                if match(t + 1, j, p, &failed) {
                    found = true
                    break
                }
                if j == p.count || p[j] == "/" { break }
                j += 1
            }
            result = found
        case .anything:
            result = (i...p.count).contains { match(t + 1, $0, p, &failed) }
        case .directories:
            result = (i...p.count).contains { j in (j == i || p[j - 1] == "/") && match(t + 1, j, p, &failed) }
        }
        if !result { failed.insert(key) }
        return result
    }
}
