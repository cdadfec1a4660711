/// A word found by the tokenizer: a range of UTF-8 byte offsets into the text.
///
/// Public only so that its `@inlinable` members inline into other modules of the package
/// (Swift 6.3 does not inline them across modules for package types; see `DocumentView`).
public struct RawToken: Sendable, Equatable {
    @usableFromInline package var start: Int
    @usableFromInline package var end: Int
    /// True when every byte is ASCII (lets the analyzer skip Unicode case mapping).
    @usableFromInline package var isASCII: Bool

    @inlinable
    package init(start: Int, end: Int, isASCII: Bool) {
        self.start = start
        self.end = end
        self.isASCII = isASCII
    }
}

/// Splits UTF-8 text into words on Unicode word boundaries, simplified from UAX #29:
/// a word is a run of letters, digits and combining marks of any script; an apostrophe
/// between two letters and "." or "," between two digits stay inside the word; a Han
/// ideograph or kana is a word by itself; everything else (spaces, punctuation,
/// symbols, "_", "-") separates words. Invalid UTF-8 bytes separate words.
///
/// Public only so that its `@inlinable` members inline into other modules of the package
/// (Swift 6.3 does not inline them across modules for package types; see `DocumentView`).
public struct Tokenizer {
    @usableFromInline package let text: UnsafeRawBufferPointer
    /// Where scanning goes on.
    @usableFromInline var position: Int
    package var offset: Int { position }
    /// Elided articles to drop from the front of words ("l’", "dell’"), per language.
    @usableFromInline let elisions: Elisions?

    package init(_ text: UnsafeRawBufferPointer, elisions: Elisions? = nil) {
        self.text = text
        self.position = 0
        self.elisions = elisions
    }

    /// Decodes the scalar at `i`; returns its value and length (an invalid byte decodes as
    /// U+FFFD with length 1).
    @inlinable @inline(__always)
    static func decode(_ t: UnsafeRawBufferPointer, _ i: Int) -> (UInt32, Int) {
        let b0 = UInt32(t[i])
        if b0 < 0x80 { return (b0, 1) }
        let n = t.count
        if b0 >= 0xC2 && b0 < 0xE0 {
            if i + 1 < n {
                let b1 = UInt32(t[i + 1])
                if b1 & 0xC0 == 0x80 { return ((b0 & 0x1F) << 6 | (b1 & 0x3F), 2) }
            }
        } else if b0 >= 0xE0 && b0 < 0xF0 {
            if i + 2 < n {
                let b1 = UInt32(t[i + 1]), b2 = UInt32(t[i + 2])
                if b1 & 0xC0 == 0x80 && b2 & 0xC0 == 0x80 {
                    let v = (b0 & 0x0F) << 12 | (b1 & 0x3F) << 6 | (b2 & 0x3F)
                    if v >= 0x800 && !(0xD800...0xDFFF).contains(v) { return (v, 3) }
                }
            }
        } else if b0 >= 0xF0 && b0 < 0xF5 {
            if i + 3 < n {
                let b1 = UInt32(t[i + 1]), b2 = UInt32(t[i + 2]), b3 = UInt32(t[i + 3])
                if b1 & 0xC0 == 0x80 && b2 & 0xC0 == 0x80 && b3 & 0xC0 == 0x80 {
                    let v = (b0 & 0x07) << 18 | (b1 & 0x3F) << 12 | (b2 & 0x3F) << 6 | (b3 & 0x3F)
                    if v >= 0x10000 && v <= 0x10FFFF { return (v, 4) }
                }
            }
        }
        return (0xFFFD, 1)
    }

    /// Class of an ASCII byte, by arithmetic (no table: a static table costs a lazy-init
    /// check on every access).
    @inlinable @inline(__always)
    static func asciiClass(_ b: UInt8) -> CharacterClass {
        if (b | 0x20) &- 0x61 < 26 { return .letter }
        if b &- 0x30 < 10 { return .digit }
        if b == 0x27 { return .apostrophe }
        if b == 0x2E || b == 0x2C { return .numberJoiner }
        return .separator
    }

    @inlinable @inline(__always)
    static func classify(_ t: UnsafeRawBufferPointer, _ i: Int) -> (CharacterClass, Int) {
        let b = t[i]
        if b < 0x80 { return (asciiClass(b), 1) }
        let (v, len) = decode(t, i)
        return (CharacterClasses.of(v), len)
    }

    /// The next word, or nil at the end of the text.
    @inlinable @inline(__always)
    package mutating func next() -> RawToken? {
        let t = text
        let n = t.count
        var i = position
        // Find the start of a word.
        while i < n {
            let (cls, len) = Tokenizer.classify(t, i)
            switch cls {
            case .letter, .digit:
                var word = scanWord(from: i, firstClass: cls, firstLength: len)
                if let elisions, cls == .letter, let rest = elisions.strip(t, word.start, word.end) {
                    word.start = rest
                }
                return word
            case .ideograph:
                var end = i + len
                // Marks that follow belong to the ideograph.
                while end < n {
                    let (c2, l2) = Tokenizer.classify(t, end)
                    if c2 != .mark { break }
                    end += l2
                }
                position = end
                return RawToken(start: i, end: end, isASCII: false)
            default:
                i += len
            }
        }
        position = n
        return nil
    }

    @inlinable @inline(__always)
    mutating func scanWord(from start: Int, firstClass: CharacterClass, firstLength: Int) -> RawToken {
        let t = text
        let n = t.count
        var i = start + firstLength
        var ascii = firstLength == 1
        var previous = firstClass
        while i < n {
            let b = t[i]
            // ASCII letters and digits: the common case, no decoding.
            if b < 0x80 {
                let cls = Tokenizer.asciiClass(b)
                if cls == .letter || cls == .digit {
                    previous = cls
                    i += 1
                    continue
                }
                if cls == .apostrophe || cls == .numberJoiner {
                    if joins(cls, previous: previous, at: i + 1) {
                        i += 1
                        continue
                    }
                }
                break
            }
            let (cls, len) = Tokenizer.classify(t, i)
            switch cls {
            case .letter, .digit:
                previous = cls
            case .mark:
                break
            case .apostrophe, .numberJoiner:
                if !joins(cls, previous: previous, at: i + len) {
                    position = i
                    return RawToken(start: start, end: i, isASCII: ascii)
                }
            default:
                position = i
                return RawToken(start: start, end: i, isASCII: ascii)
            }
            ascii = false
            i += len
        }
        position = i
        return RawToken(start: start, end: i, isASCII: ascii)
    }

    /// Whether a joiner at the current position continues the word: an apostrophe between
    /// letters, a "." or "," between digits.
    @inlinable @inline(__always)
    func joins(_ cls: CharacterClass, previous: CharacterClass, at next: Int) -> Bool {
        guard next < text.count else { return false }
        let (after, _) = Tokenizer.classify(text, next)
        if cls == .apostrophe { return previous == .letter && after == .letter }
        return previous == .digit && after == .digit
    }
}
