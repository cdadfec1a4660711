/// A word found by the tokenizer: a range of UTF-8 byte offsets into the text.
public struct RawToken: Sendable, Equatable {
    public var start: Int
    public var end: Int
    /// True when every byte is ASCII (lets the analyzer skip Unicode case mapping).
    public var isASCII: Bool
}

/// Splits UTF-8 text into words on Unicode word boundaries, simplified from UAX #29:
/// a word is a run of letters, digits and combining marks of any script; an apostrophe
/// between two letters and "." or "," between two digits stay inside the word; a Han
/// ideograph or kana is a word by itself; everything else (spaces, punctuation,
/// symbols, "_", "-") separates words. Invalid UTF-8 bytes separate words.
public struct Tokenizer {
    public let text: UnsafeRawBufferPointer
    public private(set) var offset: Int
    /// Elided articles to drop from the front of words ("l’", "dell’"), per language.
    private let elisions: Elisions?

    public init(_ text: UnsafeRawBufferPointer, elisions: Elisions? = nil) {
        self.text = text
        self.offset = 0
        self.elisions = elisions
    }

    /// Decodes the scalar at `i`; returns its value and length (an invalid byte decodes as
    /// U+FFFD with length 1).
    @inline(__always)
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

    @inline(__always)
    static func classify(_ t: UnsafeRawBufferPointer, _ i: Int) -> (CharacterClass, Int) {
        let b = t[i]
        if b < 0x80 {
            return (CharacterClass(rawValue: CharacterClasses.ascii[Int(b)]) ?? .separator, 1)
        }
        let (v, len) = decode(t, i)
        return (CharacterClasses.of(v), len)
    }

    /// The next word, or nil at the end of the text.
    @inline(__always)
    public mutating func next() -> RawToken? {
        let t = text
        let n = t.count
        var i = offset
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
                offset = end
                return RawToken(start: i, end: end, isASCII: false)
            default:
                i += len
            }
        }
        offset = n
        return nil
    }

    @inline(__always)
    private mutating func scanWord(from start: Int, firstClass: CharacterClass, firstLength: Int) -> RawToken {
        let t = text
        let n = t.count
        var i = start + firstLength
        var ascii = firstLength == 1
        var previous = firstClass
        while i < n {
            let b = t[i]
            // ASCII letters and digits: the common case, no decoding.
            if b < 0x80 {
                let cls = CharacterClass(rawValue: CharacterClasses.ascii[Int(b)]) ?? .separator
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
                    offset = i
                    return RawToken(start: start, end: i, isASCII: ascii)
                }
            default:
                offset = i
                return RawToken(start: start, end: i, isASCII: ascii)
            }
            ascii = false
            i += len
        }
        offset = i
        return RawToken(start: start, end: i, isASCII: ascii)
    }

    /// Whether a joiner at the current position continues the word: an apostrophe between
    /// letters, a "." or "," between digits.
    @inline(__always)
    private func joins(_ cls: CharacterClass, previous: CharacterClass, at next: Int) -> Bool {
        guard next < text.count else { return false }
        let (after, _) = Tokenizer.classify(text, next)
        if cls == .apostrophe { return previous == .letter && after == .letter }
        return previous == .digit && after == .digit
    }
}
