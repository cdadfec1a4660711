/// How the tokenizer treats a Unicode scalar.
@usableFromInline enum CharacterClass: UInt8 {
    /// Not part of a word (spaces, punctuation, symbols, underscore).
    case separator = 0
    /// A letter of any script (word character).
    case letter = 1
    /// A digit or other number character (word character).
    case digit = 2
    /// A combining mark: part of the word it follows, ignored at the start of a word.
    case mark = 3
    /// A Han ideograph or a kana: a word of its own, one character long.
    case ideograph = 4
    /// An apostrophe: joins two letters ("don't").
    case apostrophe = 5
    /// "." or ",": joins two digits ("3.14", "1,000").
    case numberJoiner = 6
}

/// Character classes: arithmetic for ASCII (`Tokenizer.asciiClass`), a table for the Basic Multilingual Plane
/// computed once on first use from the Unicode properties of the Swift runtime, and
/// direct property lookups above it.
@usableFromInline enum CharacterClasses {
    /// Classes of U+0000…U+FFFF, built on first use (about 64 KB).
    @usableFromInline static let basicPlane: [UInt8] = (0..<0x10000).map { i -> UInt8 in
        guard let s = Unicode.Scalar(UInt32(i)) else { return CharacterClass.separator.rawValue }
        return compute(s).rawValue
    }

    @inlinable static func of(_ value: UInt32) -> CharacterClass {
        if value < 0x80 { return Tokenizer.asciiClass(UInt8(value)) }
        if value < 0x10000 { return CharacterClass(rawValue: basicPlane[Int(value)]) ?? .separator }
        guard let s = Unicode.Scalar(value) else { return .separator }
        return compute(s)
    }

    @usableFromInline static func compute(_ s: Unicode.Scalar) -> CharacterClass {
        let v = s.value
        if v < 0x80 { return Tokenizer.asciiClass(UInt8(v)) }
        if v == 0x2019 || v == 0x02BC { return .apostrophe }  // ’ and modifier letter apostrophe
        if v == 0x30FC { return .mark }  // katakana prolonged sound mark: lengthens the kana before it
        if (0x3040...0x30FF).contains(v) { return .ideograph }  // hiragana, katakana
        let p = s.properties
        if p.isIdeographic { return .ideograph }
        switch p.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return .letter
        case .nonspacingMark, .spacingMark, .enclosingMark:
            return .mark
        case .decimalNumber, .letterNumber, .otherNumber:
            return .digit
        default:
            return .separator
        }
    }
}
